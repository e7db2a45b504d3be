package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.RequestRowSerializer;
import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimator;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.serializers.ProtobufRequestRowSerializer;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import org.apache.spark.ml.param.IntParam;

/**
 * What the estimators of SageMaker's built-in algorithms share: the preset's image for the region,
 * RecordIO-protobuf requests of the features column sized by {@code featureDim}, the algorithm's
 * protobuf response deserializer, and the {@code featureDim} and {@code miniBatchSize} Params.
 * Each option set explicitly in {@link SageMakerEstimatorOptions} wins over these defaults.
 */
public abstract class BuiltInAlgorithmEstimator extends SageMakerEstimator {
  private static final long serialVersionUID = 1L;

  protected final IntParam featureDim = new IntParam(this, "featureDim", "number of features (feature_dim)");
  protected final IntParam miniBatchSize =
      new IntParam(this, "miniBatchSize", "rows per mini-batch (mini_batch_size)");

  protected BuiltInAlgorithmEstimator(String uid, SageMakerEstimatorOptions options) {
    super(uid, options);
  }

  /** The algorithm's preset: image per region. */
  protected abstract AlgorithmPreset<?, ?> preset();

  /** The deserializer used when the options name none. */
  protected abstract ResponseRowDeserializer defaultResponseRowDeserializer();

  public IntParam featureDim() {
    return featureDim;
  }

  public IntParam miniBatchSize() {
    return miniBatchSize;
  }

  public int getFeatureDim() {
    return (Integer) getOrDefault(featureDim);
  }

  @Override
  protected String trainingImage(String region) {
    return getOptions().trainingImage() != null ? getOptions().trainingImage() : preset().imageUri(region);
  }

  @Override
  protected int expectedVectorSize() {
    return isDefined(featureDim) ? (Integer) getOrDefault(featureDim) : 0;
  }

  @Override
  protected RequestRowSerializer requestRowSerializer() {
    if (getOptions().requestRowSerializer() != null) {
      return getOptions().requestRowSerializer();
    }
    String column = getOptions().trainingSparkDataFormatOptions().getOrDefault("featuresColumnName", "features");
    return new ProtobufRequestRowSerializer(column, expectedVectorSize());
  }

  @Override
  protected ResponseRowDeserializer responseRowDeserializer() {
    return getOptions().responseRowDeserializer() != null
        ? getOptions().responseRowDeserializer()
        : defaultResponseRowDeserializer();
  }
}
