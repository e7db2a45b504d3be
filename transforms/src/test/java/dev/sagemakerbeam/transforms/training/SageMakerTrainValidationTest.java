package dev.sagemakerbeam.transforms.training;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.testing.LibSvmData;
import dev.sagemakerbeam.transforms.algorithms.XGBoostHyperparameters;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * {@link SageMakerTrain#withValidation} on the Direct runner against SageMaker Local's XGBoost
 * (breast-cancer, its test split as validation): the job gets a {@code validation} channel beside
 * {@code train} and reports validation metrics (with early stopping on them asked for); staged
 * validation data is deleted with the training data; a manifest is written for each channel when
 * asked; an empty validation PCollection fails before any job is created.
 */
class SageMakerTrainValidationTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";

  /** Job names the pipelines' assertions saw, by test (the Direct runner runs in this JVM). */
  private static final Map<String, String> JOBS = new ConcurrentHashMap<>();

  private static SageMakerClientConfiguration config;
  private static SageMakerClient sageMaker;
  private static S3Client s3;

  @BeforeAll
  static void start() {
    config = LOCAL.config();
    sageMaker = SageMakerClients.sageMaker(config);
    s3 = SageMakerClients.s3(config);
  }

  @AfterAll
  static void stop() {
    sageMaker.close();
    s3.close();
  }

  private static List<LabeledExample> examples(LibSvmData data) {
    List<LabeledExample> out = new ArrayList<>();
    for (int i = 0; i < data.rows().size(); i++) {
      out.add(LabeledExample.of(data.labels()[i], data.rows().get(i)));
    }
    return out;
  }

  private static SageMakerTrain xgboost(String stagingBucket) {
    return SageMakerTrain.xgboost(
            new XGBoostHyperparameters()
                .objective("binary:logistic")
                .numRound(200)
                .maxDepth(4)
                .eta(0.3)
                .treeMethod("hist")
                .evalMetric("logloss")
                .earlyStoppingRounds(5))
        .withClientConfiguration(config)
        .withRole(ROLE)
        .withInstanceType("ml.m5.large")
        .withStagingLocation("s3://" + stagingBucket + "/staging")
        .withTimeout(Duration.ofMinutes(4), Duration.ofMillis(200));
  }

  /** Runs train (with validation) on breast-cancer and returns the job's description. */
  private static DescribeTrainingJobResponse train(String test, SageMakerTrain train) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<LabeledExample> validation =
        p.apply("ValidationData", Create.of(examples(LibSvmData.breastCancerTest())));
    PCollection<TrainedModel> model =
        p.apply("TrainData", Create.of(examples(LibSvmData.breastCancerTrain())))
            .apply("Train", train.withValidation(validation));
    PAssert.that(model)
        .satisfies(
            models -> {
              TrainedModel m = models.iterator().next();
              JOBS.put(test, m.trainingJobName());
              assertThat(m.finalMetrics().keySet(), hasItem("validation:logloss"));
              assertThat(m.finalMetrics().keySet(), hasItem("train:logloss"));
              return null;
            });
    assertThat(p.run().waitUntilFinish(), is(PipelineResult.State.DONE));
    return sageMaker.describeTrainingJob(r -> r.trainingJobName(JOBS.get(test)));
  }

  private static List<String> keys(String bucket, String prefix) {
    return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .collect(Collectors.toList());
  }

  @Test
  void theJobGetsAValidationChannelAndTheStagedDataIsDeletedAfterwards() {
    s3.createBucket(r -> r.bucket("validation-prefix"));
    DescribeTrainingJobResponse job =
        train("prefix", xgboost("validation-prefix").withDeleteStagingData(true));

    assertThat(job.trainingJobStatus(), is(TrainingJobStatus.COMPLETED));
    List<Channel> channels = job.inputDataConfig();
    assertThat(
        channels.stream().map(Channel::channelName).toList(), is(List.of("train", "validation")));
    String root = "s3://validation-prefix/staging/" + job.trainingJobName();
    assertThat(channels.get(0).dataSource().s3DataSource().s3Uri(), is(root + "/train/"));
    assertThat(channels.get(1).dataSource().s3DataSource().s3Uri(), is(root + "/validation/"));
    assertThat(channels.get(1).contentType(), is(channels.get(0).contentType()));
    // the job's own metrics: XGBoost evaluated the validation channel
    assertThat(
        job.finalMetricDataList().stream().map(m -> m.metricName()).toList(),
        hasItem("validation:logloss"));
    String staged = "staging/" + job.trainingJobName() + "/";
    assertThat(keys("validation-prefix", staged + "validation/"), is(empty()));
    assertThat(keys("validation-prefix", staged + "train/"), is(empty()));
    // the model is kept
    assertThat(keys("validation-prefix", staged + "output/"), hasSize(greaterThan(0)));
  }

  @Test
  void withAManifestEachChannelGetsItsOwnListingItsFiles() throws Exception {
    s3.createBucket(r -> r.bucket("validation-manifest"));
    DescribeTrainingJobResponse job =
        train("manifest", xgboost("validation-manifest").withManifestFile());

    assertThat(job.trainingJobStatus(), is(TrainingJobStatus.COMPLETED));
    String root = "s3://validation-manifest/staging/" + job.trainingJobName();
    Channel validation = job.inputDataConfig().get(1);
    assertThat(validation.channelName(), is("validation"));
    assertThat(validation.dataSource().s3DataSource().s3DataTypeAsString(), is("ManifestFile"));
    assertThat(validation.dataSource().s3DataSource().s3Uri(), is(root + "/validation.manifest"));
    assertThat(
        job.inputDataConfig().get(0).dataSource().s3DataSource().s3Uri(),
        is(root + "/train.manifest"));

    URI manifestUri = URI.create(validation.dataSource().s3DataSource().s3Uri());
    JsonNode manifest =
        new ObjectMapper()
            .readTree(
                s3.getObjectAsBytes(
                        r ->
                            r.bucket(manifestUri.getHost()).key(manifestUri.getPath().substring(1)))
                    .asByteArray());
    assertThat(manifest.get(0).get("prefix").asText(), is(root + "/validation/"));
    List<String> listed = new ArrayList<>();
    for (int i = 1; i < manifest.size(); i++) {
      listed.add("staging/" + job.trainingJobName() + "/validation/" + manifest.get(i).asText());
    }
    List<String> staged =
        keys("validation-manifest", "staging/" + job.trainingJobName() + "/validation/");
    assertThat(listed, hasSize(greaterThan(0)));
    assertThat(listed.stream().sorted().toList(), is(staged.stream().sorted().toList()));
    assertThat(listed, everyItem(startsWith("staging/" + job.trainingJobName() + "/validation/")));
  }

  private static final Schema ROWS =
      Schema.builder()
          .addDoubleField("diagnosis")
          .addArrayField("measurements", Schema.FieldType.DOUBLE)
          .build();

  private static List<Row> rows(LibSvmData data) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < data.rows().size(); i++) {
      List<Double> values = new ArrayList<>();
      for (double v : data.rows().get(i).toDenseArray()) {
        values.add(v);
      }
      out.add(Row.withSchema(ROWS).addValues(data.labels()[i], values).build());
    }
    return out;
  }

  @Test
  void rowsTrainWithValidationRowsOfTheSameFields() {
    s3.createBucket(r -> r.bucket("validation-rows"));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<Row> validation =
        p.apply(
            "ValidationRows", Create.of(rows(LibSvmData.breastCancerTest())).withRowSchema(ROWS));
    PCollection<TrainedModel> model =
        p.apply("TrainRows", Create.of(rows(LibSvmData.breastCancerTrain())).withRowSchema(ROWS))
            .apply(
                "Train",
                xgboost("validation-rows")
                    .fromRows("diagnosis", "measurements")
                    .withValidation(validation));
    PAssert.that(model)
        .satisfies(
            models -> {
              TrainedModel m = models.iterator().next();
              JOBS.put("rows", m.trainingJobName());
              assertThat(m.finalMetrics().keySet(), hasItem("validation:logloss"));
              return null;
            });
    assertThat(p.run().waitUntilFinish(), is(PipelineResult.State.DONE));

    DescribeTrainingJobResponse job =
        sageMaker.describeTrainingJob(r -> r.trainingJobName(JOBS.get("rows")));
    assertThat(job.trainingJobStatus(), is(TrainingJobStatus.COMPLETED));
    assertThat(
        job.inputDataConfig().stream().map(Channel::channelName).toList(),
        is(List.of("train", "validation")));
    assertThat(
        keys("validation-rows", "staging/" + job.trainingJobName() + "/validation/"),
        hasSize(greaterThan(0)));
    // the job evaluated the validation rows
    assertThat(
        job.finalMetricDataList().stream().map(m -> m.metricName()).toList(),
        hasItem("validation:logloss"));
  }

  @Test
  void rowsRefuseATrainingChannelNamedValidation() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<Row> validation =
        p.apply(Create.of(rows(LibSvmData.breastCancerTest())).withRowSchema(ROWS));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                xgboost("unused")
                    .withChannelName("validation")
                    .fromRows("diagnosis", "measurements")
                    .withValidation(validation));
    assertThat(e.getMessage(), containsString("name the training channel otherwise"));
  }

  @Test
  void anEmptyValidationCollectionFailsBeforeAnyJobIsCreated() {
    s3.createBucket(r -> r.bucket("validation-empty"));
    int jobsBefore =
        sageMaker.listTrainingJobs(r -> r.maxResults(100)).trainingJobSummaries().size();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<LabeledExample> none =
        p.apply("NoValidation", Create.empty(TypeDescriptor.of(LabeledExample.class)));
    p.apply("TrainData", Create.of(examples(LibSvmData.breastCancerTrain())))
        .apply("Train", xgboost("validation-empty").withValidation(none));

    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    assertThat(e.getMessage(), containsString("validation PCollection is empty"));
    assertThat(
        sageMaker.listTrainingJobs(r -> r.maxResults(100)).trainingJobSummaries().size(),
        is(jobsBefore));
  }

  @Test
  void aTrainingChannelNamedValidationIsRefusedNamingTheFix() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<LabeledExample> validation =
        p.apply(Create.of(examples(LibSvmData.breastCancerTest())));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> xgboost("unused").withChannelName("validation").withValidation(validation));
    assertThat(e.getMessage(), containsString("name the training channel otherwise"));
    assertThat(e.getMessage(), endsWith("(for example 'train')"));
  }
}
