package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.RequestRowSerializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.serializers.ProtobufRequestRowSerializer;
import org.apache.spark.ml.param.IntParam;

/**
 * What SageMaker's first-party algorithms (K-Means, PCA, ...) share beyond {@link
 * BuiltInAlgorithmEstimator}: the {@code feature_dim} and {@code mini_batch_size} Params, every
 * feature vector checked to be {@code featureDim} long, and RecordIO-protobuf requests of the
 * features column.
 */
public abstract class FirstPartyAlgorithmEstimator extends BuiltInAlgorithmEstimator {
  private static final long serialVersionUID = 1L;

  protected FirstPartyAlgorithmEstimator(String uid, SageMakerEstimatorOptions options) {
    super(uid, options);
  }

  /** The {@code feature_dim} Param (each algorithm's generated Params define it). */
  public abstract IntParam featureDim();

  /** The {@code mini_batch_size} Param (each algorithm's generated Params define it). */
  public abstract IntParam miniBatchSize();

  @Override
  protected int expectedVectorSize() {
    return isDefined(featureDim()) ? (Integer) getOrDefault(featureDim()) : 0;
  }

  @Override
  protected RequestRowSerializer defaultRequestRowSerializer() {
    return new ProtobufRequestRowSerializer(featuresColumn(), expectedVectorSize());
  }
}
