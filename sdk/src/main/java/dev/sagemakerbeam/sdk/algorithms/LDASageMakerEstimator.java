package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.LDAProtobufResponseRowDeserializer;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's LDA as a Spark ML estimator: the features column holds each document's word counts
 * ({@code featureDim} words; {@code numTopics} and {@code miniBatchSize}, the number of documents,
 * are required, as on SageMaker). The model appends a {@code topic_mixture} Vector column ({@link
 * LDAProtobufResponseRowDeserializer}), a Vector even for a single topic.
 */
public class LDASageMakerEstimator extends LDAParams {
  private static final long serialVersionUID = 1L;

  public LDASageMakerEstimator(String uid) {
    this(uid, SageMakerEstimatorOptions.builder().build());
  }

  /** Loads a {@code LDASageMakerEstimator} saved with {@code save} (also as a Pipeline stage). */
  public static LDASageMakerEstimator load(String path) {
    return load(path, LDASageMakerEstimator.class);
  }

  public LDASageMakerEstimator(SageMakerEstimatorOptions options) {
    this(Identifiable$.MODULE$.randomUID("LDASageMakerEstimator"), options);
  }

  public LDASageMakerEstimator(String uid, SageMakerEstimatorOptions options) {
    super(uid, options);
  }

  @Override
  protected AlgorithmPreset<?, ?> preset() {
    return AlgorithmPreset.lda();
  }

  @Override
  protected ResponseRowDeserializer defaultResponseRowDeserializer() {
    return new LDAProtobufResponseRowDeserializer();
  }

  @Override
  public LDASageMakerEstimator copy(ParamMap extra) {
    return copyValues(new LDASageMakerEstimator(uid(), getOptions()), extra);
  }
}
