package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.KMeansProtobufResponseRowDeserializer;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import dev.sagemakerbeam.transforms.algorithms.KMeansHyperparameters;
import java.util.Map;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's built-in K-Means as a Spark ML estimator. Hyperparameters are Spark {@code Param}s
 * (usable in {@code ParamGridBuilder}), checked by the shared {@link KMeansHyperparameters} when set
 * and again at {@code fit}. Defaults: the preset's image for the region, RecordIO-protobuf staging,
 * {@code ProtobufRequestRowSerializer} and {@link KMeansProtobufResponseRowDeserializer}.
 */
public class KMeansSageMakerEstimator extends BuiltInAlgorithmEstimator {
  private static final long serialVersionUID = 1L;

  private final IntParam k = new IntParam(this, "k", "number of clusters (k)");
  private final IntParam epochs = new IntParam(this, "epochs", "passes over the data (epochs)");
  private final IntParam maxIter = new IntParam(this, "maxIter", "local Lloyd's iterations (local_lloyd_max_iter)");
  private final DoubleParam tol = new DoubleParam(this, "tol", "local Lloyd's tolerance in [0, 1] (local_lloyd_tol)");
  private final Param<String> initMethod = new Param<>(this, "initMethod", "random or kmeans++ (init_method)");
  private final Param<String> localInitMethod =
      new Param<>(this, "localInitMethod", "random or kmeans++ (local_lloyd_init_method)");
  private final IntParam trialNum = new IntParam(this, "trialNum", "local Lloyd's trials (local_lloyd_num_trials)");
  private final IntParam centerFactor = new IntParam(this, "centerFactor", "extra centers factor (extra_center_factor)");

  public KMeansSageMakerEstimator(String uid) {
    this(uid, SageMakerEstimatorOptions.builder().build());
  }

  public KMeansSageMakerEstimator(SageMakerEstimatorOptions options) {
    this(Identifiable$.MODULE$.randomUID("KMeansSageMakerEstimator"), options);
  }

  public KMeansSageMakerEstimator(String uid, SageMakerEstimatorOptions options) {
    super(uid, options);
  }

  public IntParam k() {
    return k;
  }

  public IntParam epochs() {
    return epochs;
  }

  public IntParam maxIter() {
    return maxIter;
  }

  public DoubleParam tol() {
    return tol;
  }

  public Param<String> initMethod() {
    return initMethod;
  }

  public Param<String> localInitMethod() {
    return localInitMethod;
  }

  public IntParam trialNum() {
    return trialNum;
  }

  public IntParam centerFactor() {
    return centerFactor;
  }

  public KMeansSageMakerEstimator setK(int v) {
    new KMeansHyperparameters().k(v);
    return (KMeansSageMakerEstimator) set(k, v);
  }

  public KMeansSageMakerEstimator setFeatureDim(int v) {
    new KMeansHyperparameters().featureDim(v);
    return (KMeansSageMakerEstimator) set(featureDim, v);
  }

  public KMeansSageMakerEstimator setMiniBatchSize(int v) {
    new KMeansHyperparameters().miniBatchSize(v);
    return (KMeansSageMakerEstimator) set(miniBatchSize, v);
  }

  public KMeansSageMakerEstimator setEpochs(int v) {
    new KMeansHyperparameters().epochs(v);
    return (KMeansSageMakerEstimator) set(epochs, v);
  }

  public KMeansSageMakerEstimator setMaxIter(int v) {
    new KMeansHyperparameters().maxIterations(v);
    return (KMeansSageMakerEstimator) set(maxIter, v);
  }

  public KMeansSageMakerEstimator setTol(double v) {
    new KMeansHyperparameters().tolerance(v);
    return (KMeansSageMakerEstimator) set(tol, v);
  }

  public KMeansSageMakerEstimator setInitMethod(String v) {
    new KMeansHyperparameters().initMethod(v);
    return (KMeansSageMakerEstimator) set(initMethod, v);
  }

  public KMeansSageMakerEstimator setLocalInitMethod(String v) {
    new KMeansHyperparameters().localInitMethod(v);
    return (KMeansSageMakerEstimator) set(localInitMethod, v);
  }

  public KMeansSageMakerEstimator setTrialNum(int v) {
    new KMeansHyperparameters().trialNum(v);
    return (KMeansSageMakerEstimator) set(trialNum, v);
  }

  public KMeansSageMakerEstimator setCenterFactor(int v) {
    new KMeansHyperparameters().extraCenterFactor(v);
    return (KMeansSageMakerEstimator) set(centerFactor, v);
  }

  public int getK() {
    return (Integer) getOrDefault(k);
  }

  /** The options' raw hyperparameters, then every Param that is set, validated together. */
  @Override
  protected Map<String, String> hyperParameters() {
    KMeansHyperparameters h = new KMeansHyperparameters();
    getOptions().hyperParameters().forEach(h::raw);
    if (isDefined(k)) {
      h.k((Integer) getOrDefault(k));
    }
    if (isDefined(featureDim)) {
      h.featureDim((Integer) getOrDefault(featureDim));
    }
    if (isDefined(miniBatchSize)) {
      h.miniBatchSize((Integer) getOrDefault(miniBatchSize));
    }
    if (isDefined(epochs)) {
      h.epochs((Integer) getOrDefault(epochs));
    }
    if (isDefined(maxIter)) {
      h.maxIterations((Integer) getOrDefault(maxIter));
    }
    if (isDefined(tol)) {
      h.tolerance((Double) getOrDefault(tol));
    }
    if (isDefined(initMethod)) {
      h.initMethod(getOrDefault(initMethod));
    }
    if (isDefined(localInitMethod)) {
      h.localInitMethod(getOrDefault(localInitMethod));
    }
    if (isDefined(trialNum)) {
      h.trialNum((Integer) getOrDefault(trialNum));
    }
    if (isDefined(centerFactor)) {
      h.extraCenterFactor((Integer) getOrDefault(centerFactor));
    }
    return h.toMap();
  }

  @Override
  protected AlgorithmPreset<?, ?> preset() {
    return AlgorithmPreset.kmeans();
  }

  @Override
  protected ResponseRowDeserializer defaultResponseRowDeserializer() {
    return new KMeansProtobufResponseRowDeserializer();
  }

  @Override
  public KMeansSageMakerEstimator copy(ParamMap extra) {
    return copyValues(new KMeansSageMakerEstimator(uid(), getOptions()), extra);
  }
}
