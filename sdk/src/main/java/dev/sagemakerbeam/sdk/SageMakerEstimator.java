package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.io.beam.TrainingDataFormat;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.naming.ResourceNamePolicy.ResourceNames;
import dev.sagemakerbeam.transforms.training.StagingArea;
import dev.sagemakerbeam.transforms.training.TrainedModel;
import dev.sagemakerbeam.transforms.training.TrainingJobRunner;
import dev.sagemakerbeam.transforms.training.TrainingJobSpec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Trains any SageMaker algorithm from a Spark {@link Dataset} and returns a {@link SageMakerModel}:
 * the Spark ML face of the shared staging, training and hosting code.
 *
 * <p>{@link #fit} stages the Dataset without collecting it: each partition is written by the
 * executors through the shared training-data sink and uploaded to S3. The driver then runs the
 * training job through {@link TrainingJobRunner}, deletes the staged data if asked, and hosts the
 * model per the {@link EndpointCreationPolicy}.
 *
 * <p>Estimators are saved with {@link #save}/{@link #write()} (also inside a {@code Pipeline}) and
 * loaded with {@link #load} or the algorithm class's own {@code load}: every Param and option,
 * never credentials (see {@code StagePersistence} for the layout).
 */
public class SageMakerEstimator extends Estimator<SageMakerModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerEstimator.class);

  /** The channel {@link #fitWithValidation} and the validation indicator column stage. */
  static final String VALIDATION_CHANNEL = "validation";

  private final String uid;
  private SageMakerEstimatorOptions options;

  public SageMakerEstimator(SageMakerEstimatorOptions options) {
    this(Identifiable$.MODULE$.randomUID("sagemaker"), options);
  }

  /** An estimator with the default options (for loading; set options with setOptions). */
  public SageMakerEstimator(String uid) {
    this(uid, SageMakerEstimatorOptions.builder().build());
  }

  public SageMakerEstimator(String uid, SageMakerEstimatorOptions options) {
    this.uid = uid;
    this.options = options;
  }

  @Override
  public String uid() {
    return uid;
  }

  public SageMakerEstimatorOptions getOptions() {
    return options;
  }

  /** Replaces the options (e.g. after {@code new KMeansSageMakerEstimator(uid)}). */
  public SageMakerEstimator setOptions(SageMakerEstimatorOptions options) {
    this.options = options;
    return this;
  }

  /**
   * Uses {@code configuration} (region, credentials, endpoints) from now on, e.g. on a loaded
   * estimator, whose saved configuration has no keys; see {@link
   * SageMakerStages#useClientConfiguration}.
   */
  public SageMakerEstimator setClientConfiguration(SageMakerClientConfiguration configuration) {
    options = options.toBuilder().clientConfiguration(configuration).build();
    return this;
  }

  /** The hyperparameters sent; algorithm estimators add their Params to the options' map. */
  protected Map<String, String> hyperParameters() {
    return options.hyperParameters();
  }

  /**
   * The training image; algorithm estimators fall back to their preset's image for {@code region}.
   */
  protected String trainingImage(String region) {
    if (options.trainingImage() == null) {
      throw new IllegalArgumentException(
          "trainingImage is not set; give the algorithm's image URI");
    }
    return options.trainingImage();
  }

  protected RequestRowSerializer requestRowSerializer() {
    return options.requestRowSerializer();
  }

  protected ResponseRowDeserializer responseRowDeserializer() {
    return options.responseRowDeserializer();
  }

  /** The staging format when the options set none: {@code sagemaker} (RecordIO-protobuf). */
  protected String defaultTrainingSparkDataFormat() {
    return "sagemaker";
  }

  /** The staging format used: the options', else {@link #defaultTrainingSparkDataFormat()}. */
  protected final String trainingSparkDataFormat() {
    return options.trainingSparkDataFormat() != null
        ? options.trainingSparkDataFormat()
        : defaultTrainingSparkDataFormat();
  }

  /** The size every feature vector must have (0: not checked). */
  protected int expectedVectorSize() {
    return 0;
  }

  String labelColumnName() {
    return options.trainingSparkDataFormatOptions().getOrDefault("labelColumnName", "label");
  }

  String featuresColumnName() {
    return options.trainingSparkDataFormatOptions().getOrDefault("featuresColumnName", "features");
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SparkFeatureVectors.requireVectorColumn(schema, featuresColumnName());
    if (schema.getFieldIndex(labelColumnName()).isDefined()) {
      SparkFeatureVectors.requireNumericColumn(schema, labelColumnName());
    }
    SageMakerEstimatorOptions modelOptions = modelOptions();
    return new SageMakerModel(
            SageMakerModel.newUid(), modelOptions, "unused", null, null, null, null)
        .transformSchema(schema);
  }

  private SageMakerEstimatorOptions modelOptions() {
    return options.toBuilder()
        .requestRowSerializer(requestRowSerializer())
        .responseRowDeserializer(responseRowDeserializer())
        .build();
  }

  @Override
  public SageMakerModel fit(Dataset<?> dataset) {
    return fit(dataset, Map.of());
  }

  /**
   * Trains with a {@code validation} channel staged from {@code validation} (the same columns as
   * the training data), as XGBoost and the linear learners use to report (and stop early on)
   * validation metrics; the model's {@link SageMakerModel#trainingMetrics()} has them.
   */
  public SageMakerModel fitWithValidation(Dataset<?> dataset, Dataset<?> validation) {
    if (validation == null) {
      throw new IllegalArgumentException("fitWithValidation needs a validation Dataset, got null");
    }
    return fit(dataset, Map.of(VALIDATION_CHANNEL, validation));
  }

  /**
   * Trains on {@code dataset} (the channel {@code trainingChannelName}) plus further channels by
   * name, each staged like the training data.
   */
  public SageMakerModel fit(Dataset<?> dataset, Map<String, Dataset<?>> extraChannels) {
    PreparedTraining prepared = prepareTraining(dataset, extraChannels);
    TrainedModel trained;
    try (SageMakerClient client = SageMakerClients.sageMaker(prepared.config)) {
      trained =
          new TrainingJobRunner(client, prepared.timeout, options.pollInterval())
              .run(prepared.request);
    } finally {
      prepared.deleteStagedDataIfAsked();
    }
    return modelOf(trained, prepared);
  }

  /**
   * What {@code fit} stages and would send, made once so the tuner runs the same training: the
   * channels staged under {@code <input>/<job name>/} and the CreateTrainingJob request.
   */
  PreparedTraining prepareTraining(Dataset<?> input, Map<String, Dataset<?>> channelsGiven) {
    Dataset<?> dataset = input;
    Map<String, Dataset<?>> extraChannels = channelsGiven;
    String indicator = options.validationIndicatorColumnName();
    if (indicator != null) {
      if (channelsGiven.containsKey(VALIDATION_CHANNEL)) {
        throw new IllegalArgumentException(
            "fit got a validation Dataset and validationIndicatorColumnName '"
                + indicator
                + "' too; give one of them");
      }
      scala.Option<Object> index = input.schema().getFieldIndex(indicator);
      if (index.isEmpty()
          || !input
              .schema()
              .fields()[(Integer) index.get()]
              .dataType()
              .equals(DataTypes.BooleanType)) {
        throw new IllegalArgumentException(
            "validationIndicatorColumnName is '"
                + indicator
                + "', but the Dataset has "
                + (index.isEmpty()
                    ? "no such column"
                    : "it as "
                        + input.schema().fields()[(Integer) index.get()].dataType().simpleString())
                + "; add a boolean column, true for the validation rows (e.g. rand(seed) < 0.2)");
      }
      Column isValidation = functions.coalesce(functions.col(indicator), functions.lit(false));
      dataset = input.toDF().filter(functions.not(isValidation));
      extraChannels = new LinkedHashMap<>(channelsGiven);
      extraChannels.put(VALIDATION_CHANNEL, input.toDF().filter(isValidation));
      LOG.info("Rows with {} true are the validation channel", indicator);
    }
    transformSchema(dataset.schema());
    for (Map.Entry<String, Dataset<?>> e : extraChannels.entrySet()) {
      if (e.getKey().equals(options.trainingChannelName())) {
        throw new IllegalArgumentException(
            "channel "
                + e.getKey()
                + " is the training channel; give the other channels other names");
      }
      SparkFeatureVectors.requireVectorColumn(e.getValue().schema(), featuresColumnName());
    }
    Map<String, String> hyperParameters = hyperParameters();
    TrainingJobSpec.validateHyperparameters(hyperParameters);
    SparkConf conf = effectiveConf(dataset.sparkSession());
    String role = options.sagemakerRole().resolve(conf);
    SageMakerClientConfiguration config = options.clientConfiguration();
    String region = SageMakerClients.resolveRegion(config);
    SageMakerClients.checkCredentials(config);
    String image = trainingImage(region);
    TrainingDataFormat format = StagingFormat.of(trainingSparkDataFormat());
    boolean gzip = options.trainingCompressionCodec() != null;
    ResourceNames names = options.namePolicyFactory().createNamePolicy().next();
    String jobName = names.trainingJob();

    S3DataPath stagingRoot;
    S3DataPath output;
    try (S3Client s3 = SageMakerClients.s3(config)) {
      stagingRoot =
          resolve(
                  "trainingInputS3DataPath",
                  options.trainingInputS3DataPath(),
                  conf,
                  config,
                  s3,
                  region)
              .resolve(jobName);
      // SageMaker writes <output>/<job name>/output/model.tar.gz itself
      output =
          resolve(
              "trainingOutputS3DataPath",
              options.trainingOutputS3DataPath(),
              conf,
              config,
              s3,
              region);
      if (output.objectPath().isEmpty()) {
        output = output.resolve("training-output");
      }
    }

    boolean labelled = dataset.schema().getFieldIndex(labelColumnName()).isDefined();
    Map<String, S3DataPath> channels = new LinkedHashMap<>();
    channels.put(options.trainingChannelName(), stagingRoot.resolve("training"));
    extraChannels.keySet().forEach(name -> channels.put(name, stagingRoot.resolve(name)));
    stage(
        options.trainingChannelName(),
        dataset,
        channels.get(options.trainingChannelName()),
        config,
        format,
        gzip,
        labelled);
    for (Map.Entry<String, Dataset<?>> e : extraChannels.entrySet()) {
      stage(e.getKey(), e.getValue(), channels.get(e.getKey()), config, format, gzip, labelled);
    }

    TrainingJobSpec spec =
        TrainingJobSpec.builder()
            .trainingImage(image)
            .roleArn(role)
            .instanceType(options.trainingInstanceType())
            .instanceCount(options.trainingInstanceCount())
            .volumeSizeInGb(options.trainingInstanceVolumeSizeInGB())
            .maxRuntimeInSeconds(options.trainingMaxRuntimeInSeconds())
            .channelName(options.trainingChannelName())
            .contentType(channelContentType(format, labelled))
            .compressionType(gzip ? "Gzip" : "None")
            .s3DataDistribution(options.trainingS3DataDistribution())
            .outputPath(output.toS3Uri())
            .kmsKeyId(options.trainingKmsKeyId())
            .hyperparameters(hyperParameters)
            .build();
    Duration timeout =
        options.trainingTimeout() != null
            ? options.trainingTimeout()
            : Duration.ofSeconds(options.trainingMaxRuntimeInSeconds()).plusHours(1);
    Map<String, String> channelUris = new LinkedHashMap<>();
    channels.forEach((name, path) -> channelUris.put(name, path.toS3Uri() + "/"));
    return new PreparedTraining(
        spec.toRequest(jobName, channelUris, null),
        role,
        image,
        config,
        timeout,
        new ArrayList<>(channels.values()),
        options.deleteStagingDataAfterTraining());
  }

  /** The model of a finished training job, hosted per the creation policy. */
  SageMakerModel modelOf(TrainedModel trained, PreparedTraining prepared) {
    String modelImage = options.modelImage() != null ? options.modelImage() : prepared.image;
    SageMakerModel model =
        new SageMakerModel(
            SageMakerModel.newUid(),
            modelOptions(),
            null,
            trained.modelArtifactUri(),
            modelImage,
            prepared.role,
            trained.trainingJobName());
    model.setParent(this);
    model.setTrainingMetrics(trained.finalMetrics());
    model.createOnConstructIfAsked();
    return model;
  }

  /** Staged channels and the training request {@link #fit} sends. */
  static final class PreparedTraining {
    final software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest request;
    final String role;
    final String image;
    final SageMakerClientConfiguration config;
    final Duration timeout;
    private final List<S3DataPath> staged;
    private final boolean deleteStaged;

    PreparedTraining(
        software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest request,
        String role,
        String image,
        SageMakerClientConfiguration config,
        Duration timeout,
        List<S3DataPath> staged,
        boolean deleteStaged) {
      this.request = request;
      this.role = role;
      this.image = image;
      this.config = config;
      this.timeout = timeout;
      this.staged = staged;
      this.deleteStaged = deleteStaged;
    }

    void deleteStagedDataIfAsked() {
      if (deleteStaged) {
        for (S3DataPath path : staged) {
          StagingArea.deleteStagedData(
              () -> SageMakerClients.s3(config), URI.create(path.toS3Uri() + "/"));
        }
      }
    }
  }

  /** Stages one channel's rows, partition by partition on the executors, under {@code path}. */
  private void stage(
      String channel,
      Dataset<?> dataset,
      S3DataPath path,
      SageMakerClientConfiguration config,
      TrainingDataFormat format,
      boolean gzip,
      boolean labelled) {
    List<Column> columns = new ArrayList<>();
    if (options.trainingProjectedColumns() != null) {
      options.trainingProjectedColumns().forEach(c -> columns.add(functions.col(c)));
    } else {
      if (labelled) {
        if (!dataset.schema().getFieldIndex(labelColumnName()).isDefined()) {
          throw new IllegalArgumentException(
              "the "
                  + channel
                  + " Dataset has no label column '"
                  + labelColumnName()
                  + "' though the training Dataset has; give every channel the same columns");
        }
        columns.add(functions.col(labelColumnName()));
      }
      columns.add(functions.col(featuresColumnName()));
    }
    Dataset<Row> staged = dataset.toDF().select(columns.toArray(new Column[0]));
    LOG.info(
        "Staging channel {}: {} partitions as {}{} to {}",
        channel,
        staged.rdd().getNumPartitions(),
        format,
        gzip ? " (gzip)" : "",
        path);
    staged.foreachPartition(
        new TrainingDataStager(
            config,
            format,
            gzip,
            path.bucket(),
            path.objectPath(),
            labelled ? labelColumnName() : null,
            featuresColumnName(),
            expectedVectorSize()));
  }

  /**
   * The given content type, else the format's; labelled CSV rows start with the label, which the
   * channel declares.
   */
  private String channelContentType(TrainingDataFormat format, boolean labelled) {
    if (options.trainingContentType() != null) {
      return options.trainingContentType();
    }
    return format == TrainingDataFormat.CSV && labelled
        ? format.contentType() + ";label_size=1"
        : format.contentType();
  }

  /**
   * The session's configuration as a user sees it: the SparkConf the context started with, overlaid
   * with what was set at run time ({@code spark.conf().set(...)}), which the context's conf misses.
   */
  static SparkConf effectiveConf(SparkSession session) {
    SparkConf conf = session.sparkContext().getConf().clone();
    scala.collection.Iterator<scala.Tuple2<String, String>> entries =
        session.conf().getAll().iterator();
    while (entries.hasNext()) {
      scala.Tuple2<String, String> e = entries.next();
      conf.set(e._1(), e._2());
    }
    return conf;
  }

  static S3DataPath resolve(
      String option,
      S3Resource resource,
      SparkConf conf,
      SageMakerClientConfiguration config,
      S3Client s3,
      String region) {
    if (resource instanceof S3DataPath) {
      return requireBucket(option, (S3DataPath) resource, s3);
    }
    if (resource instanceof S3PathFromConfig) {
      String key = ((S3PathFromConfig) resource).configKey();
      if (!conf.contains(key)) {
        throw new IllegalArgumentException(
            "the Spark configuration has no key "
                + key
                + "; set it to an s3://bucket/path or pass an S3DataPath");
      }
      return requireBucket(
          option + " (from Spark configuration key " + key + ")",
          S3DataPath.parse(conf.get(key)),
          s3);
    }
    if (resource instanceof S3AutoCreatePath) {
      String bucket;
      try (StsClient sts = SageMakerClients.sts(config)) {
        bucket = StagingArea.defaultBucketName(sts, Region.of(region));
      }
      new StagingArea(s3).ensureBucket(bucket, Region.of(region));
      return new S3DataPath(bucket, "");
    }
    throw new IllegalArgumentException(
        "unsupported S3Resource "
            + resource
            + "; use S3DataPath, S3PathFromConfig or S3AutoCreatePath");
  }

  /**
   * Checks on the driver that the bucket of a given path exists, so a typo fails here with the
   * option named instead of as a NoSuchBucket error inside a Spark task.
   */
  private static S3DataPath requireBucket(String option, S3DataPath path, S3Client s3) {
    if (!new StagingArea(s3).bucketExists(path.bucket())) {
      throw missingBucket(option, path);
    }
    return path;
  }

  private static IllegalArgumentException missingBucket(String option, S3DataPath path) {
    return new IllegalArgumentException(
        "The S3 bucket '"
            + path.bucket()
            + "' of "
            + option
            + " "
            + path.toS3Uri()
            + " does not exist (or this account cannot see it). Create it (aws s3 mb s3://"
            + path.bucket()
            + "), give an existing bucket, or use new S3AutoCreatePath() to stage in"
            + " SageMaker's default <account>-sagemaker-<region> bucket, created when missing.");
  }

  @Override
  public MLWriter write() {
    return new StagePersistence.EstimatorWriter(this);
  }

  /**
   * Saves to {@code path}, failing if it exists ({@code write().overwrite().save(path)} replaces).
   */
  @Override
  public void save(String path) throws java.io.IOException {
    write().save(path);
  }

  /**
   * Reads estimators saved by {@link #save}, of whatever class was saved (as {@code Pipeline.load}
   * does for its stages).
   */
  public static MLReader<SageMakerEstimator> read() {
    return new StagePersistence.EstimatorReader();
  }

  /** Loads an estimator saved by {@link #save}. */
  public static SageMakerEstimator load(String path) {
    return read().load(path);
  }

  /** Loads an estimator saved by {@link #save}, which must be a {@code type}. */
  protected static <T extends SageMakerEstimator> T load(String path, Class<T> type) {
    SageMakerEstimator loaded = load(path);
    if (!type.isInstance(loaded)) {
      throw new IllegalArgumentException(
          path
              + " holds a "
              + loaded.getClass().getName()
              + ", not a "
              + type.getName()
              + "; load it with "
              + loaded.getClass().getSimpleName()
              + ".load");
    }
    return type.cast(loaded);
  }

  @Override
  public SageMakerEstimator copy(ParamMap extra) {
    return copyValues(new SageMakerEstimator(uid, options), extra);
  }
}
