package dev.sagemakerbeam.transforms.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.auto.value.AutoValue;
import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.beam.LabeledExampleRows;
import dev.sagemakerbeam.io.beam.TrainingDataFormat;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import dev.sagemakerbeam.transforms.algorithms.FactorizationMachinesHyperparameters;
import dev.sagemakerbeam.transforms.algorithms.Hyperparameters;
import dev.sagemakerbeam.transforms.algorithms.KMeansHyperparameters;
import dev.sagemakerbeam.transforms.algorithms.LdaHyperparameters;
import dev.sagemakerbeam.transforms.algorithms.LinearLearnerHyperparameters;
import dev.sagemakerbeam.transforms.algorithms.PcaHyperparameters;
import dev.sagemakerbeam.transforms.algorithms.XGBoostHyperparameters;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.naming.ResourceNamePolicy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CompressionType;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;

/**
 * Trains a SageMaker model from a {@code PCollection} of labelled examples: stages them in S3 in
 * the algorithm's format as sharded files, runs one training job on them and outputs one {@link
 * TrainedModel}.
 *
 * <pre>{@code
 * PCollection<TrainedModel> model = examples.apply(
 *     SageMakerTrain.kmeans(new KMeansHyperparameters().k(10).featureDim(784))
 *         .withClientConfiguration(config)
 *         .withRole("arn:aws:iam::123456789012:role/SageMakerRole")
 *         .withInstanceType("ml.m5.xlarge"));
 * }</pre>
 *
 * <p>Staging goes to {@link #withStagingLocation} or, by default, to SageMaker's {@code
 * <account>-sagemaker-<region>} bucket (created when missing; resolved when the transform is
 * applied). Files land under {@code <staging>/<job name>/<channel>/}; the model under {@code
 * <staging>/<job name>/output/} unless an output path is set. With ManifestFile input a manifest
 * listing exactly the written files is put beside them.
 *
 * <p>The job name is fixed when the transform is applied, so a runner retrying the training step
 * finds the job it already created and waits for it instead of starting another. The job is
 * followed by {@link TrainingJobRunner}: Failed and Stopped jobs fail the pipeline with SageMaker's
 * FailureReason, a job outliving {@link #withTimeout} is stopped. Staged data is deleted afterwards
 * when {@link #withDeleteStagingData} is set, whatever the outcome.
 */
@AutoValue
public abstract class SageMakerTrain
    extends PTransform<PCollection<LabeledExample>, PCollection<TrainedModel>> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerTrain.class);
  private static final int DEFAULT_MIN_SHARDS = 4;

  /** The channel {@link #withValidation} stages, the name SageMaker's built-ins read. */
  static final String VALIDATION_CHANNEL = "validation";

  abstract @Nullable AlgorithmPreset<?, ?> preset(); // null for an explicit image

  /** The job's settings so far: a draft, validated when the transform is applied. */
  abstract TrainingJobSpec job();

  abstract TrainingDataFormat format();

  abstract @Nullable SageMakerClientConfiguration config();

  abstract @Nullable String stagingLocation();

  abstract boolean deleteStagingData();

  abstract int numShards();

  abstract Duration timeout();

  abstract Duration pollInterval();

  abstract ResourceNamePolicy names();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder preset(AlgorithmPreset<?, ?> preset);

    abstract Builder job(TrainingJobSpec job);

    abstract Builder format(TrainingDataFormat format);

    abstract Builder config(SageMakerClientConfiguration config);

    abstract Builder stagingLocation(String stagingLocation);

    abstract Builder deleteStagingData(boolean delete);

    abstract Builder numShards(int numShards);

    abstract Builder timeout(Duration timeout);

    abstract Builder pollInterval(Duration pollInterval);

    abstract Builder names(ResourceNamePolicy names);

    abstract SageMakerTrain build();
  }

  /** SageMaker's built-in K-Means; the image follows the configuration's region. */
  public static SageMakerTrain kmeans(KMeansHyperparameters hyperparameters) {
    return forPreset(AlgorithmPreset.kmeans(), hyperparameters);
  }

  /** SageMaker's built-in PCA; the image follows the configuration's region. */
  public static SageMakerTrain pca(PcaHyperparameters hyperparameters) {
    return forPreset(AlgorithmPreset.pca(), hyperparameters);
  }

  /**
   * SageMaker's XGBoost ({@code sagemaker-xgboost:1.7-1}), staged as LibSVM by default ({@link
   * #withTrainingFormat} for CSV, label first, or RecordIO-protobuf).
   */
  public static SageMakerTrain xgboost(XGBoostHyperparameters hyperparameters) {
    return forPreset(AlgorithmPreset.xgboost(), hyperparameters);
  }

  /**
   * SageMaker's Linear Learner, staged as RecordIO-protobuf; the predictor type is the
   * hyperparameters' ({@link LinearLearnerHyperparameters#binaryClassifier()}, {@link
   * LinearLearnerHyperparameters#multiclassClassifier(long)}, {@link
   * LinearLearnerHyperparameters#regressor()}).
   */
  public static SageMakerTrain linearLearner(LinearLearnerHyperparameters hyperparameters) {
    return forPreset(AlgorithmPreset.linearLearner(), hyperparameters);
  }

  /** Linear Learner as a binary classifier (sets {@code predictor_type}). */
  public static SageMakerTrain linearLearnerBinaryClassifier(
      LinearLearnerHyperparameters hyperparameters) {
    return linearLearner(withPredictorType(hyperparameters, "binary_classifier"));
  }

  /**
   * Linear Learner as a multiclass classifier (sets {@code predictor_type}; {@code num_classes}
   * must be set).
   */
  public static SageMakerTrain linearLearnerMultiClassClassifier(
      LinearLearnerHyperparameters hyperparameters) {
    return linearLearner(withPredictorType(hyperparameters, "multiclass_classifier"));
  }

  /** Linear Learner as a regressor (sets {@code predictor_type}). */
  public static SageMakerTrain linearLearnerRegressor(
      LinearLearnerHyperparameters hyperparameters) {
    return linearLearner(withPredictorType(hyperparameters, "regressor"));
  }

  /**
   * SageMaker's Factorization Machines as a binary classifier (sets {@code predictor_type}), staged
   * as RecordIO-protobuf.
   */
  public static SageMakerTrain factorizationMachinesBinaryClassifier(
      FactorizationMachinesHyperparameters hyperparameters) {
    return forPreset(
        AlgorithmPreset.factorizationMachines(),
        withPredictorType(hyperparameters, "binary_classifier"));
  }

  /** SageMaker's Factorization Machines as a regressor (sets {@code predictor_type}). */
  public static SageMakerTrain factorizationMachinesRegressor(
      FactorizationMachinesHyperparameters hyperparameters) {
    return forPreset(
        AlgorithmPreset.factorizationMachines(), withPredictorType(hyperparameters, "regressor"));
  }

  /** SageMaker's LDA, staged as RecordIO-protobuf word counts (the examples' labels ignored). */
  public static SageMakerTrain lda(LdaHyperparameters hyperparameters) {
    return forPreset(AlgorithmPreset.lda(), hyperparameters);
  }

  @SuppressWarnings("unchecked")
  private static <H extends Hyperparameters> H withPredictorType(H hyperparameters, String type) {
    String given = hyperparameters.given("predictor_type");
    if (given != null && !given.equals(type)) {
      throw new IllegalArgumentException(
          hyperparameters.spec().displayName()
              + " hyperparameters have predictor_type = "
              + given
              + " but this factory trains a "
              + type
              + ": drop predictor_type or use the matching factory");
    }
    return (H) hyperparameters.raw("predictor_type", type);
  }

  /**
   * A built-in algorithm preset (image resolver and training format) with its hyperparameters,
   * typed so that only the preset's own hyperparameters fit (PCA's cannot go with the K-Means
   * preset).
   */
  public static <H extends Hyperparameters> SageMakerTrain forPreset(
      AlgorithmPreset<H, ?> preset, H hyperparameters) {
    if (!hyperparameters.spec().equals(preset.spec())) {
      // reachable only through raw types
      throw new IllegalArgumentException(
          "forPreset got "
              + hyperparameters.spec().displayName()
              + " hyperparameters for the "
              + preset.spec().displayName()
              + " preset; give the preset's own ("
              + preset.newHyperparameters().getClass().getSimpleName()
              + ")");
    }
    return new AutoValue_SageMakerTrain.Builder()
        .preset(preset)
        .job(
            TrainingJobSpec.builder()
                .contentType(preset.trainingContentType())
                .hyperparameters(hyperparameters.toMap())
                .buildDraft())
        .format(preset.trainingFormat())
        .deleteStagingData(false)
        .numShards(0)
        .timeout(Duration.ofHours(25))
        .pollInterval(Duration.ofSeconds(5))
        .names(ResourceNamePolicy.withDefaultPrefix())
        .build();
  }

  /** Any training image, fed training data in {@code format}. */
  public static SageMakerTrain forImage(String trainingImage, TrainingDataFormat format) {
    if (trainingImage == null || trainingImage.isEmpty()) {
      throw new IllegalArgumentException(
          "forImage needs the training image URI, got " + trainingImage);
    }
    if (format == null) {
      throw new IllegalArgumentException("forImage needs a TrainingDataFormat, got null");
    }
    return new AutoValue_SageMakerTrain.Builder()
        .job(
            TrainingJobSpec.builder()
                .trainingImage(trainingImage)
                .contentType(format.contentType())
                .buildDraft())
        .format(format)
        .deleteStagingData(false)
        .numShards(0)
        .timeout(Duration.ofHours(25))
        .pollInterval(Duration.ofSeconds(5))
        .names(ResourceNamePolicy.withDefaultPrefix())
        .build();
  }

  private SageMakerTrain with(TrainingJobSpec.Builder newJob) {
    return toBuilder().job(newJob.buildDraft()).build();
  }

  /** Where SageMaker is: region, credentials, endpoints (required). */
  public SageMakerTrain withClientConfiguration(SageMakerClientConfiguration config) {
    if (config == null) {
      throw new IllegalArgumentException("withClientConfiguration needs a configuration, got null");
    }
    return toBuilder().config(config).build();
  }

  /** The IAM role SageMaker assumes (required). */
  public SageMakerTrain withRole(String roleArn) {
    return with(job().toBuilder().roleArn(roleArn));
  }

  /** Training instance type, e.g. {@code ml.m5.xlarge} (required). */
  public SageMakerTrain withInstanceType(String instanceType) {
    return with(job().toBuilder().instanceType(instanceType));
  }

  public SageMakerTrain withInstanceCount(int count) {
    return with(job().toBuilder().instanceCount(count));
  }

  public SageMakerTrain withVolumeSizeInGb(int gigabytes) {
    return with(job().toBuilder().volumeSizeInGb(gigabytes));
  }

  /** SageMaker's MaxRuntimeInSeconds (default 24 hours). */
  public SageMakerTrain withMaxRuntime(Duration maxRuntime) {
    return with(
        job().toBuilder()
            .maxRuntimeInSeconds((int) Math.min(Integer.MAX_VALUE, maxRuntime.toSeconds())));
  }

  /** {@code File} (default), {@code Pipe} or {@code FastFile}. */
  public SageMakerTrain withInputMode(String inputMode) {
    return with(job().toBuilder().inputMode(inputMode));
  }

  /** The input channel's name (default {@code train}). */
  public SageMakerTrain withChannelName(String channelName) {
    return with(job().toBuilder().channelName(channelName));
  }

  /** The channel's ContentType (default the training format's). */
  public SageMakerTrain withContentType(String contentType) {
    return with(job().toBuilder().contentType(contentType));
  }

  /**
   * Stages the training data in {@code format} and sets the channel's ContentType to match (CSV
   * rows start with the label: {@code text/csv;label_size=1}).
   */
  public SageMakerTrain withTrainingFormat(TrainingDataFormat format) {
    if (format == null) {
      throw new IllegalArgumentException("withTrainingFormat needs a TrainingDataFormat, got null");
    }
    String contentType =
        format == TrainingDataFormat.CSV
            ? format.contentType() + ";label_size=1"
            : format.contentType();
    return toBuilder()
        .format(format)
        .job(job().toBuilder().contentType(contentType).buildDraft())
        .build();
  }

  /** Gzip-compress the staged files and tell SageMaker so ({@code CompressionType Gzip}). */
  public SageMakerTrain withGzipCompression() {
    return with(job().toBuilder().compressionType(CompressionType.GZIP.toString()));
  }

  /** Give SageMaker a manifest listing the staged files instead of their S3 prefix. */
  public SageMakerTrain withManifestFile() {
    return with(job().toBuilder().s3DataType(S3DataType.MANIFEST_FILE.toString()));
  }

  /** {@code ShardedByS3Key}: each instance gets whole files (stage at least as many shards). */
  public SageMakerTrain withShardedByS3Key() {
    return with(job().toBuilder().s3DataDistribution("ShardedByS3Key"));
  }

  /** Where SageMaker writes the model (default under the staging location). */
  public SageMakerTrain withOutputPath(String s3Uri) {
    return with(job().toBuilder().outputPath(s3Uri));
  }

  /** KMS key for the model artifacts. */
  public SageMakerTrain withKmsKeyId(String kmsKeyId) {
    return with(job().toBuilder().kmsKeyId(kmsKeyId));
  }

  public SageMakerTrain withVpcConfig(List<String> securityGroupIds, List<String> subnets) {
    return with(job().toBuilder().vpcConfig(securityGroupIds, subnets));
  }

  public SageMakerTrain withTags(Map<String, String> tags) {
    return with(job().toBuilder().tags(tags));
  }

  /** Environment variables of the training container. */
  public SageMakerTrain withEnvironment(Map<String, String> environment) {
    return with(job().toBuilder().environment(environment));
  }

  /** Adds or replaces raw hyperparameters, for those the typed ones do not cover. */
  public SageMakerTrain withHyperparameters(Map<String, String> hyperparameters) {
    return with(job().toBuilder().putHyperparameters(hyperparameters));
  }

  /** Stage under this {@code s3://bucket/prefix} instead of the default SageMaker bucket. */
  public SageMakerTrain withStagingLocation(String s3Uri) {
    if (s3Uri == null || !s3Uri.startsWith("s3://") || URI.create(s3Uri).getHost() == null) {
      throw new IllegalArgumentException(
          "withStagingLocation needs an s3://bucket/prefix URI, got " + s3Uri);
    }
    return toBuilder().stagingLocation(s3Uri.replaceAll("/+$", "")).build();
  }

  /** Delete the staged training data once the job has ended (model output is kept). */
  public SageMakerTrain withDeleteStagingData(boolean delete) {
    return toBuilder().deleteStagingData(delete).build();
  }

  /**
   * Number of staged files; 0 (the default) stages 4, or one per training instance when there are
   * more. SageMaker's {@code ShardedByS3Key} gives each instance whole files.
   */
  public SageMakerTrain withNumShards(int shards) {
    if (shards < 0) {
      throw new IllegalArgumentException(
          "withNumShards needs 0 (runner decides) or more, got " + shards);
    }
    return toBuilder().numShards(shards).build();
  }

  /** How long to wait for the job before stopping it (default 25 hours), and how often to poll. */
  public SageMakerTrain withTimeout(Duration timeout, Duration pollInterval) {
    if (timeout == null
        || timeout.isNegative()
        || timeout.isZero()
        || pollInterval == null
        || pollInterval.isNegative()
        || pollInterval.isZero()) {
      throw new IllegalArgumentException(
          "withTimeout needs positive durations, got timeout "
              + timeout
              + " and poll "
              + pollInterval);
    }
    return toBuilder().timeout(timeout).pollInterval(pollInterval).build();
  }

  /** How training jobs are named (default prefix {@code sagemaker-beam}). */
  public SageMakerTrain withNamePolicy(ResourceNamePolicy policy) {
    if (policy == null) {
      throw new IllegalArgumentException("withNamePolicy needs a policy, got null");
    }
    return toBuilder().names(policy).build();
  }

  /**
   * This transform over Beam Rows: the label from the numeric field {@code labelField}, the
   * features from {@code featuresField} (an array of numbers, or a row {@link
   * LabeledExampleRows#SPARSE_VECTOR_SCHEMA}), as {@link LabeledExampleRows} reads them. {@link
   * FromRows#withValidation} adds a validation channel from Rows of the same fields.
   */
  public FromRows fromRows(String labelField, String featuresField) {
    return new FromRows(this, labelField, featuresField);
  }

  /** {@link SageMakerTrain} over Beam Rows; see {@link #fromRows}. */
  public static final class FromRows
      extends PTransform<PCollection<Row>, PCollection<TrainedModel>> {
    private static final long serialVersionUID = 1L;
    private final SageMakerTrain train;
    private final LabeledExampleRows toExamples;
    private final transient PCollection<Row> validation; // null: no validation channel

    private FromRows(SageMakerTrain train, String labelField, String featuresField) {
      this(
          train,
          LabeledExampleRows.create().withLabelField(labelField).withFeaturesField(featuresField),
          null);
    }

    private FromRows(
        SageMakerTrain train, LabeledExampleRows toExamples, PCollection<Row> validation) {
      this.train = train;
      this.toExamples = toExamples;
      this.validation = validation;
    }

    /**
     * This transform with a {@code validation} channel staged from {@code validation}, Rows with
     * the same label and features fields, as {@link SageMakerTrain#withValidation} stages examples.
     */
    public PTransform<PCollection<Row>, PCollection<TrainedModel>> withValidation(
        PCollection<Row> validation) {
      if (validation == null) {
        throw new IllegalArgumentException("withValidation needs a PCollection, got null");
      }
      train.checkValidationChannelFree();
      return new FromRows(train, toExamples, validation);
    }

    @Override
    public PCollection<TrainedModel> expand(PCollection<Row> rows) {
      PCollection<LabeledExample> examples = rows.apply("ToExamples", toExamples);
      if (validation == null) {
        return examples.apply("Train", train);
      }
      return examples.apply(
          "Train", train.withValidation(validation.apply("ValidationToExamples", toExamples)));
    }
  }

  /** Trains on data already in S3 (a prefix, or a manifest with {@link #withManifestFile()}). */
  public PTransform<PBegin, PCollection<TrainedModel>> fromS3(String dataUri) {
    if (dataUri == null || !dataUri.startsWith("s3://")) {
      throw new IllegalArgumentException(
          "fromS3 needs an s3:// URI of the training data, got " + dataUri);
    }
    SageMakerTrain train = this;
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<TrainedModel> expand(PBegin begin) {
        Plan plan = train.plan();
        return begin
            .apply("Start", Create.of(Collections.singletonList(dataUri)))
            .apply("RunTrainingJob", ParDo.of(new RunTrainingJobFn(plan, true, null)));
      }
    };
  }

  /**
   * This transform with a second channel, {@code validation}, staged from {@code validation} in the
   * same format, layout and compression as the training data (under {@code <staging>/<job
   * name>/validation/}). The built-ins that read one report validation metrics on it ({@code
   * validation:rmse}, ...; {@link TrainedModel#finalMetrics()}) and stop early on it (XGBoost's
   * {@code early_stopping_rounds}, Linear Learner's {@code early_stopping_patience}). An empty
   * validation PCollection fails the training step before any job is created. Call it last: it
   * returns the applied form of this transform.
   */
  public PTransform<PCollection<LabeledExample>, PCollection<TrainedModel>> withValidation(
      PCollection<LabeledExample> validation) {
    if (validation == null) {
      throw new IllegalArgumentException("withValidation needs a PCollection, got null");
    }
    checkValidationChannelFree();
    return new WithValidation(this, validation);
  }

  /**
   * Fails when the training channel is named {@code validation}, the channel a validation
   * PCollection is staged as ({@link #withValidation}, {@code SageMakerTune.withValidation}).
   */
  void checkValidationChannelFree() {
    if (VALIDATION_CHANNEL.equals(job().channelName())) {
      throw new IllegalArgumentException(
          "withValidation stages a channel named '"
              + VALIDATION_CHANNEL
              + "', which withChannelName gave the training data too; name the training channel"
              + " otherwise (for example 'train')");
    }
  }

  /** The form of {@link #withValidation}: holds the validation PCollection, never serialized. */
  private static final class WithValidation
      extends PTransform<PCollection<LabeledExample>, PCollection<TrainedModel>> {
    private static final long serialVersionUID = 1L;
    private final SageMakerTrain train;
    private final transient PCollection<LabeledExample> validation;

    WithValidation(SageMakerTrain train, PCollection<LabeledExample> validation) {
      this.train = train;
      this.validation = validation;
    }

    @Override
    public PCollection<TrainedModel> expand(PCollection<LabeledExample> examples) {
      Plan plan = train.plan();
      PCollectionView<List<String>> validationFiles = train.stageValidation(validation, plan);
      return train
          .stage(examples, plan)
          .apply(
              "RunTrainingJob",
              ParDo.of(new RunTrainingJobFn(plan, false, validationFiles))
                  .withSideInputs(validationFiles));
    }
  }

  @Override
  public PCollection<TrainedModel> expand(PCollection<LabeledExample> examples) {
    Plan plan = plan();
    return stage(examples, plan)
        .apply("RunTrainingJob", ParDo.of(new RunTrainingJobFn(plan, false, null)));
  }

  /** Stages the examples as {@code plan} lays out and outputs the list of staged files. */
  PCollection<List<String>> stage(PCollection<LabeledExample> examples, Plan plan) {
    return stage(examples, plan, plan.spec.channelName(), "");
  }

  /**
   * Stages {@code validation} as the {@code validation} channel of {@code plan}'s job (format,
   * shards and compression as the training data's), for a side input of the training step.
   */
  PCollectionView<List<String>> stageValidation(PCollection<LabeledExample> validation, Plan plan) {
    return stage(validation, plan, VALIDATION_CHANNEL, "Validation")
        .apply("ValidationFiles", View.asSingleton());
  }

  private PCollection<List<String>> stage(
      PCollection<LabeledExample> examples, Plan plan, String channel, String stepSuffix) {
    boolean gzip = CompressionType.GZIP.toString().equals(plan.spec.compressionType());
    int shards = numShards() > 0 ? numShards() : defaultShards(plan.spec.instanceCount());
    return examples
        .apply(
            "Stage" + stepSuffix + format(),
            new StageTrainingData(
                plan.config, format(), gzip, plan.staging, plan.channelPath(channel), shards))
        .apply("All" + stepSuffix + "Files", Combine.globally(new ListFiles()));
  }

  /** The catalogue entry of a built-in algorithm's preset, or null for an explicit image. */
  dev.sagemakerbeam.algorithms.AlgorithmSpec algorithmSpec() {
    return preset() == null ? null : preset().spec();
  }

  /** Shards when none are set: at least one whole file per training instance, and at least 4. */
  static int defaultShards(int instanceCount) {
    return Math.max(DEFAULT_MIN_SHARDS, instanceCount);
  }

  /** Everything decided when the transform is applied: the spec, the job name and the S3 layout. */
  Plan plan() {
    if (config() == null) {
      throw new IllegalStateException(
          "SageMakerTrain has no client configuration; call withClientConfiguration(...), e.g."
              + " SageMakerClientConfiguration.forRegion(\"us-east-1\") or forLocal(...) for SageMaker Local");
    }
    TrainingJobSpec.Builder builder = job().toBuilder();
    if (preset() != null) {
      builder.trainingImage(preset().imageUri(SageMakerClients.resolveRegion(config())));
    }
    TrainingJobSpec spec;
    try {
      spec = builder.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "SageMakerTrain: "
              + e.getMessage()
              + "; set it with the matching with* method (withRole, withInstanceType, ...)",
          e);
    }
    // the default bucket is resolved at run time: building the pipeline makes no AWS calls
    StagingLocation staging = StagingLocation.of(config(), stagingLocation());
    String jobName = names().newName(ResourceNamePolicy.Kind.TRAINING_JOB);
    LOG.info(
        "SageMakerTrain: job {} stages {} data under {}/{}/{}/",
        jobName,
        format(),
        staging,
        jobName,
        spec.channelName());
    return new Plan(
        config(), spec, jobName, staging, deleteStagingData(), timeout(), pollInterval());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("format", format().name()))
        .add(DisplayData.item("numShards", numShards()))
        .addIfNotNull(DisplayData.item("stagingLocation", stagingLocation()))
        .add(DisplayData.item("deleteStagingData", deleteStagingData()))
        .add(DisplayData.item("timeout", timeout().toString()))
        .addIfNotNull(DisplayData.item("algorithm", preset() == null ? null : preset().name()));
    if (config() != null) {
      builder.include(
          "clientConfiguration", (DisplayData.Builder b) -> config().populateDisplayData(b));
    }
  }

  /**
   * What the training step needs at run time. The S3 layout hangs off {@link #staging}, which
   * resolves a default location only when first asked, in a DoFn.
   */
  static final class Plan implements java.io.Serializable {
    private static final long serialVersionUID = 2L;
    final SageMakerClientConfiguration config;
    final TrainingJobSpec spec;
    final String jobName;
    final StagingLocation staging;
    final boolean deleteStagingData;
    final Duration timeout;
    final Duration pollInterval;

    Plan(
        SageMakerClientConfiguration config,
        TrainingJobSpec spec,
        String jobName,
        StagingLocation staging,
        boolean deleteStagingData,
        Duration timeout,
        Duration pollInterval) {
      this.config = config;
      this.spec = spec;
      this.jobName = jobName;
      this.staging = staging;
      this.deleteStagingData = deleteStagingData;
      this.timeout = timeout;
      this.pollInterval = pollInterval;
    }

    /** {@code <staging>/<job>}. */
    String jobRoot() {
      return staging.resolve(jobName);
    }

    /** A channel's directory relative to the staging location: {@code <job>/<channel>}. */
    String channelPath(String channel) {
      return jobName + "/" + channel;
    }

    /** {@code <staging>/<job>/<channel>}. */
    String channelDirectory(String channel) {
      return staging.resolve(channelPath(channel));
    }

    /** {@code <staging>/<job>/<training channel>}. */
    String dataDirectory() {
      return channelDirectory(spec.channelName());
    }

    /**
     * SageMaker writes {@code <output path>/<job>/output/model.tar.gz} itself: the staging location
     * as the output path puts the model at {@code <staging>/<job>/output/model.tar.gz}, beside the
     * job's data.
     */
    String defaultOutputPath() {
      return staging.uri();
    }
  }

  /** Collects the staged file names into one list (empty when nothing was written). */
  static final class ListFiles extends Combine.CombineFn<String, List<String>, List<String>> {
    private static final long serialVersionUID = 1L;

    @Override
    public List<String> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<String> addInput(List<String> files, String file) {
      files.add(file);
      return files;
    }

    @Override
    public List<String> mergeAccumulators(Iterable<List<String>> parts) {
      List<String> all = new ArrayList<>();
      parts.forEach(all::addAll);
      return all;
    }

    @Override
    public List<String> extractOutput(List<String> files) {
      List<String> sorted = new ArrayList<>(files);
      Collections.sort(sorted);
      return sorted;
    }
  }

  /**
   * Creates the training job (or finds the one a previous attempt created), waits for it, and
   * cleans up staged data when asked.
   */
  static final class RunTrainingJobFn extends DoFn<Object, TrainedModel> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MANIFEST_JSON = new ObjectMapper();
    private final Plan plan;
    private final boolean existingData;
    private final @Nullable PCollectionView<List<String>> validationFiles;
    private transient SageMakerClient sageMaker;
    private transient S3Client s3;

    RunTrainingJobFn(
        Plan plan, boolean existingData, @Nullable PCollectionView<List<String>> validationFiles) {
      this.plan = plan;
      this.existingData = existingData;
      this.validationFiles = validationFiles;
    }

    @Setup
    public void setup() {
      sageMaker = SageMakerClients.sageMaker(plan.config);
      s3 = SageMakerClients.s3(plan.config);
    }

    @ProcessElement
    public void process(
        @Element Object element, ProcessContext context, OutputReceiver<TrainedModel> out) {
      try {
        Map<String, String> channels =
            existingData
                ? Map.of(plan.spec.channelName(), (String) element)
                : channelUris(
                    plan,
                    s3,
                    castFiles(element),
                    validationFiles == null ? null : context.sideInput(validationFiles));
        TrainingJobRunner runner =
            new TrainingJobRunner(sageMaker, plan.timeout, plan.pollInterval);
        TrainedModel model;
        try {
          model = runner.run(plan.spec.toRequest(plan.jobName, channels, plan.defaultOutputPath()));
        } catch (ResourceInUseException e) {
          // a retry of this step: the job exists already, follow it instead of starting another
          LOG.info("Training job {} exists already; waiting for it", plan.jobName);
          model = runner.awaitCompletion(plan.jobName);
        }
        out.output(model);
      } finally {
        if (plan.deleteStagingData && !existingData) {
          deleteStagedData(plan, s3, validationFiles != null);
        }
      }
    }

    /**
     * The job's channels, name to URI: the training channel from {@code files} and, when {@code
     * validationFiles} is not null, the {@code validation} channel from them.
     */
    static Map<String, String> channelUris(
        Plan plan, S3Client s3, List<String> files, @Nullable List<String> validationFiles) {
      Map<String, String> channels = new LinkedHashMap<>();
      channels.put(
          plan.spec.channelName(), stagedDataUri(plan, s3, plan.spec.channelName(), files));
      if (validationFiles != null) {
        channels.put(
            VALIDATION_CHANNEL, stagedDataUri(plan, s3, VALIDATION_CHANNEL, validationFiles));
      }
      return channels;
    }

    /** Deletes the staged training data, and the validation data when there is some. */
    static void deleteStagedData(Plan plan, S3Client s3, boolean validation) {
      StagingArea area = new StagingArea(s3);
      area.deleteStagedData(URI.create(plan.dataDirectory() + "/"));
      if (validation) {
        area.deleteStagedData(URI.create(plan.channelDirectory(VALIDATION_CHANNEL) + "/"));
      }
    }

    /**
     * A channel's URI: its staged directory, or a manifest of the files written there, put beside
     * it ({@code <staging>/<job>/<channel>.manifest}).
     */
    static String stagedDataUri(Plan plan, S3Client s3, String channel, List<String> files) {
      String directory = plan.channelDirectory(channel);
      if (files.isEmpty()) {
        throw new IllegalStateException(
            "SageMakerTrain staged no "
                + (channel.equals(plan.spec.channelName())
                    ? "training data under " + directory + ": the input PCollection is empty"
                    : channel
                        + " data under "
                        + directory
                        + ": the "
                        + channel
                        + " PCollection is empty")
                + ". A training job needs examples in every channel it is given");
      }
      LOG.info(
          "Training job {}: {} files staged under {} (channel {})",
          plan.jobName,
          files.size(),
          directory,
          channel);
      if (!S3DataType.MANIFEST_FILE.toString().equals(plan.spec.s3DataType())) {
        return directory + "/";
      }
      // SageMaker's manifest: a common prefix, then each file relative to it (JSON written by
      // Jackson, so a key with quotes or backslashes stays a valid manifest)
      String prefix = directory + "/";
      ArrayNode manifest = MANIFEST_JSON.createArrayNode();
      manifest.addObject().put("prefix", prefix);
      for (String file : files) {
        if (!file.startsWith(prefix)) {
          throw new IllegalStateException("staged file " + file + " is not under " + prefix);
        }
        manifest.add(file.substring(prefix.length()));
      }
      byte[] body;
      try {
        body = MANIFEST_JSON.writeValueAsBytes(manifest);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write the training manifest", e);
      }
      URI manifestUri = URI.create(plan.jobRoot() + "/" + channel + ".manifest");
      s3.putObject(
          r -> r.bucket(manifestUri.getHost()).key(manifestUri.getPath().substring(1)),
          RequestBody.fromBytes(body));
      return manifestUri.toString();
    }

    @SuppressWarnings("unchecked")
    static List<String> castFiles(Object element) {
      return (List<String>) element;
    }

    @Teardown
    public void teardown() {
      if (sageMaker != null) {
        sageMaker.close();
      }
      if (s3 != null) {
        s3.close();
      }
    }
  }
}
