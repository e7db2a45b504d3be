package dev.sagemakerbeam.transforms.batch;

import com.google.auto.value.AutoValue;
import dev.sagemakerbeam.transforms.inference.RequestSerializer;
import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sagemaker.model.CreateTransformJobRequest;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;
import software.amazon.awssdk.services.sagemaker.model.TransformDataSource;
import software.amazon.awssdk.services.sagemaker.model.TransformInput;
import software.amazon.awssdk.services.sagemaker.model.TransformOutput;
import software.amazon.awssdk.services.sagemaker.model.TransformResources;
import software.amazon.awssdk.services.sagemaker.model.TransformS3DataSource;

/**
 * How a batch transform job runs, apart from the model and the data: instances, payload size,
 * concurrency, batch strategy and the container's extra environment. The request and response
 * formats come from the serializer and deserializer ({@link #toRequest}): RecordIO-protobuf
 * requests are split as RecordIO, any other format by line; RecordIO-protobuf responses are
 * assembled as they come, others one per line.
 */
@AutoValue
public abstract class BatchTransformSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** SageMaker's MaxPayloadInMB bounds and default. */
  public static final int MAX_PAYLOAD_IN_MB = 100;

  public static final int DEFAULT_MAX_PAYLOAD_IN_MB = 6;

  /** MultiRecord packs records into requests up to MaxPayloadInMB; SingleRecord sends one each. */
  public enum BatchStrategy {
    MULTI_RECORD("MultiRecord"),
    SINGLE_RECORD("SingleRecord");

    private final String apiName;

    BatchStrategy(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }
  }

  BatchTransformSpec() {}

  public static Builder builder() {
    return new AutoValue_BatchTransformSpec.Builder()
        .instanceCount(1)
        .maxPayloadInMB(DEFAULT_MAX_PAYLOAD_IN_MB)
        .maxConcurrentTransforms(0)
        .batchStrategy(BatchStrategy.MULTI_RECORD)
        .environment(Map.of());
  }

  public abstract Builder toBuilder();

  public abstract String instanceType();

  public abstract int instanceCount();

  public abstract int maxPayloadInMB();

  /** Requests in flight per instance; 0 lets SageMaker choose. */
  public abstract int maxConcurrentTransforms();

  public abstract BatchStrategy batchStrategy();

  /** Added to the model's container environment for this job. */
  public abstract Map<String, String> environment();

  /** Whether the serializer's records can be split out of a staged object (see the class). */
  public static void checkSplittable(RequestSerializer<?> serializer) {
    if (serializer.bodyPrefix().length > 0
        || serializer.bodySuffix().length > 0
        || serializer.rowSeparator().length > 0) {
      throw new IllegalArgumentException(
          "batch transform needs records SageMaker can split (RecordIO or one per line), but "
              + serializer.getClass().getName()
              + " ("
              + serializer.contentType()
              + ") wraps its rows in a body; use a RecordIO-protobuf, CSV or LibSVM serializer");
    }
  }

  /** RecordIO for RecordIO-protobuf requests, Line for the others. */
  public static String splitType(RequestSerializer<?> serializer) {
    return isRecordIo(serializer.contentType()) ? "RecordIO" : "Line";
  }

  /** None for RecordIO-protobuf responses (their records frame themselves), Line for the others. */
  public static String assembleWith(ResponseDeserializer<?> deserializer) {
    return isRecordIo(deserializer.accept()) ? "None" : "Line";
  }

  static boolean isRecordIo(String mediaType) {
    return mediaType != null && mediaType.toLowerCase().startsWith("application/x-recordio");
  }

  /**
   * The CreateTransformJob request for {@code modelName} reading every object under {@code
   * inputPrefix} and writing {@code <object>.out} under {@code outputPrefix}.
   */
  public CreateTransformJobRequest toRequest(
      String jobName,
      String modelName,
      String inputPrefix,
      String outputPrefix,
      RequestSerializer<?> serializer,
      ResponseDeserializer<?> deserializer) {
    checkSplittable(serializer);
    CreateTransformJobRequest.Builder b =
        CreateTransformJobRequest.builder()
            .transformJobName(jobName)
            .modelName(modelName)
            .batchStrategy(batchStrategy().apiName())
            .maxPayloadInMB(maxPayloadInMB())
            .transformInput(
                TransformInput.builder()
                    .dataSource(
                        TransformDataSource.builder()
                            .s3DataSource(
                                TransformS3DataSource.builder()
                                    .s3DataType(S3DataType.S3_PREFIX)
                                    .s3Uri(inputPrefix)
                                    .build())
                            .build())
                    .contentType(serializer.contentType())
                    .compressionType("None")
                    .splitType(splitType(serializer))
                    .build())
            .transformOutput(
                TransformOutput.builder()
                    .s3OutputPath(outputPrefix)
                    .accept(deserializer.accept())
                    .assembleWith(assembleWith(deserializer))
                    .build())
            .transformResources(
                TransformResources.builder()
                    .instanceType(instanceType())
                    .instanceCount(instanceCount())
                    .build());
    if (maxConcurrentTransforms() > 0) {
      b.maxConcurrentTransforms(maxConcurrentTransforms());
    }
    if (!environment().isEmpty()) {
      b.environment(environment());
    }
    return b.build();
  }

  /** Builder; the instance type is required, the rest has SageMaker's defaults. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder instanceType(String v);

    public abstract Builder instanceCount(int v);

    public abstract Builder maxPayloadInMB(int v);

    public abstract Builder maxConcurrentTransforms(int v);

    public abstract Builder batchStrategy(BatchStrategy v);

    public abstract Builder environment(Map<String, String> v);

    abstract Map<String, String> environment();

    abstract BatchTransformSpec autoBuild();

    public final BatchTransformSpec build() {
      environment(Collections.unmodifiableMap(new LinkedHashMap<>(environment())));
      BatchTransformSpec spec = autoBuild();
      if (spec.instanceType().isBlank()) {
        throw new IllegalArgumentException("instanceType must not be blank, e.g. ml.m5.large");
      }
      if (spec.instanceCount() < 1) {
        throw new IllegalArgumentException(
            "instanceCount must be at least 1, was " + spec.instanceCount());
      }
      if (spec.maxPayloadInMB() < 1 || spec.maxPayloadInMB() > MAX_PAYLOAD_IN_MB) {
        throw new IllegalArgumentException(
            "maxPayloadInMB must be between 1 and "
                + MAX_PAYLOAD_IN_MB
                + " (SageMaker's limit), was "
                + spec.maxPayloadInMB());
      }
      if (spec.maxConcurrentTransforms() < 0) {
        throw new IllegalArgumentException(
            "maxConcurrentTransforms must be 0 (SageMaker chooses) or more, was "
                + spec.maxConcurrentTransforms());
      }
      return spec;
    }
  }
}
