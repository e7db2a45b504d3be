package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.PCAProtobufResponseRowDeserializer;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's built-in PCA as a Spark ML estimator, every hyperparameter of the catalogue's PCA a
 * Spark {@code Param} checked by the catalogue's rule when set. {@code miniBatchSize} defaults to
 * 500. The model appends a {@code projection} vector column.
 */
public class PCASageMakerEstimator extends FirstPartyAlgorithmEstimator {
  private static final long serialVersionUID = 1L;

  private final IntParam numComponents = intParam("num_components");
  private final Param<String> algorithmMode = stringParam("algorithm_mode");
  private final BooleanParam subtractMean = booleanParam("subtract_mean");
  private final IntParam extraComponents = intParam("extra_components");

  public PCASageMakerEstimator(String uid) {
    this(uid, SageMakerEstimatorOptions.builder().build());
  }

  /** Loads a {@code PCASageMakerEstimator} saved with {@code save} (also as a Pipeline stage). */
  public static PCASageMakerEstimator load(String path) {
    return load(path, PCASageMakerEstimator.class);
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
    return (PCASageMakerEstimator) set(numComponents, v);
  }

  public PCASageMakerEstimator setFeatureDim(int v) {
    return (PCASageMakerEstimator) set(featureDim, v);
  }

  public PCASageMakerEstimator setMiniBatchSize(int v) {
    return (PCASageMakerEstimator) set(miniBatchSize, v);
  }

  public PCASageMakerEstimator setAlgorithmMode(String v) {
    return (PCASageMakerEstimator) set(algorithmMode, v);
  }

  public PCASageMakerEstimator setSubtractMean(boolean v) {
    return (PCASageMakerEstimator) set(subtractMean, v);
  }

  public PCASageMakerEstimator setExtraComponents(int v) {
    return (PCASageMakerEstimator) set(extraComponents, v);
  }

  public int getNumComponents() {
    return (Integer) getOrDefault(numComponents);
  }

  public String getAlgorithmMode() {
    return getOrDefault(algorithmMode);
  }

  public boolean getSubtractMean() {
    return (Boolean) getOrDefault(subtractMean);
  }

  public int getExtraComponents() {
    return (Integer) getOrDefault(extraComponents);
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
