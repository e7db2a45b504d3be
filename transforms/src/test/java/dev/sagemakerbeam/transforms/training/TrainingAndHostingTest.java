package dev.sagemakerbeam.transforms.training;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoWriter;
import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.CreatedResources;
import dev.sagemakerbeam.transforms.hosting.EndpointDeployer;
import dev.sagemakerbeam.transforms.hosting.EndpointSpec;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.inference.InferenceBatchEngine;
import dev.sagemakerbeam.transforms.inference.InferenceOutcomeReceiver;
import dev.sagemakerbeam.transforms.inference.InferenceSettings;
import dev.sagemakerbeam.transforms.inference.InferenceStats;
import dev.sagemakerbeam.transforms.inference.InvocationFailure;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sts.StsClient;

/** The orchestrator, deployer, cleanup and staging area against a real SageMaker Local. */
class TrainingAndHostingTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String KMEANS = "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1";
  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";
  private static final Duration POLL = Duration.ofMillis(100);

  private static SageMakerLocal local;
  private static SageMakerClientConfiguration config;
  private static SageMakerClient sageMaker;
  private static S3Client s3;
  private static String bucket;

  @BeforeAll
  static void start() throws Exception {
    local = LOCAL.local();
    config = LOCAL.config();
    sageMaker = SageMakerClients.sageMaker(config);
    s3 = SageMakerClients.s3(config);
    try (StsClient sts = SageMakerClients.sts(config)) {
      bucket = StagingArea.defaultBucketName(sts, Region.of(local.region()));
    }
    new StagingArea(s3).ensureBucket(bucket, Region.of(local.region()));
    s3.putObject(
        r -> r.bucket(bucket).key("clusters/train/part-0.pbr"),
        RequestBody.fromBytes(threeClusters(300, new Random(1))));
  }

  @AfterAll
  static void stop() throws Exception {
    sageMaker.close();
    s3.close();
  }

  /** Model, endpoint config and endpoint named after {@code suffix}, hosting {@code model}. */
  private static EndpointSpec.Builder endpointFor(TrainedModel model, String suffix) {
    return EndpointSpec.builder()
        .modelName("model-" + suffix)
        .endpointConfigName("config-" + suffix)
        .endpointName("endpoint-" + suffix)
        .image(model.trainingImage())
        .modelDataUrl(model.modelArtifactUri())
        .executionRoleArn(ROLE)
        .instanceType("ml.m5.large");
  }

  private static TrainingJobSpec.Builder kmeans(int k) {
    return TrainingJobSpec.builder()
        .trainingImage(KMEANS)
        .roleArn(ROLE)
        .instanceType("ml.m5.large")
        .contentType("application/x-recordio-protobuf")
        .outputPath("s3://" + bucket + "/clusters/output")
        .hyperparameters(
            Map.of("k", String.valueOf(k), "feature_dim", "2", "mini_batch_size", "50"));
  }

  @Test
  void defaultBucketIsNamedAfterTheAccountAndRegion() {
    assertThat(bucket, equalTo(SageMakerLocal.ACCOUNT_ID + "-sagemaker-" + local.region()));
    new StagingArea(s3).ensureBucket(bucket, Region.of(local.region())); // exists: no error
  }

  @Test
  void trainsKMeansAndReturnsTheModelWithMetrics() {
    TrainingJobRunner runner = new TrainingJobRunner(sageMaker, Duration.ofMinutes(2), POLL);
    TrainedModel model =
        runner.run(
            kmeans(3)
                .build()
                .toRequest(
                    "kmeans-ok-" + System.nanoTime(), "s3://" + bucket + "/clusters/train/", null));
    assertThat(
        model.modelArtifactUri(), startsWith("s3://" + bucket + "/clusters/output/kmeans-ok-"));
    assertThat(model.modelArtifactUri(), containsString("/output/model.tar.gz"));
    assertThat(model.trainingImage(), equalTo(KMEANS));
    assertThat(model.finalMetrics(), hasKey("train:msd"));
    String key = URI.create(model.modelArtifactUri()).getPath().substring(1);
    assertThat(s3.headObject(r -> r.bucket(bucket).key(key)).contentLength() > 0, is(true));
  }

  @Test
  void failedJobCarriesSageMakersFailureReason() {
    TrainingJobRunner runner = new TrainingJobRunner(sageMaker, Duration.ofMinutes(2), POLL);
    String name = "kmeans-bad-" + System.nanoTime();
    TrainingJobException e =
        assertThrows(
            TrainingJobException.class,
            () ->
                runner.run(
                    kmeans(0)
                        .build()
                        .toRequest(name, "s3://" + bucket + "/clusters/train/", null)));
    assertThat(e.status(), equalTo("Failed"));
    assertThat(e.trainingJobName(), equalTo(name));
    assertThat(e.failureReason(), containsString("k"));
    assertThat(e.getMessage(), containsString(e.failureReason()));
  }

  @Test
  void jobStillRunningAtTheTimeoutIsStopped() throws Exception {
    TrainingJobRunner impatient = new TrainingJobRunner(sageMaker, Duration.ofMillis(300), POLL);
    String name = "kmeans-slow-" + System.nanoTime();
    // many epochs over the data keep the job busy well past the timeout
    TrainingJobSpec slow = kmeans(3).putHyperparameters(Map.of("epochs", "100000")).build();
    TrainingJobException e =
        assertThrows(
            TrainingJobException.class,
            () -> impatient.run(slow.toRequest(name, "s3://" + bucket + "/clusters/train/", null)));
    assertThat(e.getMessage(), containsString("did not end within PT0.3S"));
    TrainingJobStatus status = null;
    for (int i = 0; i < 100; i++) {
      status = sageMaker.describeTrainingJob(r -> r.trainingJobName(name)).trainingJobStatus();
      if (status == TrainingJobStatus.STOPPED) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(status, is(TrainingJobStatus.STOPPED));
  }

  @Test
  void deploysInvokesAndCleansUpLeavingNothingBehind() {
    TrainedModel model =
        new TrainingJobRunner(sageMaker, Duration.ofMinutes(2), POLL)
            .run(
                kmeans(3)
                    .build()
                    .toRequest(
                        "kmeans-host-" + System.nanoTime(),
                        "s3://" + bucket + "/clusters/train/",
                        null));
    String suffix = Long.toString(System.nanoTime());
    EndpointSpec spec =
        endpointFor(model, suffix).tags(Map.of("project", "sagemaker-beam")).build();
    EndpointDeployer deployer = new EndpointDeployer(sageMaker, Duration.ofMinutes(1), POLL);
    CreatedResources created = deployer.deploy(spec);
    assertThat(
        created,
        equalTo(CreatedResources.of("model-" + suffix, "config-" + suffix, "endpoint-" + suffix)));

    try (SageMakerRuntimeClient runtime =
        SageMakerRuntimeClient.builder()
            .endpointOverride(local.runtimeEndpoint())
            .region(Region.of(local.region()))
            .credentialsProvider(config.credentials().resolve())
            .build()) {
      String answer =
          runtime
              .invokeEndpoint(
                  r ->
                      r.endpointName("endpoint-" + suffix)
                          .contentType("text/csv")
                          .accept("application/json")
                          .body(SdkBytes.fromString("10,10\n-10,-10\n", StandardCharsets.UTF_8)))
              .body()
              .asUtf8String();
      assertThat(answer, containsString("closest_cluster"));
    }
    deployer.attach("endpoint-" + suffix); // an existing endpoint: nothing created, no error

    SageMakerResourceCleanup cleanup = new SageMakerResourceCleanup(sageMaker);
    cleanup.deleteResources(created);
    assertThat(endpointNames(), org.hamcrest.Matchers.not(hasItem("endpoint-" + suffix)));
    assertThat(
        sageMaker.listEndpointConfigs(r -> r.nameContains(suffix)).endpointConfigs(), empty());
    assertThat(sageMaker.listModels(r -> r.nameContains(suffix)).models(), empty());
    cleanup.deleteResources(created); // idempotent: everything is already gone
  }

  /**
   * A batch of 200 good rows and 2 rows with the wrong feature count, against a real SageMaker
   * Local K-Means endpoint (424 ModelError, original status 400): the good rows succeed, each bad
   * row fails alone with its own error, within the isolation budget of extra requests.
   */
  @Test
  void aRowTheModelRefusesFailsAloneAndTheRestOfItsBatchSucceeds() throws Exception {
    TrainedModel model =
        new TrainingJobRunner(sageMaker, Duration.ofMinutes(2), POLL)
            .run(
                kmeans(3)
                    .build()
                    .toRequest(
                        "kmeans-isolate-" + System.nanoTime(),
                        "s3://" + bucket + "/clusters/train/",
                        null));
    String suffix = Long.toString(System.nanoTime());
    CreatedResources created =
        new EndpointDeployer(sageMaker, Duration.ofMinutes(1), POLL)
            .deploy(endpointFor(model, suffix).build());
    try {
      Random random = new Random(3);
      List<FeatureVector> rows = new java.util.ArrayList<>();
      for (int i = 0; i < 202; i++) {
        rows.add(
            i == 37
                ? FeatureVector.dense(new double[] {i, 1, 2})
                : i == 150
                    ? FeatureVector.dense(new double[] {i, 1, 2, 3, 4})
                    : FeatureVector.dense(
                        new double[] {random.nextGaussian(), random.nextGaussian()}));
      }
      InferenceSettings settings =
          InferenceSettings.builder("endpoint-" + suffix).maxInFlight(2).build();
      java.util.Map<Integer, String> failures = new java.util.TreeMap<>();
      int[] successes = {0};
      InferenceStats stats;
      try (SageMakerRuntimeAsyncClient runtime = SageMakerClients.runtimeAsync(config, 2);
          InferenceBatchEngine<FeatureVector, KMeansPrediction> engine =
              new InferenceBatchEngine<>(
                  settings,
                  runtime,
                  RecordIoProtobufRequestSerializer.forFeatureVectors(),
                  new KMeansProtobufResponseDeserializer())) {
        InferenceOutcomeReceiver<FeatureVector, KMeansPrediction> receiver =
            new InferenceOutcomeReceiver<>() {
              @Override
              public void onSuccess(
                  FeatureVector element, Object tag, KMeansPrediction prediction) {
                successes[0]++;
              }

              @Override
              public void onFailure(FeatureVector element, Object tag, InvocationFailure failure) {
                failures.put(
                    (int) element.values()[0],
                    failure.message() + " / " + failure.originalMessage());
              }
            };
        for (FeatureVector row : rows) {
          engine.add(row, null, receiver);
        }
        engine.flush(receiver);
        stats = engine.stats();
      }
      assertThat(successes[0], is(200));
      assertThat(failures.keySet(), equalTo(java.util.Set.of(37, 150)));
      // each failure is its own row's (a request of that row alone), not the batch's first bad
      // row's
      assertThat(failures.get(37), containsString("has 3 features"));
      assertThat(failures.get(150), containsString("has 5 features"));
      assertThat(stats.isolatedRows(), is(2L));
      // one batch of 202 rows: 1 request, then 2 per halving level per bad row (ceil(log2 202) = 8)
      long extra = stats.requests() - 1;
      System.out.printf(
          "Isolating 2 bad rows of 202 took %d extra requests (%d isolation splits)%n",
          extra, stats.isolationSplits());
      assertThat(extra <= 2L * 2 * 8, is(true));
    } finally {
      new SageMakerResourceCleanup(sageMaker).deleteResources(created);
    }
  }

  @Test
  void failedDeploymentDeletesWhatItCreated() {
    String suffix = Long.toString(System.nanoTime());
    EndpointSpec spec =
        EndpointSpec.builder()
            .modelName("model-" + suffix)
            .endpointConfigName("config-" + suffix)
            .endpointName("endpoint-" + suffix)
            .image(KMEANS)
            .modelDataUrl("s3://" + bucket + "/no/such/model.tar.gz")
            .executionRoleArn(ROLE)
            .instanceType("ml.m5.large")
            .build();
    EndpointDeployer.EndpointException e =
        assertThrows(
            EndpointDeployer.EndpointException.class,
            () -> new EndpointDeployer(sageMaker, Duration.ofMinutes(1), POLL).deploy(spec));
    assertThat(e.getMessage(), containsString("endpoint-" + suffix));
    assertThat(e.getMessage(), containsString("deleted what it had created"));
    assertThat(sageMaker.listModels(r -> r.nameContains(suffix)).models(), empty());
    assertThat(
        sageMaker.listEndpointConfigs(r -> r.nameContains(suffix)).endpointConfigs(), empty());
  }

  @Test
  void attachingToAMissingEndpointSaysSo() {
    EndpointDeployer.EndpointException e =
        assertThrows(
            EndpointDeployer.EndpointException.class,
            () ->
                new EndpointDeployer(sageMaker, Duration.ofSeconds(5), POLL)
                    .attach("no-such-endpoint"));
    assertThat(e.getMessage(), containsString("no-such-endpoint"));
  }

  @Test
  void cleanupThatCannotReachSageMakerReportsEverythingLeft() {
    SageMakerClientConfiguration unreachable =
        config.toBuilder()
            .sageMakerEndpoint(URI.create("http://127.0.0.1:1"))
            .maxSdkRetries(0)
            .build();
    CreatedResources resources = CreatedResources.of("m", "c", "e");
    try (SageMakerClient client = SageMakerClients.sageMaker(unreachable)) {
      SageMakerResourceCleanup.CleanupException e =
          assertThrows(
              SageMakerResourceCleanup.CleanupException.class,
              () -> new SageMakerResourceCleanup(client).deleteResources(resources));
      assertThat(e.left(), equalTo(resources));
      assertThat(
          e.getMessage(),
          containsString("Cleanup left endpoint e, endpoint config c, model m behind"));
    }
  }

  @Test
  void stagedDataThatCannotBeDeletedIsReportedNotThrown() {
    // a real S3 error (the bucket is gone) and no S3 at all: both logged, neither thrown
    assertThat(
        new StagingArea(s3)
            .deleteStagedData(URI.create("s3://no-such-bucket-for-cleanup/job/train/")),
        is(false));
    SageMakerClientConfiguration unreachable =
        config.toBuilder().s3Endpoint(URI.create("http://127.0.0.1:1")).maxSdkRetries(0).build();
    assertThat(
        StagingArea.deleteStagedData(
            () -> SageMakerClients.s3(unreachable), URI.create("s3://" + bucket + "/job/train/")),
        is(false));
    assertThat(
        StagingArea.deleteStagedData(
            () -> {
              throw new IllegalStateException("no client");
            },
            URI.create("s3://" + bucket + "/job/train/")),
        is(false));

    s3.putObject(
        r -> r.bucket(bucket).key("cleanup/job/train/part-0"), RequestBody.fromString("x"));
    assertThat(
        StagingArea.deleteStagedData(
            () -> SageMakerClients.s3(config),
            URI.create("s3://" + bucket + "/cleanup/job/train/")),
        is(true));
    assertThat(
        s3.listObjectsV2(r -> r.bucket(bucket).prefix("cleanup/")).contents().stream()
            .filter(o -> !o.key().endsWith("/"))
            .count(),
        is(0L));
  }

  @Test
  void aJobThatEndsAtOnceIsSeenAtOnceWhateverThePollInterval() {
    long start = System.nanoTime();
    TrainedModel model =
        new TrainingJobRunner(sageMaker, Duration.ofMinutes(2), Duration.ofSeconds(30))
            .run(
                kmeans(3)
                    .build()
                    .toRequest(
                        "quick-poll-job-" + System.nanoTime(),
                        "s3://" + bucket + "/clusters/train/",
                        null));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(model.trainingJobName(), startsWith("quick-poll-job-"));
    // with a fixed 30 s interval the first poll after InProgress came 30 s later
    assertThat(millis, org.hamcrest.Matchers.lessThan(10_000L));
  }

  @Test
  void deletePrefixDeletesEveryPageOfOneJobsPrefixOnly() {
    for (int i = 0; i < 12; i++) {
      int n = i;
      s3.putObject(
          r -> r.bucket(bucket).key("staging/job-1/train/part-" + n), RequestBody.fromString("x"));
    }
    s3.putObject(
        r -> r.bucket(bucket).key("staging/job-10/train/part-0"), RequestBody.fromString("y"));
    s3.putObject(r -> r.bucket(bucket).key("staging/job-1.txt"), RequestBody.fromString("z"));

    long deleted =
        new StagingArea(s3, 5).deletePrefix(URI.create("s3://" + bucket + "/staging/job-1"));

    // S3 counts 12 objects (3 pages of 5); a file-system backed store may also list directory
    // markers
    assertThat(deleted, org.hamcrest.Matchers.greaterThanOrEqualTo(12L));
    List<String> left =
        s3.listObjectsV2(r -> r.bucket(bucket).prefix("staging/")).contents().stream()
            .map(S3Object::key)
            .filter(key -> !key.endsWith("/"))
            .collect(Collectors.toList());
    assertThat(left, equalTo(List.of("staging/job-1.txt", "staging/job-10/train/part-0")));
    IllegalArgumentException whole =
        assertThrows(
            IllegalArgumentException.class,
            () -> new StagingArea(s3).deletePrefix(URI.create("s3://" + bucket)));
    assertThat(whole.getMessage(), containsString("refusing to delete a whole bucket"));
  }

  @Test
  void specValidationNamesTheFieldAndRule() {
    IllegalArgumentException noImage =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainingJobSpec.builder().roleArn(ROLE).instanceType("ml.m5.large").build());
    assertThat(noImage.getMessage(), containsString("trainingImage"));
    IllegalArgumentException badMode =
        assertThrows(
            IllegalArgumentException.class, () -> kmeans(3).s3DataDistribution("Sharded").build());
    assertThat(
        badMode.getMessage(),
        containsString(
            "s3DataDistribution \"Sharded\" is not one of [FullyReplicated, ShardedByS3Key]"));
    IllegalArgumentException longValue =
        assertThrows(
            IllegalArgumentException.class,
            () -> kmeans(3).putHyperparameters(Map.of("x", "v".repeat(2501))).build());
    assertThat(longValue.getMessage(), containsString("hyperparameter x"));
    IllegalArgumentException vpc =
        assertThrows(
            IllegalArgumentException.class,
            () -> kmeans(3).vpcConfig(List.of("sg-1"), List.of()).build());
    assertThat(vpc.getMessage(), containsString("needs both security group ids and subnets"));
    assertThat(kmeans(3).build().toString(), org.hamcrest.Matchers.not(containsString(ROLE)));
    TrainingJobSpec derived = kmeans(3).build().toBuilder().instanceCount(4).build();
    assertThat(derived.instanceCount(), is(4));
    assertThat(derived.hyperparameters().get("k"), is("3"));
    assertThat(derived.trainingImage(), is(KMEANS));
  }

  @Test
  void requestCarriesEveryFieldUsersSet() {
    var request =
        kmeans(3)
            .instanceCount(2)
            .volumeSizeInGb(50)
            .maxRuntimeInSeconds(600)
            .inputMode("Pipe")
            .channelName("training")
            .compressionType("Gzip")
            .s3DataDistribution("ShardedByS3Key")
            .s3DataType("ManifestFile")
            .kmsKeyId("key-1")
            .vpcConfig(List.of("sg-1"), List.of("subnet-1"))
            .tags(Map.of("team", "ml"))
            .environment(Map.of("A", "1"))
            .build()
            .toRequest("job", "s3://b/manifest", null);
    assertThat(request.resourceConfig().instanceCount(), is(2));
    assertThat(request.resourceConfig().volumeSizeInGB(), is(50));
    assertThat(request.stoppingCondition().maxRuntimeInSeconds(), is(600));
    assertThat(request.algorithmSpecification().trainingInputModeAsString(), is("Pipe"));
    var channel = request.inputDataConfig().get(0);
    assertThat(channel.channelName(), is("training"));
    assertThat(channel.compressionTypeAsString(), is("Gzip"));
    assertThat(channel.contentType(), is("application/x-recordio-protobuf"));
    assertThat(channel.dataSource().s3DataSource().s3DataTypeAsString(), is("ManifestFile"));
    assertThat(
        channel.dataSource().s3DataSource().s3DataDistributionTypeAsString(), is("ShardedByS3Key"));
    assertThat(request.outputDataConfig().kmsKeyId(), is("key-1"));
    assertThat(request.vpcConfig().subnets(), equalTo(List.of("subnet-1")));
    assertThat(request.tags().get(0).key(), is("team"));
    assertThat(request.environment(), equalTo(Map.of("A", "1")));
    assertThat(request.hyperParameters().get("k"), oneOf("3"));
  }

  private static List<String> endpointNames() {
    return sageMaker.listEndpoints().endpoints().stream()
        .map(e -> e.endpointName())
        .collect(Collectors.toList());
  }

  /** Three well-separated 2-d clusters as RecordIO-protobuf. */
  private static byte[] threeClusters(int rows, Random random) throws IOException {
    double[][] centers = {{10, 10}, {-10, -10}, {10, -10}};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AmazonRecordEncoder encoder = new AmazonRecordEncoder();
    try (RecordIoWriter writer = new RecordIoWriter(out)) {
      for (int i = 0; i < rows; i++) {
        double[] c = centers[i % 3];
        int length =
            encoder.encode(
                FeatureVector.dense(
                    new double[] {c[0] + random.nextGaussian(), c[1] + random.nextGaussian()}));
        writer.write(encoder.buffer(), 0, length);
      }
    }
    return out.toByteArray();
  }
}
