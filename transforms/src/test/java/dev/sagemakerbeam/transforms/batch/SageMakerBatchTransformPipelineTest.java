package dev.sagemakerbeam.transforms.batch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.testing.MnistSample;
import dev.sagemakerbeam.transforms.algorithms.KMeansHyperparameters;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.CreatedResources;
import dev.sagemakerbeam.transforms.hosting.EndpointDeployer;
import dev.sagemakerbeam.transforms.hosting.EndpointSpec;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.inference.FailedElement;
import dev.sagemakerbeam.transforms.inference.InvokeEndpoint;
import dev.sagemakerbeam.transforms.inference.PredictedElement;
import dev.sagemakerbeam.transforms.inference.RequestSerializer;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import dev.sagemakerbeam.transforms.training.SageMakerTrain;
import dev.sagemakerbeam.transforms.training.StagingArea;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ModelSummary;
import software.amazon.awssdk.services.sagemaker.model.TransformJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TransformJobSummary;

/**
 * SageMakerBatchTransform on the Direct runner against SageMaker Local: a K-Means model's batch
 * predictions equal its endpoint's row for row; the temporary model and the staged data are gone
 * afterwards; a job that fails sends its shard's elements to the failures output with the object
 * named; a row the serializer refuses fails alone.
 */
class SageMakerBatchTransformPipelineTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";
  private static final String BUCKET = "batch-bucket";

  /** What the pipelines' DoFns saw, by test: the Direct runner runs them in this JVM. */
  static final Map<String, Map<Integer, KMeansPrediction>> PREDICTIONS = new ConcurrentHashMap<>();

  static final Map<String, List<String>> FAILURES = new ConcurrentHashMap<>();

  private static SageMakerClientConfiguration config;
  private static SageMakerClient sageMaker;
  private static S3Client s3;
  private static List<LabeledExample> test;
  private static String image;
  private static String artifact;

  @BeforeAll
  static void start() throws Exception {
    config = LOCAL.config();
    sageMaker = SageMakerClients.sageMaker(config);
    s3 = SageMakerClients.s3(config);
    new StagingArea(s3).ensureBucket(BUCKET, Region.of(SageMakerClients.resolveRegion(config)));
    MnistSample train = MnistSample.train();
    List<LabeledExample> rows = new ArrayList<>();
    for (int i = 0; i < 800; i++) {
      rows.add(LabeledExample.of(train.labels()[i], train.rows().get(i)));
    }
    MnistSample testSample = MnistSample.test();
    test = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      // the label carries the row's index, to match predictions to rows
      test.add(LabeledExample.of(i, testSample.rows().get(i)));
    }
    Pipeline p = pipeline();
    p.apply(Create.of(rows))
        .apply(
            SageMakerTrain.kmeans(
                    new KMeansHyperparameters().k(10).featureDim(784).miniBatchSize(400))
                .withClientConfiguration(config)
                .withRole(ROLE)
                .withInstanceType("ml.m5.large")
                .withStagingLocation("s3://" + BUCKET + "/train")
                .withTimeout(Duration.ofMinutes(3), Duration.ofMillis(200)));
    p.run().waitUntilFinish();
    var job =
        sageMaker.describeTrainingJob(
            r ->
                r.trainingJobName(
                    sageMaker
                        .listTrainingJobs(l -> l.maxResults(10))
                        .trainingJobSummaries()
                        .get(0)
                        .trainingJobName()));
    image = job.algorithmSpecification().trainingImage();
    artifact = job.modelArtifacts().s3ModelArtifacts();
  }

  @AfterAll
  static void stop() {
    sageMaker.close();
    s3.close();
  }

  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
  }

  private static RecordIoProtobufRequestSerializer<LabeledExample> serializer() {
    return RecordIoProtobufRequestSerializer.of(LabeledExample::features);
  }

  private static SageMakerBatchTransform<LabeledExample, KMeansPrediction> batch(
      RequestSerializer<LabeledExample> serializer) {
    return SageMakerBatchTransform.forArtifact(
            image, artifact, ROLE, serializer, new KMeansProtobufResponseDeserializer())
        .withClientConfiguration(config)
        .withInstanceType("ml.m5.large")
        .withStagingLocation("s3://" + BUCKET + "/batch")
        .withTimeout(Duration.ofMinutes(3), Duration.ofMillis(200));
  }

  /** Records each success under {@code key}, by the row index its label carries. */
  static final class Record extends DoFn<PredictedElement<LabeledExample, KMeansPrediction>, Void> {
    private final String key;

    Record(String key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element PredictedElement<LabeledExample, KMeansPrediction> e) {
      PREDICTIONS
          .computeIfAbsent(key, k -> new ConcurrentHashMap<>())
          .put((int) e.input().labelValue(), e.prediction());
    }
  }

  static final class RecordFailure extends DoFn<FailedElement<LabeledExample>, Void> {
    private final String key;

    RecordFailure(String key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element FailedElement<LabeledExample> e) {
      FAILURES
          .computeIfAbsent(key, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
          .add(e.failure().errorCode() + ": " + e.failure().message());
    }
  }

  /** RecordIO-protobuf, but refuses the row whose label is 7. */
  static final class RefusesSeven implements RequestSerializer<LabeledExample> {
    private final RecordIoProtobufRequestSerializer<LabeledExample> inner = serializer();

    @Override
    public String contentType() {
      return inner.contentType();
    }

    @Override
    public byte[] serialize(LabeledExample e) {
      if (e.labelValue() == 7) {
        throw new IllegalArgumentException("row 7 is refused");
      }
      return inner.serialize(e);
    }
  }

  private static void run(
      String key,
      PCollection<LabeledExample> rows,
      SageMakerBatchTransform<LabeledExample, KMeansPrediction> transform,
      Pipeline p) {
    InvokeEndpoint.Result<LabeledExample, KMeansPrediction> result = rows.apply(transform);
    result.successes().apply("Record", ParDo.of(new Record(key)));
    result.failures().apply("RecordFailures", ParDo.of(new RecordFailure(key)));
    p.run().waitUntilFinish();
  }

  private static List<String> modelNames() {
    return sageMaker.listModels(r -> r.maxResults(100)).models().stream()
        .map(ModelSummary::modelName)
        .collect(Collectors.toList());
  }

  @Test
  void batchPredictionsEqualTheEndpointsAndNothingIsLeftBehind() {
    // the endpoint's answers for the same rows, through InvokeEndpoint
    CreatedResources hosted;
    String endpoint = "batch-compare-endpoint";
    hosted =
        new EndpointDeployer(sageMaker, Duration.ofMinutes(2), Duration.ofMillis(200))
            .deploy(
                EndpointSpec.builder()
                    .modelName("batch-compare-model")
                    .endpointConfigName("batch-compare-config")
                    .endpointName(endpoint)
                    .image(image)
                    .modelDataUrl(artifact)
                    .executionRoleArn(ROLE)
                    .instanceType("ml.m5.large")
                    .build());
    List<String> modelsBefore;
    try {
      Pipeline p = pipeline();
      InvokeEndpoint.Result<LabeledExample, KMeansPrediction> online =
          p.apply(Create.of(test))
              .apply(
                  InvokeEndpoint.create(
                          endpoint, serializer(), new KMeansProtobufResponseDeserializer())
                      .withClientConfiguration(config));
      online.successes().apply(ParDo.of(new Record("endpoint")));
      p.run().waitUntilFinish();
      modelsBefore = modelNames();
    } finally {
      new SageMakerResourceCleanup(sageMaker).deleteResources(hosted);
    }

    Pipeline p = pipeline();
    run("batch", p.apply(Create.of(test)), batch(serializer()).withNumShards(3), p);

    Map<Integer, KMeansPrediction> fromEndpoint = PREDICTIONS.get("endpoint");
    Map<Integer, KMeansPrediction> fromBatch = PREDICTIONS.get("batch");
    assertThat(FAILURES.get("batch"), org.hamcrest.Matchers.nullValue());
    assertThat(fromEndpoint.size(), is(test.size()));
    assertThat(fromBatch.size(), is(test.size()));
    for (int i = 0; i < test.size(); i++) {
      assertThat(
          "row " + i,
          fromBatch.get(i).closestCluster(),
          equalTo(fromEndpoint.get(i).closestCluster()));
      assertThat(
          fromBatch.get(i).distanceToCluster(),
          closeTo(fromEndpoint.get(i).distanceToCluster(), 1e-4));
    }
    // one job, three input objects; its temporary model and the staged data are gone
    TransformJobSummary job =
        sageMaker
            .listTransformJobs(r -> r.sortBy("CreationTime").sortOrder("Descending"))
            .transformJobSummaries()
            .get(0);
    assertThat(job.transformJobStatus(), is(TransformJobStatus.COMPLETED));
    assertThat(
        modelNames(),
        equalTo(
            modelsBefore.stream()
                .filter(m -> !m.equals("batch-compare-model"))
                .collect(Collectors.toList())));
    assertThat(
        s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("batch/" + job.transformJobName()))
            .contents(),
        empty());
  }

  @Test
  void aFailingJobSendsItsShardToTheFailuresNamingTheObjectAndARefusedRowFailsAlone() {
    // 10-value rows for a 784-feature model: the model refuses them, the job fails
    List<LabeledExample> wrong = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      wrong.add(LabeledExample.of(1000 + i, FeatureVector.dense(new double[10])));
    }
    Pipeline p = pipeline();
    run("failing", p.apply(Create.of(wrong)), batch(serializer()).withNumShards(1), p);
    List<String> failures = FAILURES.get("failing");
    assertThat(failures, hasSize(20));
    assertThat(failures, everyItem(containsString(SageMakerBatchTransform.BATCH_TRANSFORM_FAILED)));
    assertThat(failures, everyItem(containsString("part-00000")));
    assertThat(PREDICTIONS.get("failing"), org.hamcrest.Matchers.nullValue());

    // a serializer that refuses one row: that row fails, the others are scored
    RequestSerializer<LabeledExample> picky = new RefusesSeven();
    Pipeline q = pipeline();
    run("picky", q.apply(Create.of(test.subList(0, 30))), batch(picky).withNumShards(2), q);
    assertThat(FAILURES.get("picky"), hasSize(1));
    assertThat(FAILURES.get("picky").get(0), containsString("row 7 is refused"));
    assertThat(PREDICTIONS.get("picky").size(), is(29));
  }

  @Test
  void settingsAreCheckedWhenGiven() {
    IllegalArgumentException payload =
        assertThrows(
            IllegalArgumentException.class, () -> batch(serializer()).withMaxPayloadInMB(101));
    assertThat(payload.getMessage(), containsString("maxPayloadInMB"));
    IllegalStateException noInstance =
        assertThrows(
            IllegalStateException.class,
            () ->
                pipeline()
                    .apply(Create.of(test))
                    .apply(
                        SageMakerBatchTransform.forModel(
                                "some-model",
                                serializer(),
                                new KMeansProtobufResponseDeserializer())
                            .withClientConfiguration(config)));
    assertThat(noInstance.getMessage(), containsString("withInstanceType"));
  }

  @Test
  void anEmptyInputRunsNoJobAndOutputsNothing() {
    int jobsBefore =
        sageMaker.listTransformJobs(r -> r.maxResults(100)).transformJobSummaries().size();
    Pipeline p = pipeline();
    run(
        "empty",
        p.apply(Create.empty(org.apache.beam.sdk.values.TypeDescriptor.of(LabeledExample.class))),
        batch(serializer()),
        p);
    assertThat(PREDICTIONS.get("empty"), org.hamcrest.Matchers.nullValue());
    assertThat(FAILURES.get("empty"), org.hamcrest.Matchers.nullValue());
    assertThat(
        sageMaker.listTransformJobs(r -> r.maxResults(100)).transformJobSummaries().size(),
        is(jobsBefore));
  }
}
