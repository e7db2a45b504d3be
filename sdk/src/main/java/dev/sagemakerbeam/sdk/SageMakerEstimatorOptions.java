package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.transforms.batch.BatchTransformSpec;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every option of a {@link SageMakerEstimator} (those of the original SageMaker Spark library, plus
 * client configuration and waits), built with {@link #builder()} in place of Scala's named
 * arguments. Immutable once built: the maps and lists it hands out cannot be changed (change
 * options with {@link #toBuilder()}), so estimators and their copies never share a change.
 */
public final class SageMakerEstimatorOptions implements Serializable, Cloneable {
  private static final long serialVersionUID = 1L;
  private String trainingImage = null;
  private String modelImage = null;
  private RequestRowSerializer requestRowSerializer = null;
  private ResponseRowDeserializer responseRowDeserializer = null;
  private Map<String, String> hyperParameters = new LinkedHashMap<>();
  private IAMRoleResource sagemakerRole = new IAMRoleFromConfig();
  private String trainingInstanceType = "ml.m5.large";
  private int trainingInstanceCount = 1;
  private int trainingInstanceVolumeSizeInGB = 30;
  private String endpointInstanceType = "ml.m5.large";
  private int endpointInitialInstanceCount = 1;
  private String trainingSparkDataFormat = null; // the estimator's default
  private Map<String, String> trainingSparkDataFormatOptions = new LinkedHashMap<>();
  private List<String> trainingProjectedColumns = null;
  private S3Resource trainingInputS3DataPath = new S3AutoCreatePath();
  private S3Resource trainingOutputS3DataPath = new S3AutoCreatePath();
  private String trainingChannelName = "train";
  private String trainingContentType = null;
  private String trainingS3DataDistribution = "ShardedByS3Key";
  private String trainingCompressionCodec = null;
  private int trainingMaxRuntimeInSeconds = 86400;
  private String trainingKmsKeyId = null;
  private Map<String, String> modelEnvironmentVariables = new LinkedHashMap<>();
  private boolean deleteStagingDataAfterTraining = true;
  private EndpointCreationPolicy endpointCreationPolicy =
      EndpointCreationPolicy.CREATE_ON_CONSTRUCT;
  private NamePolicyFactory namePolicyFactory = NamePolicyFactory.defaultPrefix();
  private SageMakerClientConfiguration clientConfiguration =
      SageMakerClientConfiguration.builder().build();
  private boolean modelPrependInputRowsToTransformationRows = true;
  private String modelErrorColumnName = null;
  private int maxRecordsPerRequest = 1000;
  private int maxInFlightRequests = 4;
  private Duration pollInterval = Duration.ofSeconds(5);
  private Duration trainingTimeout = null;
  private Duration endpointTimeout = Duration.ofMinutes(30);
  private boolean useBatchTransform = false;
  private S3Resource batchTransformS3DataPath = new S3AutoCreatePath();
  private int batchTransformMaxPayloadInMB = BatchTransformSpec.DEFAULT_MAX_PAYLOAD_IN_MB;
  private int batchTransformMaxConcurrentTransforms = 0;
  private BatchTransformSpec.BatchStrategy batchTransformStrategy =
      BatchTransformSpec.BatchStrategy.MULTI_RECORD;
  private boolean deleteBatchTransformData = true;
  private Duration batchTransformTimeout = Duration.ofHours(2);

  private SageMakerEstimatorOptions() {}

  public static Builder builder() {
    return new Builder(new SageMakerEstimatorOptions());
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(copy());
  }

  private SageMakerEstimatorOptions copy() {
    try {
      SageMakerEstimatorOptions c = (SageMakerEstimatorOptions) clone();
      c.hyperParameters = new LinkedHashMap<>(hyperParameters);
      c.trainingSparkDataFormatOptions = new LinkedHashMap<>(trainingSparkDataFormatOptions);
      c.modelEnvironmentVariables = new LinkedHashMap<>(modelEnvironmentVariables);
      c.trainingProjectedColumns =
          trainingProjectedColumns == null ? null : new ArrayList<>(trainingProjectedColumns);
      return c;
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  /** Training image URI; algorithm estimators default to their preset's image for the region. */
  public String trainingImage() {
    return trainingImage;
  }

  /** Serving image URI; defaults to the training image. */
  public String modelImage() {
    return modelImage;
  }

  /** How rows are sent to the endpoint. */
  public RequestRowSerializer requestRowSerializer() {
    return requestRowSerializer;
  }

  /** How responses become columns. */
  public ResponseRowDeserializer responseRowDeserializer() {
    return responseRowDeserializer;
  }

  /** Hyperparameters passed as given (algorithm estimators add their Params). */
  public Map<String, String> hyperParameters() {
    return Collections.unmodifiableMap(hyperParameters);
  }

  /**
   * Role for training and hosting; default from Spark config key {@value
   * IAMRoleFromConfig#DEFAULT_KEY}.
   */
  public IAMRoleResource sagemakerRole() {
    return sagemakerRole;
  }

  /** Training instance type. */
  public String trainingInstanceType() {
    return trainingInstanceType;
  }

  /** Training instance count. */
  public int trainingInstanceCount() {
    return trainingInstanceCount;
  }

  /** Training volume size (GB). */
  public int trainingInstanceVolumeSizeInGB() {
    return trainingInstanceVolumeSizeInGB;
  }

  /** Endpoint instance type. */
  public String endpointInstanceType() {
    return endpointInstanceType;
  }

  /** Endpoint initial instance count. */
  public int endpointInitialInstanceCount() {
    return endpointInitialInstanceCount;
  }

  /**
   * Staging format: sagemaker (RecordIO-protobuf), libsvm or csv; null when not set (the
   * estimator's default: sagemaker, libsvm for XGBoost).
   */
  public String trainingSparkDataFormat() {
    return trainingSparkDataFormat;
  }

  /** Format options: labelColumnName (default label), featuresColumnName (default features). */
  public Map<String, String> trainingSparkDataFormatOptions() {
    return Collections.unmodifiableMap(trainingSparkDataFormatOptions);
  }

  /** Columns selected before staging (null: label and features). */
  public List<String> trainingProjectedColumns() {
    return trainingProjectedColumns == null
        ? null
        : Collections.unmodifiableList(trainingProjectedColumns);
  }

  /** Where training data is staged. */
  public S3Resource trainingInputS3DataPath() {
    return trainingInputS3DataPath;
  }

  /** Where model artifacts are written. */
  public S3Resource trainingOutputS3DataPath() {
    return trainingOutputS3DataPath;
  }

  /** Training channel name. */
  public String trainingChannelName() {
    return trainingChannelName;
  }

  /** Channel content type; defaults to the staging format's. */
  public String trainingContentType() {
    return trainingContentType;
  }

  /** ShardedByS3Key or FullyReplicated. */
  public String trainingS3DataDistribution() {
    return trainingS3DataDistribution;
  }

  /** null (none) or gzip: staged files are gzip-compressed. */
  public String trainingCompressionCodec() {
    return trainingCompressionCodec;
  }

  /** Training max runtime (s). */
  public int trainingMaxRuntimeInSeconds() {
    return trainingMaxRuntimeInSeconds;
  }

  /** KMS key for model artifacts. */
  public String trainingKmsKeyId() {
    return trainingKmsKeyId;
  }

  /** Environment of the hosted model's container. */
  public Map<String, String> modelEnvironmentVariables() {
    return Collections.unmodifiableMap(modelEnvironmentVariables);
  }

  /** Delete the staged training data once the job ends. */
  public boolean deleteStagingDataAfterTraining() {
    return deleteStagingDataAfterTraining;
  }

  /** When the endpoint is created. */
  public EndpointCreationPolicy endpointCreationPolicy() {
    return endpointCreationPolicy;
  }

  /** Names of jobs, models, configs, endpoints. */
  public NamePolicyFactory namePolicyFactory() {
    return namePolicyFactory;
  }

  /** Region, credentials and endpoints of every client (SageMaker Local or AWS). */
  public SageMakerClientConfiguration clientConfiguration() {
    return clientConfiguration;
  }

  /** Keep the input columns in front of the result columns. */
  public boolean modelPrependInputRowsToTransformationRows() {
    return modelPrependInputRowsToTransformationRows;
  }

  /**
   * null: a failed row fails the transform; else failed rows are kept with the error in this
   * column.
   */
  public String modelErrorColumnName() {
    return modelErrorColumnName;
  }

  /** Rows per InvokeEndpoint request at most. */
  public int maxRecordsPerRequest() {
    return maxRecordsPerRequest;
  }

  /** Concurrent InvokeEndpoint requests per partition. */
  public int maxInFlightRequests() {
    return maxInFlightRequests;
  }

  /** Between status polls of jobs and endpoints. */
  public Duration pollInterval() {
    return pollInterval;
  }

  /** How long fit() waits for training (null: max runtime plus one hour). */
  public Duration trainingTimeout() {
    return trainingTimeout;
  }

  /** How long to wait for an endpoint to be InService. */
  public Duration endpointTimeout() {
    return endpointTimeout;
  }

  /**
   * Transform with SageMaker batch transform jobs instead of an endpoint: {@code fit} hosts
   * nothing, and each {@code transform} stages its rows, runs one job on {@link
   * #endpointInstanceType()} x {@link #endpointInitialInstanceCount()} and returns every row with
   * its prediction columns (see {@link SageMakerModel#batchTransform}).
   */
  public boolean useBatchTransform() {
    return useBatchTransform;
  }

  /** Where batch transform input and output are staged ({@code <path>/<job>/input|output/}). */
  public S3Resource batchTransformS3DataPath() {
    return batchTransformS3DataPath;
  }

  /** The largest request of a batch transform job, in MB (1 to 100; SageMaker's default 6). */
  public int batchTransformMaxPayloadInMB() {
    return batchTransformMaxPayloadInMB;
  }

  /** Requests in flight per instance of a batch transform job (0: SageMaker chooses). */
  public int batchTransformMaxConcurrentTransforms() {
    return batchTransformMaxConcurrentTransforms;
  }

  /** MultiRecord (rows packed into requests up to the payload size) or SingleRecord. */
  public BatchTransformSpec.BatchStrategy batchTransformStrategy() {
    return batchTransformStrategy;
  }

  /** Delete a batch transform's staged input and output once its rows are read back. */
  public boolean deleteBatchTransformData() {
    return deleteBatchTransformData;
  }

  /** How long a batch transform job may run before it is stopped. */
  public Duration batchTransformTimeout() {
    return batchTransformTimeout;
  }

  /** Builder of {@link SageMakerEstimatorOptions}; setters check their value. */
  public static final class Builder {
    private final SageMakerEstimatorOptions o;

    private Builder(SageMakerEstimatorOptions o) {
      this.o = o;
    }

    /** Training image URI; algorithm estimators default to their preset's image for the region. */
    public Builder trainingImage(String v) {
      o.trainingImage = v;
      return this;
    }

    /** Serving image URI; defaults to the training image. */
    public Builder modelImage(String v) {
      o.modelImage = v;
      return this;
    }

    /** How rows are sent to the endpoint. */
    public Builder requestRowSerializer(RequestRowSerializer v) {
      o.requestRowSerializer = v;
      return this;
    }

    /** How responses become columns. */
    public Builder responseRowDeserializer(ResponseRowDeserializer v) {
      o.responseRowDeserializer = v;
      return this;
    }

    /** Hyperparameters passed as given (algorithm estimators add their Params). */
    public Builder hyperParameters(Map<String, String> v) {
      if (v == null) {
        throw new IllegalArgumentException("hyperParameters must not be null");
      }
      o.hyperParameters = new LinkedHashMap<>(v);
      return this;
    }

    /**
     * Role for training and hosting; default from Spark config key {@value
     * IAMRoleFromConfig#DEFAULT_KEY}.
     */
    public Builder sagemakerRole(IAMRoleResource v) {
      if (v == null) {
        throw new IllegalArgumentException("sagemakerRole must not be null");
      }
      o.sagemakerRole = v;
      return this;
    }

    /** Training instance type. */
    public Builder trainingInstanceType(String v) {
      o.trainingInstanceType = v;
      return this;
    }

    /** Training instance count. */
    public Builder trainingInstanceCount(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("trainingInstanceCount must be at least 1, was " + v);
      }
      o.trainingInstanceCount = v;
      return this;
    }

    /** Training volume size (GB). */
    public Builder trainingInstanceVolumeSizeInGB(int v) {
      if (v < 1) {
        throw new IllegalArgumentException(
            "trainingInstanceVolumeSizeInGB must be at least 1, was " + v);
      }
      o.trainingInstanceVolumeSizeInGB = v;
      return this;
    }

    /** Endpoint instance type. */
    public Builder endpointInstanceType(String v) {
      o.endpointInstanceType = v;
      return this;
    }

    /** Endpoint initial instance count. */
    public Builder endpointInitialInstanceCount(int v) {
      if (v < 1) {
        throw new IllegalArgumentException(
            "endpointInitialInstanceCount must be at least 1, was " + v);
      }
      o.endpointInitialInstanceCount = v;
      return this;
    }

    /** Staging format: sagemaker (RecordIO-protobuf), libsvm or csv. */
    public Builder trainingSparkDataFormat(String v) {
      StagingFormat.of(v); // fails on an unknown format now rather than at fit()
      o.trainingSparkDataFormat = v;
      return this;
    }

    /** Format options: labelColumnName (default label), featuresColumnName (default features). */
    public Builder trainingSparkDataFormatOptions(Map<String, String> v) {
      if (v == null) {
        throw new IllegalArgumentException("trainingSparkDataFormatOptions must not be null");
      }
      o.trainingSparkDataFormatOptions = new LinkedHashMap<>(v);
      return this;
    }

    /** Columns selected before staging (null: label and features). */
    public Builder trainingProjectedColumns(List<String> v) {
      o.trainingProjectedColumns = v == null ? null : new ArrayList<>(v);
      return this;
    }

    /** Where training data is staged. */
    public Builder trainingInputS3DataPath(S3Resource v) {
      if (v == null) {
        throw new IllegalArgumentException("trainingInputS3DataPath must not be null");
      }
      o.trainingInputS3DataPath = v;
      return this;
    }

    /** Where model artifacts are written. */
    public Builder trainingOutputS3DataPath(S3Resource v) {
      if (v == null) {
        throw new IllegalArgumentException("trainingOutputS3DataPath must not be null");
      }
      o.trainingOutputS3DataPath = v;
      return this;
    }

    /** Training channel name. */
    public Builder trainingChannelName(String v) {
      o.trainingChannelName = v;
      return this;
    }

    /** Channel content type; defaults to the staging format's. */
    public Builder trainingContentType(String v) {
      o.trainingContentType = v;
      return this;
    }

    /** ShardedByS3Key or FullyReplicated. */
    public Builder trainingS3DataDistribution(String v) {
      o.trainingS3DataDistribution = v;
      return this;
    }

    /** null (none) or gzip: staged files are gzip-compressed. */
    public Builder trainingCompressionCodec(String v) {
      if (v != null && !v.equalsIgnoreCase("gzip")) {
        throw new IllegalArgumentException(
            "trainingCompressionCodec must be null (none) or gzip, was '" + v + "'");
      }
      o.trainingCompressionCodec = v;
      return this;
    }

    /** Training max runtime (s). */
    public Builder trainingMaxRuntimeInSeconds(int v) {
      if (v < 1) {
        throw new IllegalArgumentException(
            "trainingMaxRuntimeInSeconds must be at least 1, was " + v);
      }
      o.trainingMaxRuntimeInSeconds = v;
      return this;
    }

    /** KMS key for model artifacts. */
    public Builder trainingKmsKeyId(String v) {
      o.trainingKmsKeyId = v;
      return this;
    }

    /** Environment of the hosted model's container. */
    public Builder modelEnvironmentVariables(Map<String, String> v) {
      if (v == null) {
        throw new IllegalArgumentException("modelEnvironmentVariables must not be null");
      }
      o.modelEnvironmentVariables = new LinkedHashMap<>(v);
      return this;
    }

    /** Delete the staged training data once the job ends. */
    public Builder deleteStagingDataAfterTraining(boolean v) {
      o.deleteStagingDataAfterTraining = v;
      return this;
    }

    /** When the endpoint is created. */
    public Builder endpointCreationPolicy(EndpointCreationPolicy v) {
      if (v == null) {
        throw new IllegalArgumentException("endpointCreationPolicy must not be null");
      }
      o.endpointCreationPolicy = v;
      return this;
    }

    /** Names of jobs, models, configs, endpoints. */
    public Builder namePolicyFactory(NamePolicyFactory v) {
      if (v == null) {
        throw new IllegalArgumentException("namePolicyFactory must not be null");
      }
      o.namePolicyFactory = v;
      return this;
    }

    /** Region, credentials and endpoints of every client (SageMaker Local or AWS). */
    public Builder clientConfiguration(SageMakerClientConfiguration v) {
      if (v == null) {
        throw new IllegalArgumentException("clientConfiguration must not be null");
      }
      o.clientConfiguration = v;
      return this;
    }

    /** Keep the input columns in front of the result columns. */
    public Builder modelPrependInputRowsToTransformationRows(boolean v) {
      o.modelPrependInputRowsToTransformationRows = v;
      return this;
    }

    /**
     * null: a failed row fails the transform; else failed rows are kept with the error in this
     * column.
     */
    public Builder modelErrorColumnName(String v) {
      o.modelErrorColumnName = v;
      return this;
    }

    /** Rows per InvokeEndpoint request at most. */
    public Builder maxRecordsPerRequest(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxRecordsPerRequest must be at least 1, was " + v);
      }
      o.maxRecordsPerRequest = v;
      return this;
    }

    /** Concurrent InvokeEndpoint requests per partition. */
    public Builder maxInFlightRequests(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxInFlightRequests must be at least 1, was " + v);
      }
      o.maxInFlightRequests = v;
      return this;
    }

    /** Between status polls of jobs and endpoints. */
    public Builder pollInterval(Duration v) {
      if (v == null || v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException("pollInterval must be a positive duration, was " + v);
      }
      o.pollInterval = v;
      return this;
    }

    /** How long fit() waits for training (null: max runtime plus one hour). */
    public Builder trainingTimeout(Duration v) {
      o.trainingTimeout = v;
      return this;
    }

    /** How long to wait for an endpoint to be InService. */
    public Builder endpointTimeout(Duration v) {
      if (v == null || v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException("endpointTimeout must be a positive duration, was " + v);
      }
      o.endpointTimeout = v;
      return this;
    }

    /** Transform with batch transform jobs instead of an endpoint (see the getter). */
    public Builder useBatchTransform(boolean v) {
      o.useBatchTransform = v;
      return this;
    }

    /** Where batch transform input and output are staged. */
    public Builder batchTransformS3DataPath(S3Resource v) {
      if (v == null) {
        throw new IllegalArgumentException("batchTransformS3DataPath must not be null");
      }
      o.batchTransformS3DataPath = v;
      return this;
    }

    /** The largest request of a batch transform job, in MB (1 to 100). */
    public Builder batchTransformMaxPayloadInMB(int v) {
      if (v < 1 || v > BatchTransformSpec.MAX_PAYLOAD_IN_MB) {
        throw new IllegalArgumentException(
            "batchTransformMaxPayloadInMB must be between 1 and 100 (SageMaker's limit), was " + v);
      }
      o.batchTransformMaxPayloadInMB = v;
      return this;
    }

    /** Requests in flight per instance of a batch transform job (0: SageMaker chooses). */
    public Builder batchTransformMaxConcurrentTransforms(int v) {
      if (v < 0) {
        throw new IllegalArgumentException(
            "batchTransformMaxConcurrentTransforms must be 0 (SageMaker chooses) or more, was "
                + v);
      }
      o.batchTransformMaxConcurrentTransforms = v;
      return this;
    }

    /** MultiRecord or SingleRecord. */
    public Builder batchTransformStrategy(BatchTransformSpec.BatchStrategy v) {
      if (v == null) {
        throw new IllegalArgumentException("batchTransformStrategy must not be null");
      }
      o.batchTransformStrategy = v;
      return this;
    }

    /** Delete a batch transform's staged input and output once its rows are read back. */
    public Builder deleteBatchTransformData(boolean v) {
      o.deleteBatchTransformData = v;
      return this;
    }

    /** How long a batch transform job may run before it is stopped. */
    public Builder batchTransformTimeout(Duration v) {
      if (v == null || v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException(
            "batchTransformTimeout must be a positive duration, was " + v);
      }
      o.batchTransformTimeout = v;
      return this;
    }

    /** A shortcut for {@code sagemakerRole(new IAMRole(arn))}. */
    public Builder roleArn(String arn) {
      return sagemakerRole(new IAMRole(arn));
    }

    public SageMakerEstimatorOptions build() {
      return o.copy();
    }
  }
}
