package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.PCAProtobufResponseRowDeserializer;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's built-in PCA as a Spark ML estimator, every hyperparameter of the catalogue's PCA a
 * Spark {@code Param} checked by the catalogue's rule when set. {@code miniBatchSize} defaults to
 * 500. The model appends a {@code projection} vector column.
 */
public class PCASageMakerEstimator extends PCAParams {
  private static final long serialVersionUID = 1L;

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
    setDefault(miniBatchSize(), 500);
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
