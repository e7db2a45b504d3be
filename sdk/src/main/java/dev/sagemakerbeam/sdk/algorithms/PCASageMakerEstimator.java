package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.PCAProtobufResponseRowDeserializer;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import dev.sagemakerbeam.transforms.algorithms.PcaHyperparameters;
import java.util.Map;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's built-in PCA as a Spark ML estimator, hyperparameters as Spark {@code Param}s checked
 * by the shared {@link PcaHyperparameters}. {@code miniBatchSize} defaults to 500. The model appends
 * a {@code projection} vector column.
 */
public class PCASageMakerEstimator extends BuiltInAlgorithmEstimator {
  private static final long serialVersionUID = 1L;

  private final IntParam numComponents =
      new IntParam(this, "numComponents", "number of principal components (num_components)");
  private final Param<String> algorithmMode = new Param<>(this, "algorithmMode", "regular or randomized (algorithm_mode)");
  private final BooleanParam subtractMean = new BooleanParam(this, "subtractMean", "subtract the mean (subtract_mean)");
  private final IntParam extraComponents =
      new IntParam(this, "extraComponents", "-1 or extra components in randomized mode (extra_components)");

  public PCASageMakerEstimator(String uid) {
    this(uid, SageMakerEstimatorOptions.builder().build());
  }

  public PCASageMakerEstimator(SageMakerEstimatorOptions options) {
    this(Identifiable$.MODULE$.randomUID("PCASageMakerEstimator"), options);
  }

  public PCASageMakerEstimator(String uid, SageMakerEstimatorOptions options) {
    super(uid, options);
    setDefault(miniBatchSize, 500);
  }

  public IntParam numComponents() {
    return numComponents;
  }

  public Param<String> algorithmMode() {
    return algorithmMode;
  }

  public BooleanParam subtractMean() {
    return subtractMean;
  }

  public IntParam extraComponents() {
    return extraComponents;
  }

  public PCASageMakerEstimator setNumComponents(int v) {
    new PcaHyperparameters().numComponents(v);
    return (PCASageMakerEstimator) set(numComponents, v);
  }

  public PCASageMakerEstimator setFeatureDim(int v) {
    new PcaHyperparameters().featureDim(v);
    return (PCASageMakerEstimator) set(featureDim, v);
  }

  public PCASageMakerEstimator setMiniBatchSize(int v) {
    new PcaHyperparameters().miniBatchSize(v);
    return (PCASageMakerEstimator) set(miniBatchSize, v);
  }

  public PCASageMakerEstimator setAlgorithmMode(String v) {
    new PcaHyperparameters().algorithmMode(v);
    return (PCASageMakerEstimator) set(algorithmMode, v);
  }

  public PCASageMakerEstimator setSubtractMean(boolean v) {
    return (PCASageMakerEstimator) set(subtractMean, v);
  }

  public PCASageMakerEstimator setExtraComponents(int v) {
    new PcaHyperparameters().extraComponents(v);
    return (PCASageMakerEstimator) set(extraComponents, v);
  }

  public int getNumComponents() {
    return (Integer) getOrDefault(numComponents);
  }

  @Override
  protected Map<String, String> hyperParameters() {
    PcaHyperparameters h = new PcaHyperparameters();
    getOptions().hyperParameters().forEach(h::raw);
    if (isDefined(numComponents)) {
      h.numComponents((Integer) getOrDefault(numComponents));
    }
    if (isDefined(featureDim)) {
      h.featureDim((Integer) getOrDefault(featureDim));
    }
    if (isDefined(miniBatchSize)) {
      h.miniBatchSize((Integer) getOrDefault(miniBatchSize));
    }
    if (isDefined(algorithmMode)) {
      h.algorithmMode(getOrDefault(algorithmMode));
    }
    if (isDefined(subtractMean)) {
      h.subtractMean((Boolean) getOrDefault(subtractMean));
    }
    if (isDefined(extraComponents)) {
      h.extraComponents((Integer) getOrDefault(extraComponents));
    }
    return h.toMap();
  }

  @Override
  protected AlgorithmPreset<?, ?> preset() {
    return AlgorithmPreset.pca();
  }

  @Override
  protected ResponseRowDeserializer defaultResponseRowDeserializer() {
    return new PCAProtobufResponseRowDeserializer();
  }

  @Override
  public PCASageMakerEstimator copy(ParamMap extra) {
    return copyValues(new PCASageMakerEstimator(uid(), getOptions()), extra);
  }
}
