package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.KMeansProtobufResponseRowDeserializer;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's built-in K-Means as a Spark ML estimator. Every hyperparameter of the catalogue's
 * K-Means is a Spark {@code Param} (usable in {@code ParamGridBuilder}), checked by the catalogue's
 * rule when set. Defaults: the preset's image for the region, RecordIO-protobuf staging, {@code
 * ProtobufRequestRowSerializer} and {@link KMeansProtobufResponseRowDeserializer}.
 */
public class KMeansSageMakerEstimator extends KMeansParams {
  private static final long serialVersionUID = 1L;

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
