package dev.sagemakerbeam.sdk;

import org.apache.spark.SparkConf;

/**
 * The IAM role ARN read from a Spark configuration key, by default {@value #DEFAULT_KEY} (the key
 * of the original SageMaker Spark library).
 */
public final class IAMRoleFromConfig implements IAMRoleResource {
  private static final long serialVersionUID = 1L;
  public static final String DEFAULT_KEY =
      "com.amazonaws.services.sagemaker.sparksdk.sagemakerrole";
  private final String configKey;

  public IAMRoleFromConfig() {
    this(DEFAULT_KEY);
  }

  public IAMRoleFromConfig(String configKey) {
    this.configKey = configKey;
  }

  public String configKey() {
    return configKey;
  }

  @Override
  public String resolve(SparkConf conf) {
    if (!conf.contains(configKey)) {
      throw new IllegalArgumentException(
          "No SageMaker role: the Spark configuration has no key "
              + configKey
              + "; set it (--conf "
              + configKey
              + "=arn:aws:iam::<account>:role/<name>) or pass an IAMRole");
    }
    return conf.get(configKey);
  }

  @Override
  public String toString() {
    return "IAMRoleFromConfig(" + configKey + ")";
  }
}
