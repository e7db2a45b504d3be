package dev.sagemakerbeam.sdk;

import com.google.auto.value.AutoValue;
import dev.sagemakerbeam.transforms.batch.BatchTransformSpec;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Every option of a {@link SageMakerEstimator} (those of the original SageMaker Spark library, plus
 * client configuration and waits), built with {@link #builder()} in place of Scala's named
 * arguments. An AutoValue value, serializable (Spark ships it with the stages) and immutable: the
 * maps and lists it hands out cannot be changed (change options with {@link #toBuilder()}), so
 * estimators and their copies never share a change. {@link Builder#build()} checks every value,
 * naming the option and what it accepts.
 */
@AutoValue
public abstract class SageMakerEstimatorOptions implements Serializable {
  private static final long serialVersionUID = 2L;

  SageMakerEstimatorOptions() {}

  /** A builder with the defaults of the original SageMaker Spark library. */
  public static Builder builder() {
    return new AutoValue_SageMakerEstimatorOptions.Builder()
        .hyperParameters(Map.of())
        .sagemakerRole(new IAMRoleFromConfig())
        .trainingInstanceType("ml.m5.large")
        .trainingInstanceCount(1)
        .trainingInstanceVolumeSizeInGB(30)
        .endpointInstanceType("ml.m5.large")
        .endpointInitialInstanceCount(1)
        .trainingSparkDataFormatOptions(Map.of())
        .trainingInputS3DataPath(new S3AutoCreatePath())
        .trainingOutputS3DataPath(new S3AutoCreatePath())
        .trainingChannelName("train")
        .trainingS3DataDistribution("ShardedByS3Key")
        .trainingMaxRuntimeInSeconds(86400)
        .modelEnvironmentVariables(Map.of())
        .deleteStagingDataAfterTraining(true)
        .endpointCreationPolicy(EndpointCreationPolicy.CREATE_ON_CONSTRUCT)
        .namePolicyFactory(NamePolicyFactory.defaultPrefix())
        .clientConfiguration(SageMakerClientConfiguration.builder().build())
        .modelPrependInputRowsToTransformationRows(true)
        .maxRecordsPerRequest(1000)
        .maxInFlightRequests(4)
        .pollInterval(Duration.ofSeconds(5))
        .endpointTimeout(Duration.ofMinutes(30))
        .useBatchTransform(false)
        .batchTransformS3DataPath(new S3AutoCreatePath())
        .batchTransformMaxPayloadInMB(BatchTransformSpec.DEFAULT_MAX_PAYLOAD_IN_MB)
        .batchTransformMaxConcurrentTransforms(0)
        .batchTransformStrategy(BatchTransformSpec.BatchStrategy.MULTI_RECORD)
        .deleteBatchTransformData(true)
        .batchTransformTimeout(Duration.ofHours(2));
  }

  /** A builder starting from these options. */
  public abstract Builder toBuilder();

  /** Training image URI; algorithm estimators default to their preset's image for the region. */
  public abstract @Nullable String trainingImage();

  /** Serving image URI; defaults to the training image. */
  public abstract @Nullable String modelImage();

  /** How rows are sent to the endpoint. */
  public abstract @Nullable RequestRowSerializer requestRowSerializer();

  /** How responses become columns. */
  public abstract @Nullable ResponseRowDeserializer responseRowDeserializer();

  /** Hyperparameters passed as given (algorithm estimators add their Params). */
  public abstract Map<String, String> hyperParameters();

  /**
   * Role for training and hosting; default from Spark config key {@value
   * IAMRoleFromConfig#DEFAULT_KEY}.
   */
  public abstract IAMRoleResource sagemakerRole();

  /** Training instance type. */
  public abstract @Nullable String trainingInstanceType();

  /** Training instance count. */
  public abstract int trainingInstanceCount();

  /** Training volume size (GB). */
  public abstract int trainingInstanceVolumeSizeInGB();

  /** Endpoint instance type. */
  public abstract @Nullable String endpointInstanceType();

  /** Endpoint initial instance count. */
  public abstract int endpointInitialInstanceCount();

  /**
   * Staging format: sagemaker (RecordIO-protobuf), libsvm or csv; null when not set (the
   * estimator's default: sagemaker, libsvm for XGBoost).
   */
  public abstract @Nullable String trainingSparkDataFormat();

  /** Format options: labelColumnName (default label), featuresColumnName (default features). */
  public abstract Map<String, String> trainingSparkDataFormatOptions();

  /** Columns selected before staging (null: label and features). */
  public abstract @Nullable List<String> trainingProjectedColumns();

  /** Where training data is staged. */
  public abstract S3Resource trainingInputS3DataPath();

  /** Where model artifacts are written. */
  public abstract S3Resource trainingOutputS3DataPath();

  /** Training channel name. */
  public abstract @Nullable String trainingChannelName();

  /**
   * A boolean column of the Dataset given to {@code fit} whose true rows are staged as the {@code
   * validation} channel and the rest (false or null) as the training data, as Spark's own GBT
   * estimators take their validation rows, so that an estimator in a {@code Pipeline} (one Dataset)
   * gets validation metrics and early stopping. Null (the default): no split.
   */
  public abstract @Nullable String validationIndicatorColumnName();

  /** Channel content type; defaults to the staging format's. */
  public abstract @Nullable String trainingContentType();

  /** ShardedByS3Key or FullyReplicated. */
  public abstract @Nullable String trainingS3DataDistribution();

  /** null (none) or gzip: staged files are gzip-compressed. */
  public abstract @Nullable String trainingCompressionCodec();

  /** Training max runtime (s). */
  public abstract int trainingMaxRuntimeInSeconds();

  /** KMS key for model artifacts. */
  public abstract @Nullable String trainingKmsKeyId();

  /** Environment of the hosted model's container. */
  public abstract Map<String, String> modelEnvironmentVariables();

  /** Delete the staged training data once the job ends. */
  public abstract boolean deleteStagingDataAfterTraining();

  /** When the endpoint is created. */
  public abstract EndpointCreationPolicy endpointCreationPolicy();

  /** Names of jobs, models, configs, endpoints. */
  public abstract NamePolicyFactory namePolicyFactory();

  /** Region, credentials and endpoints of every client (SageMaker Local or AWS). */
  public abstract SageMakerClientConfiguration clientConfiguration();

  /** Keep the input columns in front of the result columns. */
  public abstract boolean modelPrependInputRowsToTransformationRows();

  /**
   * null: a failed row fails the transform; else failed rows are kept with the error in this
   * column.
   */
  public abstract @Nullable String modelErrorColumnName();

  /** Rows per InvokeEndpoint request at most. */
  public abstract int maxRecordsPerRequest();

  /** Concurrent InvokeEndpoint requests per partition. */
  public abstract int maxInFlightRequests();

  /** Between status polls of jobs and endpoints. */
  public abstract Duration pollInterval();

  /** How long fit() waits for training (null: max runtime plus one hour). */
  public abstract @Nullable Duration trainingTimeout();

  /** How long to wait for an endpoint to be InService. */
  public abstract Duration endpointTimeout();

  /**
   * Transform with SageMaker batch transform jobs instead of an endpoint: {@code fit} hosts
   * nothing, and each {@code transform} stages its rows, runs one job on {@link
   * #endpointInstanceType()} x {@link #endpointInitialInstanceCount()} and returns every row with
   * its prediction columns (see {@link SageMakerModel#batchTransform}).
   */
  public abstract boolean useBatchTransform();

  /** Where batch transform input and output are staged ({@code <path>/<job>/input|output/}). */
  public abstract S3Resource batchTransformS3DataPath();

  /** The largest request of a batch transform job, in MB (1 to 100; SageMaker's default 6). */
  public abstract int batchTransformMaxPayloadInMB();

  /** Requests in flight per instance of a batch transform job (0: SageMaker chooses). */
  public abstract int batchTransformMaxConcurrentTransforms();

  /** MultiRecord (rows packed into requests up to the payload size) or SingleRecord. */
  public abstract BatchTransformSpec.BatchStrategy batchTransformStrategy();

  /** Delete a batch transform's staged input and output once its rows are read back. */
  public abstract boolean deleteBatchTransformData();

  /** How long a batch transform job may run before it is stopped. */
  public abstract Duration batchTransformTimeout();

  /** Builder of {@link SageMakerEstimatorOptions}; {@link #build()} checks the values. */
  @AutoValue.Builder
  public abstract static class Builder {
    Builder() {}

    /** Training image URI; algorithm estimators default to their preset's image for the region. */
    public abstract Builder trainingImage(@Nullable String v);

    /** Serving image URI; defaults to the training image. */
    public abstract Builder modelImage(@Nullable String v);

    /** How rows are sent to the endpoint. */
    public abstract Builder requestRowSerializer(@Nullable RequestRowSerializer v);

    /** How responses become columns. */
    public abstract Builder responseRowDeserializer(@Nullable ResponseRowDeserializer v);

    /** Hyperparameters passed as given (algorithm estimators add their Params). */
    public abstract Builder hyperParameters(Map<String, String> v);

    abstract Map<String, String> hyperParameters();

    /**
     * Role for training and hosting; default from Spark config key {@value
     * IAMRoleFromConfig#DEFAULT_KEY}.
     */
    public abstract Builder sagemakerRole(IAMRoleResource v);

    /** Training instance type. */
    public abstract Builder trainingInstanceType(@Nullable String v);

    /** Training instance count. */
    public abstract Builder trainingInstanceCount(int v);

    /** Training volume size (GB). */
    public abstract Builder trainingInstanceVolumeSizeInGB(int v);

    /** Endpoint instance type. */
    public abstract Builder endpointInstanceType(@Nullable String v);

    /** Endpoint initial instance count. */
    public abstract Builder endpointInitialInstanceCount(int v);

    /**
     * Staging format: sagemaker (RecordIO-protobuf), libsvm or csv; null when not set (the
     * estimator's default: sagemaker, libsvm for XGBoost).
     */
    public abstract Builder trainingSparkDataFormat(@Nullable String v);

    /** Format options: labelColumnName (default label), featuresColumnName (default features). */
    public abstract Builder trainingSparkDataFormatOptions(Map<String, String> v);

    abstract Map<String, String> trainingSparkDataFormatOptions();

    /** Columns selected before staging (null: label and features). */
    public abstract Builder trainingProjectedColumns(@Nullable List<String> v);

    abstract @Nullable List<String> trainingProjectedColumns();

    /** Where training data is staged. */
    public abstract Builder trainingInputS3DataPath(S3Resource v);

    /** Where model artifacts are written. */
    public abstract Builder trainingOutputS3DataPath(S3Resource v);

    /** Training channel name. */
    public abstract Builder trainingChannelName(@Nullable String v);

    /**
     * A boolean column whose true rows are the {@code validation} channel (see {@link
     * SageMakerEstimatorOptions#validationIndicatorColumnName()}).
     */
    public abstract Builder validationIndicatorColumnName(@Nullable String v);

    /** Channel content type; defaults to the staging format's. */
    public abstract Builder trainingContentType(@Nullable String v);

    /** ShardedByS3Key or FullyReplicated. */
    public abstract Builder trainingS3DataDistribution(@Nullable String v);

    /** null (none) or gzip: staged files are gzip-compressed. */
    public abstract Builder trainingCompressionCodec(@Nullable String v);

    /** Training max runtime (s). */
    public abstract Builder trainingMaxRuntimeInSeconds(int v);

    /** KMS key for model artifacts. */
    public abstract Builder trainingKmsKeyId(@Nullable String v);

    /** Environment of the hosted model's container. */
    public abstract Builder modelEnvironmentVariables(Map<String, String> v);

    abstract Map<String, String> modelEnvironmentVariables();

    /** Delete the staged training data once the job ends. */
    public abstract Builder deleteStagingDataAfterTraining(boolean v);

    /** When the endpoint is created. */
    public abstract Builder endpointCreationPolicy(EndpointCreationPolicy v);

    /** Names of jobs, models, configs, endpoints. */
    public abstract Builder namePolicyFactory(NamePolicyFactory v);

    /** Region, credentials and endpoints of every client (SageMaker Local or AWS). */
    public abstract Builder clientConfiguration(SageMakerClientConfiguration v);

    /** Keep the input columns in front of the result columns. */
    public abstract Builder modelPrependInputRowsToTransformationRows(boolean v);

    /**
     * null: a failed row fails the transform; else failed rows are kept with the error in this
     * column.
     */
    public abstract Builder modelErrorColumnName(@Nullable String v);

    /** Rows per InvokeEndpoint request at most. */
    public abstract Builder maxRecordsPerRequest(int v);

    /** Concurrent InvokeEndpoint requests per partition. */
    public abstract Builder maxInFlightRequests(int v);

    /** Between status polls of jobs and endpoints. */
    public abstract Builder pollInterval(Duration v);

    /** How long fit() waits for training (null: max runtime plus one hour). */
    public abstract Builder trainingTimeout(@Nullable Duration v);

    /** How long to wait for an endpoint to be InService. */
    public abstract Builder endpointTimeout(Duration v);

    /**
     * Transform with SageMaker batch transform jobs instead of an endpoint: {@code fit} hosts
     * nothing, and each {@code transform} stages its rows, runs one job on {@link
     * #endpointInstanceType()} x {@link #endpointInitialInstanceCount()} and returns every row with
     * its prediction columns (see {@link SageMakerModel#batchTransform}).
     */
    public abstract Builder useBatchTransform(boolean v);

    /** Where batch transform input and output are staged ({@code <path>/<job>/input|output/}). */
    public abstract Builder batchTransformS3DataPath(S3Resource v);

    /** The largest request of a batch transform job, in MB (1 to 100; SageMaker's default 6). */
    public abstract Builder batchTransformMaxPayloadInMB(int v);

    /** Requests in flight per instance of a batch transform job (0: SageMaker chooses). */
    public abstract Builder batchTransformMaxConcurrentTransforms(int v);

    /** MultiRecord (rows packed into requests up to the payload size) or SingleRecord. */
    public abstract Builder batchTransformStrategy(BatchTransformSpec.BatchStrategy v);

    /** Delete a batch transform's staged input and output once its rows are read back. */
    public abstract Builder deleteBatchTransformData(boolean v);

    /** How long a batch transform job may run before it is stopped. */
    public abstract Builder batchTransformTimeout(Duration v);

    /** A shortcut for {@code sagemakerRole(new IAMRole(arn))}. */
    public Builder roleArn(String arn) {
      return sagemakerRole(new IAMRole(arn));
    }

    abstract SageMakerEstimatorOptions autoBuild();

    /** The options, with unmodifiable copies of the maps and lists; checks every value. */
    public SageMakerEstimatorOptions build() {
      hyperParameters(unmodifiableCopy(hyperParameters()));
      trainingSparkDataFormatOptions(unmodifiableCopy(trainingSparkDataFormatOptions()));
      modelEnvironmentVariables(unmodifiableCopy(modelEnvironmentVariables()));
      if (trainingProjectedColumns() != null) {
        trainingProjectedColumns(List.copyOf(trainingProjectedColumns()));
      }
      SageMakerEstimatorOptions o = autoBuild();
      atLeastOne("trainingInstanceCount", o.trainingInstanceCount());
      atLeastOne("trainingInstanceVolumeSizeInGB", o.trainingInstanceVolumeSizeInGB());
      atLeastOne("endpointInitialInstanceCount", o.endpointInitialInstanceCount());
      if (o.trainingSparkDataFormat() != null) {
        StagingFormat.of(o.trainingSparkDataFormat()); // names the supported formats
      }
      if (o.trainingCompressionCodec() != null
          && !o.trainingCompressionCodec().equalsIgnoreCase("gzip")) {
        throw new IllegalArgumentException(
            "trainingCompressionCodec must be null (none) or gzip, was '"
                + o.trainingCompressionCodec()
                + "'");
      }
      atLeastOne("trainingMaxRuntimeInSeconds", o.trainingMaxRuntimeInSeconds());
      atLeastOne("maxRecordsPerRequest", o.maxRecordsPerRequest());
      atLeastOne("maxInFlightRequests", o.maxInFlightRequests());
      positive("pollInterval", o.pollInterval());
      positive("endpointTimeout", o.endpointTimeout());
      positive("batchTransformTimeout", o.batchTransformTimeout());
      if (o.batchTransformMaxPayloadInMB() < 1
          || o.batchTransformMaxPayloadInMB() > BatchTransformSpec.MAX_PAYLOAD_IN_MB) {
        throw new IllegalArgumentException(
            "batchTransformMaxPayloadInMB must be between 1 and 100 (SageMaker's limit), was "
                + o.batchTransformMaxPayloadInMB());
      }
      if (o.batchTransformMaxConcurrentTransforms() < 0) {
        throw new IllegalArgumentException(
            "batchTransformMaxConcurrentTransforms must be 0 (SageMaker chooses) or more, was "
                + o.batchTransformMaxConcurrentTransforms());
      }
      return o;
    }

    private static Map<String, String> unmodifiableCopy(Map<String, String> map) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    private static void atLeastOne(String name, int v) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, was " + v);
      }
    }

    private static void positive(String name, Duration v) {
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration, was " + v);
      }
    }
  }
}
