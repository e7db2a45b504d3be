package dev.sagemakerbeam.transforms.training;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;
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
 * <p>An AutoValue value with unmodifiable maps and lists, serializable; validated on {@link
 * Builder#build()} with messages naming the field, the value and the rule. (The Beam transform
 * keeps an unvalidated draft while its {@code with*} methods fill it in, and builds the validated
 * spec when it is applied.)
 */
@AutoValue
public abstract class TrainingJobSpec implements Serializable {
  private static final long serialVersionUID = 2L;

  /** SageMaker's limits on hyperparameters. */
  public static final int MAX_HYPERPARAMETERS = 100;

  public static final int MAX_HYPERPARAMETER_LENGTH = 256;

  public static final int MAX_HYPERPARAMETER_VALUE_LENGTH = 2500;

  TrainingJobSpec() {}

  /**
   * A builder with SageMaker's usual defaults: 1 instance, 30 GB, 24 h, File mode, channel "train",
   * no compression, FullyReplicated S3Prefix input.
   */
  public static Builder builder() {
    return new AutoValue_TrainingJobSpec.Builder()
        .instanceCount(1)
        .volumeSizeInGb(30)
        .maxRuntimeInSeconds(24 * 60 * 60)
        .inputMode(TrainingInputMode.FILE.toString())
        .channelName("train")
        .compressionType(CompressionType.NONE.toString())
        .s3DataDistribution(S3DataDistribution.FULLY_REPLICATED.toString())
        .s3DataType(S3DataType.S3_PREFIX.toString())
        .securityGroupIds(List.of())
        .subnets(List.of())
        .tags(Map.of())
        .environment(Map.of())
        .hyperparameters(Map.of());
  }

  /** A builder holding this spec's settings, to derive a changed spec. */
  public abstract Builder toBuilder();

  /** The algorithm's image URI; never null on a spec from {@link Builder#build()}. */
  public abstract @Nullable String trainingImage();

  /** The IAM role SageMaker assumes; never null on a spec from {@link Builder#build()}. */
  public abstract @Nullable String roleArn();

  /** The instance type; never null on a spec from {@link Builder#build()}. */
  public abstract @Nullable String instanceType();

  public abstract int instanceCount();

  public abstract int volumeSizeInGb();

  public abstract int maxRuntimeInSeconds();

  /** {@code File}, {@code Pipe} or {@code FastFile}. */
  public abstract String inputMode();

  public abstract String channelName();

  /** The channel's ContentType, or null to send none. */
  public abstract @Nullable String contentType();

  public abstract String compressionType();

  public abstract String s3DataDistribution();

  public abstract String s3DataType();

  /** The output path, or null to use the staging location's. */
  public abstract @Nullable String outputPath();

  /** KMS key for the model artifacts, or null. */
  public abstract @Nullable String kmsKeyId();

  public abstract List<String> securityGroupIds();

  public abstract List<String> subnets();

  public abstract Map<String, String> tags();

  public abstract Map<String, String> environment();

  public abstract Map<String, String> hyperparameters();

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

  /**
   * The CreateTrainingJob request for a job named {@code jobName} reading {@code dataUri} (an S3
   * prefix or, for {@code ManifestFile}, the manifest's URI) and writing under {@code outputPath}
   * (this spec's output path when set).
   */
  public CreateTrainingJobRequest toRequest(
      String jobName, String dataUri, String defaultOutputPath) {
    return toRequest(jobName, Map.of(channelName(), dataUri), defaultOutputPath);
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
    String output = outputPath() != null ? outputPath() : defaultOutputPath;
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
                  .compressionType(compressionType())
                  .inputMode(inputMode())
                  .dataSource(
                      DataSource.builder()
                          .s3DataSource(
                              S3DataSource.builder()
                                  .s3Uri(dataUri)
                                  .s3DataType(s3DataType())
                                  .s3DataDistributionType(s3DataDistribution())
                                  .build())
                          .build());
          if (contentType() != null) {
            channel.contentType(contentType());
          }
          channels.add(channel.build());
        });
    OutputDataConfig.Builder outputConfig = OutputDataConfig.builder().s3OutputPath(output);
    if (kmsKeyId() != null) {
      outputConfig.kmsKeyId(kmsKeyId());
    }
    CreateTrainingJobRequest.Builder request =
        CreateTrainingJobRequest.builder()
            .trainingJobName(jobName)
            .algorithmSpecification(
                AlgorithmSpecification.builder()
                    .trainingImage(trainingImage())
                    .trainingInputMode(inputMode())
                    .build())
            .roleArn(roleArn())
            .resourceConfig(
                ResourceConfig.builder()
                    .instanceType(instanceType())
                    .instanceCount(instanceCount())
                    .volumeSizeInGB(volumeSizeInGb())
                    .build())
            .stoppingCondition(
                StoppingCondition.builder().maxRuntimeInSeconds(maxRuntimeInSeconds()).build())
            .inputDataConfig(channels)
            .outputDataConfig(outputConfig.build())
            .hyperParameters(hyperparameters());
    if (!environment().isEmpty()) {
      request.environment(environment());
    }
    if (!tags().isEmpty()) {
      List<Tag> tagList = new ArrayList<>();
      tags().forEach((k, v) -> tagList.add(Tag.builder().key(k).value(v).build()));
      request.tags(tagList);
    }
    if (!subnets().isEmpty()) {
      request.vpcConfig(
          VpcConfig.builder().securityGroupIds(securityGroupIds()).subnets(subnets()).build());
    }
    return request.build();
  }

  @Override
  public final String toString() {
    // the role ARN names an account but is no secret; hyperparameter values are user data: count
    // only
    return "TrainingJobSpec(image="
        + trainingImage()
        + ", "
        + instanceCount()
        + " x "
        + instanceType()
        + ", channel="
        + channelName()
        + " "
        + contentType()
        + " "
        + s3DataType()
        + "/"
        + s3DataDistribution()
        + ", compression="
        + compressionType()
        + ", maxRuntime="
        + maxRuntimeInSeconds()
        + "s, "
        + hyperparameters().size()
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

  private static <E extends Enum<E>> String oneOf(String value, String name, Set<E> allowed) {
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

  /** Builder; {@link #build()} validates, naming the field, the value and the rule. */
  @AutoValue.Builder
  public abstract static class Builder {
    Builder() {}

    public abstract Builder trainingImage(String v);

    public abstract Builder roleArn(String v);

    public abstract Builder instanceType(String v);

    public abstract Builder instanceCount(int v);

    public abstract Builder volumeSizeInGb(int v);

    public abstract Builder maxRuntimeInSeconds(int v);

    /** {@code File} (default), {@code Pipe} or {@code FastFile}. */
    public abstract Builder inputMode(String v);

    public abstract Builder channelName(String v);

    /** The channel's ContentType, e.g. {@code application/x-recordio-protobuf}. */
    public abstract Builder contentType(String v);

    /** {@code None} (default) or {@code Gzip}. */
    public abstract Builder compressionType(String v);

    /** {@code FullyReplicated} (default) or {@code ShardedByS3Key}. */
    public abstract Builder s3DataDistribution(String v);

    /** {@code S3Prefix} (default) or {@code ManifestFile}. */
    public abstract Builder s3DataType(String v);

    public abstract Builder outputPath(String v);

    /** KMS key for the model artifacts. */
    public abstract Builder kmsKeyId(String v);

    abstract Builder securityGroupIds(List<String> v);

    abstract List<String> securityGroupIds();

    abstract Builder subnets(List<String> v);

    abstract List<String> subnets();

    public abstract Builder tags(Map<String, String> v);

    abstract Map<String, String> tags();

    public abstract Builder environment(Map<String, String> v);

    abstract Map<String, String> environment();

    /** Replaces all hyperparameters. */
    public abstract Builder hyperparameters(Map<String, String> v);

    abstract Map<String, String> hyperparameters();

    abstract TrainingJobSpec autoBuild();

    public Builder vpcConfig(List<String> securityGroupIds, List<String> subnets) {
      return securityGroupIds(securityGroupIds).subnets(subnets);
    }

    /** Adds or replaces hyperparameters. */
    public Builder putHyperparameters(Map<String, String> v) {
      if (v == null) {
        throw new NullPointerException("hyperparameters");
      }
      Map<String, String> merged = new LinkedHashMap<>(hyperparameters());
      merged.putAll(v);
      return hyperparameters(merged);
    }

    /** The spec without validation, for a draft the Beam transform completes before building. */
    TrainingJobSpec buildDraft() {
      securityGroupIds(List.copyOf(securityGroupIds()));
      subnets(List.copyOf(subnets()));
      tags(unmodifiableCopy(tags()));
      environment(unmodifiableCopy(environment()));
      hyperparameters(unmodifiableCopy(hyperparameters()));
      return autoBuild();
    }

    /** The validated spec. */
    public TrainingJobSpec build() {
      TrainingJobSpec spec = buildDraft();
      required(spec.trainingImage(), "trainingImage", "the algorithm's image URI");
      required(spec.roleArn(), "roleArn", "an IAM role ARN SageMaker can assume");
      required(spec.instanceType(), "instanceType", "e.g. ml.m5.xlarge");
      atLeast(spec.instanceCount(), 1, "instanceCount");
      atLeast(spec.volumeSizeInGb(), 1, "volumeSizeInGb");
      atLeast(spec.maxRuntimeInSeconds(), 1, "maxRuntimeInSeconds");
      oneOf(spec.inputMode(), "inputMode", TrainingInputMode.knownValues());
      required(spec.channelName(), "channelName", "e.g. train");
      oneOf(spec.compressionType(), "compressionType", CompressionType.knownValues());
      oneOf(spec.s3DataDistribution(), "s3DataDistribution", S3DataDistribution.knownValues());
      oneOf(
          spec.s3DataType(), "s3DataType", Set.of(S3DataType.S3_PREFIX, S3DataType.MANIFEST_FILE));
      if (spec.outputPath() != null && !spec.outputPath().startsWith("s3://")) {
        throw new IllegalArgumentException(
            "outputPath must be an s3:// URI, was \"" + spec.outputPath() + "\"");
      }
      if (spec.securityGroupIds().isEmpty() != spec.subnets().isEmpty()) {
        throw new IllegalArgumentException(
            "a VPC configuration needs both security group ids and subnets; got "
                + spec.securityGroupIds().size()
                + " security groups and "
                + spec.subnets().size()
                + " subnets");
      }
      validateHyperparameters(spec.hyperparameters());
      return spec;
    }

    private static Map<String, String> unmodifiableCopy(Map<String, String> map) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
  }
}
