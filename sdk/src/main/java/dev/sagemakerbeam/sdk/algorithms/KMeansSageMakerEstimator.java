package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.KMeansProtobufResponseRowDeserializer;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's built-in K-Means as a Spark ML estimator. Every hyperparameter of the catalogue's
 * K-Means is a Spark {@code Param} (usable in {@code ParamGridBuilder}), checked by the catalogue's
 * rule when set. Defaults: the preset's image for the region, RecordIO-protobuf staging, {@code
 * ProtobufRequestRowSerializer} and {@link KMeansProtobufResponseRowDeserializer}.
 */
public class KMeansSageMakerEstimator extends FirstPartyAlgorithmEstimator {
  private static final long serialVersionUID = 1L;

  private final IntParam k = intParam("k");
  private final IntParam epochs = intParam("epochs");
  private final IntParam maxIter = intParam("local_lloyd_max_iter");
  private final DoubleParam tol = doubleParam("local_lloyd_tol");
  private final Param<String> initMethod = stringParam("init_method");
  private final Param<String> localInitMethod = stringParam("local_lloyd_init_method");
  private final IntParam trialNum = intParam("local_lloyd_num_trials");
  private final IntParam centerFactor = intParam("extra_center_factor");
  private final IntParam halfLifeTimeSize = intParam("half_life_time_size");
  private final StringArrayParam evalMetrics = stringArrayParam("eval_metrics");
  private final BooleanParam forceDense = booleanParam("force_dense");

  public KMeansSageMakerEstimator(String uid) {
    this(uid, SageMakerEstimatorOptions.builder().build());
  }

  /**
   * Loads a {@code KMeansSageMakerEstimator} saved with {@code save} (also as a Pipeline stage).
   */
  public static KMeansSageMakerEstimator load(String path) {
    return load(path, KMeansSageMakerEstimator.class);
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

  public IntParam halfLifeTimeSize() {
    return halfLifeTimeSize;
  }

  public StringArrayParam evalMetrics() {
    return evalMetrics;
  }

  public BooleanParam forceDense() {
    return forceDense;
  }

  public KMeansSageMakerEstimator setK(int v) {
    return (KMeansSageMakerEstimator) set(k, v);
  }

  public KMeansSageMakerEstimator setFeatureDim(int v) {
    return (KMeansSageMakerEstimator) set(featureDim, v);
  }

  public KMeansSageMakerEstimator setMiniBatchSize(int v) {
    return (KMeansSageMakerEstimator) set(miniBatchSize, v);
  }

  public KMeansSageMakerEstimator setEpochs(int v) {
    return (KMeansSageMakerEstimator) set(epochs, v);
  }

  public KMeansSageMakerEstimator setMaxIter(int v) {
    return (KMeansSageMakerEstimator) set(maxIter, v);
  }

  public KMeansSageMakerEstimator setTol(double v) {
    return (KMeansSageMakerEstimator) set(tol, v);
  }

  public KMeansSageMakerEstimator setInitMethod(String v) {
    return (KMeansSageMakerEstimator) set(initMethod, v);
  }

  public KMeansSageMakerEstimator setLocalInitMethod(String v) {
    return (KMeansSageMakerEstimator) set(localInitMethod, v);
  }

  public KMeansSageMakerEstimator setTrialNum(int v) {
    return (KMeansSageMakerEstimator) set(trialNum, v);
  }

  public KMeansSageMakerEstimator setCenterFactor(int v) {
    return (KMeansSageMakerEstimator) set(centerFactor, v);
  }

  public KMeansSageMakerEstimator setHalfLifeTimeSize(int v) {
    return (KMeansSageMakerEstimator) set(halfLifeTimeSize, v);
  }

  /** {@code msd} and/or {@code ssd}. */
  public KMeansSageMakerEstimator setEvalMetrics(String... v) {
    return (KMeansSageMakerEstimator) set(evalMetrics, v);
  }

  public KMeansSageMakerEstimator setForceDense(boolean v) {
    return (KMeansSageMakerEstimator) set(forceDense, v);
  }

  public int getK() {
    return (Integer) getOrDefault(k);
  }

  public int getEpochs() {
    return (Integer) getOrDefault(epochs);
  }

  public int getMaxIter() {
    return (Integer) getOrDefault(maxIter);
  }

  public double getTol() {
    return (Double) getOrDefault(tol);
  }

  public String getInitMethod() {
    return getOrDefault(initMethod);
  }

  public String getLocalInitMethod() {
    return getOrDefault(localInitMethod);
  }

  public int getTrialNum() {
    return (Integer) getOrDefault(trialNum);
  }

  public int getCenterFactor() {
    return (Integer) getOrDefault(centerFactor);
  }

  public int getHalfLifeTimeSize() {
    return (Integer) getOrDefault(halfLifeTimeSize);
  }

  public String[] getEvalMetrics() {
    return getOrDefault(evalMetrics);
  }

  public boolean getForceDense() {
    return (Boolean) getOrDefault(forceDense);
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
