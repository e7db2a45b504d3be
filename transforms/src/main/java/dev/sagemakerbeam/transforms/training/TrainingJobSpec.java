package dev.sagemakerbeam.transforms.training;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sagemaker.model.AlgorithmSpecification;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.CompressionType;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DataSource;
import software.amazon.awssdk.services.sagemaker.model.OutputDataConfig;
import software.amazon.awssdk.services.sagemaker.model.ResourceConfig;
import software.amazon.awssdk.services.sagemaker.model.S3DataDistribution;
import software.amazon.awssdk.services.sagemaker.model.S3DataSource;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;
import software.amazon.awssdk.services.sagemaker.model.StoppingCondition;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.TrainingInputMode;
import software.amazon.awssdk.services.sagemaker.model.VpcConfig;

/**
 * Everything about a training job except its name and where its data is: image, role, resources,
 * limits, the input channel's shape, output, encryption, network, tags, environment and
 * hyperparameters. The Beam transform and the Spark estimators both build one and turn it into a
 * {@link CreateTrainingJobRequest} with {@link #toRequest}, so the request is assembled in one
 * place.
 *
 * <p>Immutable and serializable; validated on {@link Builder#build()} with messages naming the
 * field, the value and the rule.
 */
public final class TrainingJobSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** SageMaker's limits on hyperparameters. */
  public static final int MAX_HYPERPARAMETERS = 100;

  public static final int MAX_HYPERPARAMETER_LENGTH = 256;

  public static final int MAX_HYPERPARAMETER_VALUE_LENGTH = 2500;

  private final String trainingImage;
  private final String roleArn;
  private final String instanceType;
  private final int instanceCount;
  private final int volumeSizeInGb;
  private final int maxRuntimeInSeconds;
  private final String inputMode;
  private final String channelName;
  private final String contentType;
  private final String compressionType;
  private final String s3DataDistribution;
  private final String s3DataType;
  private final String outputPath;
  private final String kmsKeyId;
  private final ArrayList<String> securityGroupIds;
  private final ArrayList<String> subnets;
  private final LinkedHashMap<String, String> tags;
  private final LinkedHashMap<String, String> environment;
  private final LinkedHashMap<String, String> hyperparameters;
  private final Builder source; // what this spec was built from, for toBuilder()

  private TrainingJobSpec(Builder b) {
    this.source = b.copy();
    this.trainingImage = required(b.trainingImage, "trainingImage", "the algorithm's image URI");
    this.roleArn = required(b.roleArn, "roleArn", "an IAM role ARN SageMaker can assume");
    this.instanceType = required(b.instanceType, "instanceType", "e.g. ml.m5.xlarge");
    this.instanceCount = atLeast(b.instanceCount, 1, "instanceCount");
    this.volumeSizeInGb = atLeast(b.volumeSizeInGb, 1, "volumeSizeInGb");
    this.maxRuntimeInSeconds = atLeast(b.maxRuntimeInSeconds, 1, "maxRuntimeInSeconds");
    this.inputMode = oneOf(b.inputMode, "inputMode", TrainingInputMode.knownValues());
    this.channelName = required(b.channelName, "channelName", "e.g. train");
    this.contentType = b.contentType;
    this.compressionType =
        oneOf(b.compressionType, "compressionType", CompressionType.knownValues());
    this.s3DataDistribution =
        oneOf(b.s3DataDistribution, "s3DataDistribution", S3DataDistribution.knownValues());
    this.s3DataType =
        oneOf(
            b.s3DataType,
            "s3DataType",
            java.util.Set.of(S3DataType.S3_PREFIX, S3DataType.MANIFEST_FILE));
    this.outputPath = b.outputPath;
    if (outputPath != null && !outputPath.startsWith("s3://")) {
      throw new IllegalArgumentException(
          "outputPath must be an s3:// URI, was \"" + outputPath + "\"");
    }
    this.kmsKeyId = b.kmsKeyId;
    this.securityGroupIds = new ArrayList<>(b.securityGroupIds);
    this.subnets = new ArrayList<>(b.subnets);
    if (securityGroupIds.isEmpty() != subnets.isEmpty()) {
      throw new IllegalArgumentException(
          "a VPC configuration needs both security group ids and subnets; got "
              + securityGroupIds.size()
              + " security groups and "
              + subnets.size()
              + " subnets");
    }
    this.tags = new LinkedHashMap<>(b.tags);
    this.environment = new LinkedHashMap<>(b.environment);
    this.hyperparameters = new LinkedHashMap<>(b.hyperparameters);
    validateHyperparameters(hyperparameters);
  }

  /**
   * Checks SageMaker's hyperparameter limits: at most 100, names up to 256 characters, values up to
   * 2,500.
   */
  public static void validateHyperparameters(Map<String, String> hyperparameters) {
    if (hyperparameters.size() > MAX_HYPERPARAMETERS) {
      throw new IllegalArgumentException(
          "SageMaker takes at most "
              + MAX_HYPERPARAMETERS
              + " hyperparameters; got "
              + hyperparameters.size());
    }
    for (Map.Entry<String, String> e : hyperparameters.entrySet()) {
      if (e.getKey() == null
          || e.getKey().isEmpty()
          || e.getKey().length() > MAX_HYPERPARAMETER_LENGTH) {
        throw new IllegalArgumentException(
            "hyperparameter name \""
                + e.getKey()
                + "\" must have 1 to "
                + MAX_HYPERPARAMETER_LENGTH
                + " characters");
      }
      if (e.getValue() == null || e.getValue().length() > MAX_HYPERPARAMETER_VALUE_LENGTH) {
        throw new IllegalArgumentException(
            "hyperparameter "
                + e.getKey()
                + " has value \""
                + abbreviate(e.getValue())
                + "\"; values must be non-null with at most "
                + MAX_HYPERPARAMETER_VALUE_LENGTH
                + " characters");
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this spec's settings, to derive a changed spec. */
  public Builder toBuilder() {
    return source.copy();
  }

  /**
   * The CreateTrainingJob request for a job named {@code jobName} reading {@code dataUri} (an S3
   * prefix or, for {@code ManifestFile}, the manifest's URI) and writing under {@code outputPath}
   * (this spec's output path when set).
   */
  public CreateTrainingJobRequest toRequest(
      String jobName, String dataUri, String defaultOutputPath) {
    return toRequest(jobName, Map.of(channelName, dataUri), defaultOutputPath);
  }

  /**
   * The request with several input channels, channel name to data URI (for example {@code train}
   * and {@code validation}); each has this spec's content type, compression and distribution.
   */
  public CreateTrainingJobRequest toRequest(
      String jobName, Map<String, String> channelUris, String defaultOutputPath) {
    if (channelUris.isEmpty()) {
      throw new IllegalArgumentException("training job " + jobName + " needs at least one channel");
    }
    String output = outputPath != null ? outputPath : defaultOutputPath;
    if (output == null) {
      throw new IllegalArgumentException(
          "training job " + jobName + " has no output path; set outputPath on the TrainingJobSpec");
    }
    List<Channel> channels = new ArrayList<>();
    channelUris.forEach(
        (name, dataUri) -> {
          Channel.Builder channel =
              Channel.builder()
                  .channelName(name)
                  .compressionType(compressionType)
                  .inputMode(inputMode)
                  .dataSource(
                      DataSource.builder()
                          .s3DataSource(
                              S3DataSource.builder()
                                  .s3Uri(dataUri)
                                  .s3DataType(s3DataType)
                                  .s3DataDistributionType(s3DataDistribution)
                                  .build())
                          .build());
          if (contentType != null) {
            channel.contentType(contentType);
          }
          channels.add(channel.build());
        });
    OutputDataConfig.Builder outputConfig = OutputDataConfig.builder().s3OutputPath(output);
    if (kmsKeyId != null) {
      outputConfig.kmsKeyId(kmsKeyId);
    }
    CreateTrainingJobRequest.Builder request =
        CreateTrainingJobRequest.builder()
            .trainingJobName(jobName)
            .algorithmSpecification(
                AlgorithmSpecification.builder()
                    .trainingImage(trainingImage)
                    .trainingInputMode(inputMode)
                    .build())
            .roleArn(roleArn)
            .resourceConfig(
                ResourceConfig.builder()
                    .instanceType(instanceType)
                    .instanceCount(instanceCount)
                    .volumeSizeInGB(volumeSizeInGb)
                    .build())
            .stoppingCondition(
                StoppingCondition.builder().maxRuntimeInSeconds(maxRuntimeInSeconds).build())
            .inputDataConfig(channels)
            .outputDataConfig(outputConfig.build())
            .hyperParameters(hyperparameters);
    if (!environment.isEmpty()) {
      request.environment(environment);
    }
    if (!tags.isEmpty()) {
      List<Tag> tagList = new ArrayList<>();
      tags.forEach((k, v) -> tagList.add(Tag.builder().key(k).value(v).build()));
      request.tags(tagList);
    }
    if (!subnets.isEmpty()) {
      request.vpcConfig(
          VpcConfig.builder().securityGroupIds(securityGroupIds).subnets(subnets).build());
    }
    return request.build();
  }

  public String trainingImage() {
    return trainingImage;
  }

  public String roleArn() {
    return roleArn;
  }

  public String instanceType() {
    return instanceType;
  }

  public int instanceCount() {
    return instanceCount;
  }

  public int maxRuntimeInSeconds() {
    return maxRuntimeInSeconds;
  }

  public String channelName() {
    return channelName;
  }

  public String contentType() {
    return contentType;
  }

  public String compressionType() {
    return compressionType;
  }

  public String s3DataDistribution() {
    return s3DataDistribution;
  }

  public String s3DataType() {
    return s3DataType;
  }

  /** The output path, or null to use the staging location's. */
  public String outputPath() {
    return outputPath;
  }

  public Map<String, String> hyperparameters() {
    return Collections.unmodifiableMap(hyperparameters);
  }

  public Map<String, String> environment() {
    return Collections.unmodifiableMap(environment);
  }

  public Map<String, String> tags() {
    return Collections.unmodifiableMap(tags);
  }

  @Override
  public String toString() {
    // the role ARN names an account but is no secret; hyperparameter values are user data: count
    // only
    return "TrainingJobSpec(image="
        + trainingImage
        + ", "
        + instanceCount
        + " x "
        + instanceType
        + ", channel="
        + channelName
        + " "
        + contentType
        + " "
        + s3DataType
        + "/"
        + s3DataDistribution
        + ", compression="
        + compressionType
        + ", maxRuntime="
        + maxRuntimeInSeconds
        + "s, "
        + hyperparameters.size()
        + " hyperparameters)";
  }

  private static String required(String value, String name, String hint) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("TrainingJobSpec needs " + name + " (" + hint + ")");
    }
    return value;
  }

  private static int atLeast(int value, int min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
    return value;
  }

  private static <E extends Enum<E>> String oneOf(
      String value, String name, java.util.Set<E> allowed) {
    for (E e : allowed) {
      if (e.toString().equals(value)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        name
            + " \""
            + value
            + "\" is not one of "
            + allowed.stream().map(Object::toString).sorted().toList());
  }

  private static String abbreviate(String s) {
    return s == null ? "null" : s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /**
   * Builder with SageMaker's usual defaults: 1 instance, 30 GB, 24 h, File mode, channel "train".
   */
  public static final class Builder implements Serializable {
    private static final long serialVersionUID = 1L;

    private String trainingImage;
    private String roleArn;
    private String instanceType;
    private int instanceCount = 1;
    private int volumeSizeInGb = 30;
    private int maxRuntimeInSeconds = 24 * 60 * 60;
    private String inputMode = TrainingInputMode.FILE.toString();
    private String channelName = "train";
    private String contentType;
    private String compressionType = CompressionType.NONE.toString();
    private String s3DataDistribution = S3DataDistribution.FULLY_REPLICATED.toString();
    private String s3DataType = S3DataType.S3_PREFIX.toString();
    private String outputPath;
    private String kmsKeyId;
    private final ArrayList<String> securityGroupIds = new ArrayList<>();
    private final ArrayList<String> subnets = new ArrayList<>();
    private final LinkedHashMap<String, String> tags = new LinkedHashMap<>();
    private final LinkedHashMap<String, String> environment = new LinkedHashMap<>();
    private final LinkedHashMap<String, String> hyperparameters = new LinkedHashMap<>();

    /** An independent copy, so immutable holders (Beam transforms) can derive from a builder. */
    public Builder copy() {
      Builder b = new Builder();
      b.trainingImage = trainingImage;
      b.roleArn = roleArn;
      b.instanceType = instanceType;
      b.instanceCount = instanceCount;
      b.volumeSizeInGb = volumeSizeInGb;
      b.maxRuntimeInSeconds = maxRuntimeInSeconds;
      b.inputMode = inputMode;
      b.channelName = channelName;
      b.contentType = contentType;
      b.compressionType = compressionType;
      b.s3DataDistribution = s3DataDistribution;
      b.s3DataType = s3DataType;
      b.outputPath = outputPath;
      b.kmsKeyId = kmsKeyId;
      b.securityGroupIds.addAll(securityGroupIds);
      b.subnets.addAll(subnets);
      b.tags.putAll(tags);
      b.environment.putAll(environment);
      b.hyperparameters.putAll(hyperparameters);
      return b;
    }

    public Builder trainingImage(String v) {
      trainingImage = v;
      return this;
    }

    public Builder roleArn(String v) {
      roleArn = v;
      return this;
    }

    public Builder instanceType(String v) {
      instanceType = v;
      return this;
    }

    public Builder instanceCount(int v) {
      instanceCount = v;
      return this;
    }

    public Builder volumeSizeInGb(int v) {
      volumeSizeInGb = v;
      return this;
    }

    public Builder maxRuntimeInSeconds(int v) {
      maxRuntimeInSeconds = v;
      return this;
    }

    /** {@code File} (default), {@code Pipe} or {@code FastFile}. */
    public Builder inputMode(String v) {
      inputMode = v;
      return this;
    }

    public Builder channelName(String v) {
      channelName = v;
      return this;
    }

    /** The channel's ContentType, e.g. {@code application/x-recordio-protobuf}. */
    public Builder contentType(String v) {
      contentType = v;
      return this;
    }

    /** {@code None} (default) or {@code Gzip}. */
    public Builder compressionType(String v) {
      compressionType = v;
      return this;
    }

    /** {@code FullyReplicated} (default) or {@code ShardedByS3Key}. */
    public Builder s3DataDistribution(String v) {
      s3DataDistribution = v;
      return this;
    }

    /** {@code S3Prefix} (default) or {@code ManifestFile}. */
    public Builder s3DataType(String v) {
      s3DataType = v;
      return this;
    }

    public Builder outputPath(String v) {
      outputPath = v;
      return this;
    }

    /** KMS key for the model artifacts. */
    public Builder kmsKeyId(String v) {
      kmsKeyId = v;
      return this;
    }

    public Builder vpcConfig(List<String> securityGroupIds, List<String> subnets) {
      this.securityGroupIds.clear();
      this.securityGroupIds.addAll(securityGroupIds);
      this.subnets.clear();
      this.subnets.addAll(subnets);
      return this;
    }

    public Builder tags(Map<String, String> v) {
      tags.clear();
      tags.putAll(Objects.requireNonNull(v, "tags"));
      return this;
    }

    public Builder environment(Map<String, String> v) {
      environment.clear();
      environment.putAll(Objects.requireNonNull(v, "environment"));
      return this;
    }

    /** Replaces all hyperparameters. */
    public Builder hyperparameters(Map<String, String> v) {
      hyperparameters.clear();
      hyperparameters.putAll(Objects.requireNonNull(v, "hyperparameters"));
      return this;
    }

    /** Adds or replaces hyperparameters. */
    public Builder putHyperparameters(Map<String, String> v) {
      hyperparameters.putAll(Objects.requireNonNull(v, "hyperparameters"));
      return this;
    }

    public TrainingJobSpec build() {
      return new TrainingJobSpec(this);
    }
  }
}
