package dev.sagemakerbeam.sdk;

/** An {@code s3://bucket/path} read from a Spark configuration key. */
public final class S3PathFromConfig implements S3Resource {
  private static final long serialVersionUID = 1L;

  /** The original library's key for the training input location. */
  public static final String DEFAULT_INPUT_KEY =
      "com.amazonaws.services.sagemaker.sparksdk.trainingInputS3DataPath";

  /** The original library's key for the training output location. */
  public static final String DEFAULT_OUTPUT_KEY =
      "com.amazonaws.services.sagemaker.sparksdk.trainingOutputS3DataPath";

  private final String configKey;

  public S3PathFromConfig(String configKey) {
    this.configKey = configKey;
  }

  public String configKey() {
    return configKey;
  }

  @Override
  public String toString() {
    return "S3PathFromConfig(" + configKey + ")";
  }
}
