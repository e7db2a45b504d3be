package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.CreatedResources;
import dev.sagemakerbeam.transforms.hosting.EndpointDeployer;
import dev.sagemakerbeam.transforms.hosting.EndpointSpec;
import dev.sagemakerbeam.transforms.inference.InferenceSettings;
import dev.sagemakerbeam.transforms.naming.ResourceNamePolicy;
import dev.sagemakerbeam.transforms.naming.ResourceNamePolicy.ResourceNames;
import dev.sagemakerbeam.transforms.tuning.TuningResult;
import java.util.Objects;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * A model hosted (or to be hosted) on a SageMaker endpoint, as a Spark ML {@link Model}. {@link
 * #transform} is lazy and distributed: each partition calls the endpoint through the shared
 * inference engine and the deserializer's columns are appended to the input's (or are the only
 * columns when {@code modelPrependInputRowsToTransformationRows} is false).
 *
 * <p>Created by {@link SageMakerEstimator#fit} or by {@link #fromEndpoint}, {@link
 * #fromModelS3Path} and {@link #fromTrainingJob}. Resources it created are in {@link
 * #getCreatedResources()}; delete them with {@code SageMakerResourceCleanup}.
 *
 * <p>Saved with {@link #save}/{@link #write()} (also inside a {@code PipelineModel}) and loaded
 * with {@link #load}: the options, endpoint, artifact, image, role, training job, metrics and
 * created resources, never credentials. Loading creates nothing. A loaded model's first {@code
 * transform} checks that its endpoint still exists; if it is gone and the model has an artifact and
 * a creation policy other than DO_NOT_CREATE, the artifact is hosted again on a new endpoint.
 */
public class SageMakerModel extends Model<SageMakerModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerModel.class);

  private final String uid;
  private SageMakerEstimatorOptions options;
  private final String modelPath; // null when attached to an existing endpoint
  private final String modelImage;
  private final String roleArn;
  private final String trainingJobName;
  private String endpointName;
  private CreatedResources createdResources = CreatedResources.none();
  private java.util.Map<String, Double> trainingMetrics = java.util.Map.of();

  private TuningResult tuningResult;

  /** False for a loaded model until its saved endpoint is found to exist still. */
  private boolean endpointConfirmed = true;

  /** The accumulators of this model's transforms, registered on the first one. */
  private transient InferenceMetrics inferenceMetrics;

  SageMakerModel(
      String uid,
      SageMakerEstimatorOptions options,
      String endpointName,
      String modelPath,
      String modelImage,
      String roleArn,
      String trainingJobName) {
    this.uid = uid;
    this.options = options;
    this.endpointName = endpointName;
    this.modelPath = modelPath;
    this.modelImage = modelImage;
    this.roleArn = roleArn;
    this.trainingJobName = trainingJobName;
    if (options.requestRowSerializer() == null || options.responseRowDeserializer() == null) {
      throw new IllegalArgumentException(
          "a SageMakerModel needs a requestRowSerializer and a responseRowDeserializer");
    }
  }

  /**
   * A model using an existing endpoint (which must exist; it is waited for if still Creating).
   * Nothing is created, so nothing is cleaned up.
   */
  public static SageMakerModel fromEndpoint(
      String endpointName, SageMakerEstimatorOptions options) {
    ResourceNamePolicy.checkName("endpointName", endpointName);
    try (SageMakerClient client = SageMakerClients.sageMaker(options.clientConfiguration())) {
      new EndpointDeployer(client, options.endpointTimeout(), options.pollInterval())
          .attach(endpointName);
    }
    return new SageMakerModel(newUid(), options, endpointName, null, null, null, null);
  }

  /**
   * A model from a model artifact ({@code s3://.../model.tar.gz}) served by {@code modelImage}
   * (null: {@code options.modelImage()}); hosted per {@code options.endpointCreationPolicy()}.
   * Takes the image the way {@link #fromTrainingJob} does, as the original library's factories do.
   */
  public static SageMakerModel fromModelS3Path(
      String modelPath, String modelImage, SageMakerEstimatorOptions options) {
    if (modelPath == null || !modelPath.startsWith("s3://")) {
      throw new IllegalArgumentException(
          "modelPath must be an s3:// URI of a model artifact, was '" + modelPath + "'");
    }
    String image = modelImage != null ? modelImage : options.modelImage();
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException(
          "no image to serve "
              + modelPath
              + ": pass modelImage (e.g. the"
              + " training job's image) or set SageMakerEstimatorOptions.builder().modelImage(...)");
    }
    String role =
        options.sagemakerRole().resolve(SageMakerEstimator.effectiveConf(SparkSession.active()));
    SageMakerModel model =
        new SageMakerModel(newUid(), options, null, modelPath, image, role, null);
    model.createOnConstructIfAsked();
    return model;
  }

  /**
   * A model from a Completed training job: its artifact, served by {@code modelImage} (null: {@code
   * options.modelImage()}, else the job's training image); hosted per {@code
   * options.endpointCreationPolicy()}.
   */
  public static SageMakerModel fromTrainingJob(
      String trainingJobName, String modelImage, SageMakerEstimatorOptions options) {
    ResourceNamePolicy.checkName("trainingJobName", trainingJobName);
    DescribeTrainingJobResponse job;
    try (SageMakerClient client = SageMakerClients.sageMaker(options.clientConfiguration())) {
      job = client.describeTrainingJob(r -> r.trainingJobName(trainingJobName));
    }
    if (job.trainingJobStatus() != TrainingJobStatus.COMPLETED) {
      throw new IllegalArgumentException(
          "training job "
              + trainingJobName
              + " is "
              + job.trainingJobStatusAsString()
              + ", not Completed; only a completed job has a model to host");
    }
    String image =
        modelImage != null
            ? modelImage
            : options.modelImage() != null
                ? options.modelImage()
                : job.algorithmSpecification().trainingImage();
    String role =
        options.sagemakerRole().resolve(SageMakerEstimator.effectiveConf(SparkSession.active()));
    SageMakerModel model =
        new SageMakerModel(
            newUid(),
            options,
            null,
            job.modelArtifacts().s3ModelArtifacts(),
            image,
            role,
            trainingJobName);
    model.createOnConstructIfAsked();
    return model;
  }

  static String newUid() {
    return Identifiable$.MODULE$.randomUID("sagemakerModel");
  }

  void createOnConstructIfAsked() {
    if (options.endpointCreationPolicy() == EndpointCreationPolicy.CREATE_ON_CONSTRUCT
        && !options.useBatchTransform()) {
      ensureEndpoint();
    }
  }

  /** Creates model, endpoint config and endpoint unless there is an endpoint already. */
  private synchronized String ensureEndpoint() {
    if (endpointName != null && !endpointConfirmed) {
      confirmSavedEndpoint();
    }
    if (endpointName != null) {
      return endpointName;
    }
    if (options.endpointCreationPolicy() == EndpointCreationPolicy.DO_NOT_CREATE) {
      throw new IllegalStateException(
          "this SageMakerModel has no endpoint: it was created with endpointCreationPolicy"
              + " DO_NOT_CREATE (model artifact "
              + modelPath
              + "); host it with SageMakerModel.fromModelS3Path and"
              + " CREATE_ON_CONSTRUCT or CREATE_ON_TRANSFORM");
    }
    checkCredentials();
    ResourceNames names = options.namePolicyFactory().createNamePolicy().next();
    EndpointSpec spec =
        EndpointSpec.builder()
            .modelName(names.model())
            .endpointConfigName(names.endpointConfig())
            .endpointName(names.endpoint())
            .image(modelImage)
            .modelDataUrl(modelPath)
            .executionRoleArn(roleArn)
            .environment(options.modelEnvironmentVariables())
            .instanceType(options.endpointInstanceType())
            .initialInstanceCount(options.endpointInitialInstanceCount())
            .build();
    try (SageMakerClient client = SageMakerClients.sageMaker(options.clientConfiguration())) {
      EndpointDeployer deployer =
          new EndpointDeployer(client, options.endpointTimeout(), options.pollInterval());
      // a loaded model whose endpoint is gone still has the model and config it created: use them
      // where they exist, so that they stay among its created resources and nothing is left over
      createdResources =
          createdResources.isEmpty()
              ? deployer.deploy(spec)
              : deployer.redeploy(spec, createdResources);
    }
    endpointName = createdResources.endpointName();
    LOG.info("Model {} is hosted on endpoint {}", uid, endpointName);
    return endpointName;
  }

  /** A loaded model's endpoint: used if it still exists, else hosted again when allowed. */
  private void confirmSavedEndpoint() {
    checkCredentials();
    boolean usable;
    try (SageMakerClient client = SageMakerClients.sageMaker(options.clientConfiguration())) {
      usable =
          new EndpointDeployer(client, options.endpointTimeout(), options.pollInterval())
              .isUsable(endpointName);
    }
    if (usable) {
      endpointConfirmed = true;
      return;
    }
    if (modelPath == null
        || options.endpointCreationPolicy() == EndpointCreationPolicy.DO_NOT_CREATE) {
      throw new IllegalStateException(
          "endpoint "
              + endpointName
              + " of the saved model "
              + uid
              + " no longer exists and cannot be re-created: "
              + (modelPath == null
                  ? "the model was attached to an existing endpoint and has no artifact"
                  : "its endpointCreationPolicy is DO_NOT_CREATE")
              + "; host the model again (SageMakerModel.fromModelS3Path) and save it anew");
    }
    LOG.warn(
        "Endpoint {} of the saved model {} no longer exists; hosting its artifact {} again",
        endpointName,
        uid,
        modelPath);
    endpointName = null;
    endpointConfirmed = true;
  }

  @Override
  public String uid() {
    return uid;
  }

  /**
   * The endpoint, or null while none is created (CREATE_ON_TRANSFORM before transform,
   * DO_NOT_CREATE).
   */
  public String getEndpointName() {
    return endpointName;
  }

  /** The model artifact URI, or null for a model attached to an existing endpoint. */
  public String getModelPath() {
    return modelPath;
  }

  /** The model image, or null for a model attached to an existing endpoint. */
  public String getModelImage() {
    return modelImage;
  }

  /** The training job the model comes from, or null. */
  public String getTrainingJobName() {
    return trainingJobName;
  }

  /**
   * The training job's final metrics (SageMaker's FinalMetricDataList: {@code train:rmse}, {@code
   * validation:auc}, ...) when this model came from {@code fit}; empty otherwise.
   */
  public java.util.Map<String, Double> trainingMetrics() {
    return trainingMetrics;
  }

  /**
   * The tuning job this model won, with every trial (tuned hyperparameters, objective values), when
   * it came from {@link SageMakerTuner}; null otherwise. Not saved with the model.
   */
  public TuningResult tuningResult() {
    return tuningResult;
  }

  void setTuningResult(TuningResult result) {
    this.tuningResult = result;
  }

  void setTrainingMetrics(java.util.Map<String, Double> metrics) {
    this.trainingMetrics = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(metrics));
  }

  /** What this model created (model, endpoint config, endpoint); empty if it created nothing. */
  public synchronized CreatedResources getCreatedResources() {
    return createdResources;
  }

  public synchronized SageMakerEstimatorOptions getOptions() {
    return options;
  }

  /**
   * Uses {@code configuration} (region, credentials, endpoints) from now on, e.g. on a loaded
   * model, whose saved configuration has no keys; see {@link
   * SageMakerStages#useClientConfiguration}.
   */
  public synchronized SageMakerModel setClientConfiguration(
      SageMakerClientConfiguration configuration) {
    options = options.toBuilder().clientConfiguration(configuration).build();
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    options.requestRowSerializer().validateSchema(schema);
    StructType out =
        options.modelPrependInputRowsToTransformationRows() ? schema : new StructType();
    for (StructField f : options.responseRowDeserializer().schema().fields()) {
      if (schema.getFieldIndex(f.name()).isDefined()
          && options.modelPrependInputRowsToTransformationRows()) {
        throw new IllegalArgumentException(
            "the input already has a column '"
                + f.name()
                + "', which the "
                + options.responseRowDeserializer().getClass().getSimpleName()
                + " adds; rename it or give the"
                + " deserializer other column names");
      }
      out = out.add(f.name(), f.dataType(), true);
    }
    if (options.modelErrorColumnName() != null) {
      out = out.add(options.modelErrorColumnName(), DataTypes.StringType, true);
    }
    return out;
  }

  /**
   * Appends the endpoint's predictions to each row. Lazy: the endpoint is called when the result is
   * computed, partition by partition. With CREATE_ON_TRANSFORM the endpoint is created now.
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    if (getOptions().useBatchTransform()) {
      return batchTransform(dataset);
    }
    StructType outputSchema = transformSchema(dataset.schema());
    String endpoint = ensureEndpoint();
    InferenceSettings settings =
        InferenceSettings.builder(endpoint)
            .maxRecordsPerRequest(options.maxRecordsPerRequest())
            .maxInFlight(options.maxInFlightRequests())
            .build();
    Dataset<Row> df = dataset.toDF();
    PartitionInference inference =
        new PartitionInference(
            options.clientConfiguration(),
            settings,
            options.requestRowSerializer(),
            options.responseRowDeserializer(),
            options.modelPrependInputRowsToTransformationRows(),
            options.modelErrorColumnName() != null,
            metrics(df.sparkSession().sparkContext(), endpoint));
    return df.sparkSession().createDataFrame(df.javaRDD().mapPartitions(inference), outputSchema);
  }

  private synchronized InferenceMetrics metrics(SparkContext spark, String endpoint) {
    if (inferenceMetrics == null || !inferenceMetrics.endpointName().equals(endpoint)) {
      inferenceMetrics = InferenceMetrics.register(spark, endpoint);
    }
    return inferenceMetrics;
  }

  /**
   * The counts of this model's endpoint transforms so far (requests, retries, throttles, batches,
   * rows answered and failed), summed over the executors as Spark accumulators; see {@link
   * InferenceMetrics} for what they count. Empty before the first {@link #transform} through the
   * endpoint (batch transform's counts are the transform job's).
   */
  public synchronized java.util.Optional<InferenceMetrics> inferenceMetrics() {
    return java.util.Optional.ofNullable(inferenceMetrics);
  }

  /**
   * Transforms {@code dataset} with one SageMaker batch transform job instead of an endpoint, and
   * returns every input row with its prediction columns, in the order of {@link #transform}'s
   * schema. Eager: the job has run when this returns. Nothing is left behind: the SageMaker model
   * the job needs is created from the artifact and deleted after it (a model attached to an
   * endpoint uses the endpoint's model), and the staged input and output under {@code
   * batchTransformS3DataPath/<job>/} are deleted unless {@code deleteBatchTransformData} is false.
   * Instances: {@code endpointInstanceType} x {@code endpointInitialInstanceCount}.
   *
   * <p>A job that fails fails this call with SageMaker's FailureReason, unless {@code
   * modelErrorColumnName} is set: then the rows of objects the job did not finish are kept with the
   * reason in that column.
   */
  public Dataset<Row> batchTransform(Dataset<?> dataset) {
    StructType outputSchema = transformSchema(dataset.schema());
    String existingModel = null;
    if (modelPath == null || modelImage == null) {
      existingModel = endpointModelName();
    } else {
      checkCredentials();
    }
    return BatchTransformExecution.run(this, dataset, outputSchema, existingModel);
  }

  /**
   * On the driver, before a SageMaker call: a model without credentials (a loaded one on a machine
   * without them, as static keys are never saved) fails with the fix named, not with the SDK's list
   * of providers that found none.
   */
  private void checkCredentials() {
    SageMakerClients.checkCredentials(options.clientConfiguration());
  }

  /** The SageMaker model behind this model's endpoint. */
  private String endpointModelName() {
    if (endpointName == null) {
      throw new IllegalStateException(
          "this SageMakerModel has neither a model artifact nor an endpoint to batch transform"
              + " with");
    }
    checkCredentials();
    try (SageMakerClient client = SageMakerClients.sageMaker(getOptions().clientConfiguration())) {
      String config =
          client.describeEndpoint(r -> r.endpointName(endpointName)).endpointConfigName();
      return client
          .describeEndpointConfig(r -> r.endpointConfigName(config))
          .productionVariants()
          .get(0)
          .modelName();
    }
  }

  @Override
  public MLWriter write() {
    return new StagePersistence.ModelWriter(this);
  }

  /**
   * Saves to {@code path}, failing if it exists ({@code write().overwrite().save(path)} replaces).
   */
  @Override
  public void save(String path) throws java.io.IOException {
    write().save(path);
  }

  /** Reads models saved by {@link #save} (as {@code PipelineModel.load} does for its stages). */
  public static MLReader<SageMakerModel> read() {
    return new StagePersistence.ModelReader();
  }

  /** Loads a model saved by {@link #save}. Creates nothing: see the class comment. */
  public static SageMakerModel load(String path) {
    return read().load(path);
  }

  String roleArn() {
    return roleArn;
  }

  /** A model rebuilt from saved fields; its endpoint is checked on first use. */
  static SageMakerModel restored(
      String uid,
      SageMakerEstimatorOptions options,
      String endpointName,
      String modelPath,
      String modelImage,
      String roleArn,
      String trainingJobName,
      java.util.Map<String, Double> metrics,
      CreatedResources created) {
    SageMakerModel model =
        new SageMakerModel(
            uid, options, endpointName, modelPath, modelImage, roleArn, trainingJobName);
    model.setTrainingMetrics(metrics);
    model.createdResources = created;
    model.endpointConfirmed = endpointName == null;
    return model;
  }

  @Override
  public SageMakerModel copy(ParamMap extra) {
    SageMakerModel copy =
        new SageMakerModel(
            uid, options, endpointName, modelPath, modelImage, roleArn, trainingJobName);
    copy.createdResources = createdResources;
    copy.trainingMetrics = trainingMetrics;
    copy.endpointConfirmed = endpointConfirmed;
    copy.tuningResult = tuningResult;
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public String toString() {
    return "SageMakerModel(uid="
        + uid
        + ", endpoint="
        + endpointName
        + ", modelPath="
        + modelPath
        + ")";
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(uid);
  }
}
