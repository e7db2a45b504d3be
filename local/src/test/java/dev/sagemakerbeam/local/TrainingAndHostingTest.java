package dev.sagemakerbeam.local;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.local.testalgo.MeanAlgorithm;
import dev.sagemakerbeam.local.training.ModelArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.S3DataDistribution;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatus;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatusTransition;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobSummary;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;

/**
 * Training and hosting that really run: a user algorithm (a separate program, {@link
 * MeanAlgorithm}) trained on S3 data and served, its failure, stop and MaxRuntimeInSeconds
 * lifecycles, manifest and sharded channels, and many jobs and endpoints at once.
 */
class TrainingAndHostingTest {
  static final String ROLE = ControlPlaneTest.ROLE;
  static final String BUCKET = "training-bucket";
  static final String ECHO_IMAGE = "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/echo:latest";

  @TempDir static Path dataDir;
  @TempDir static Path programDir;
  static SageMakerLocal local;
  static LocalClients clients;
  static String meanImage;

  @BeforeAll
  static void start() throws Exception {
    local =
        SageMakerLocal.builder()
            .dataDirectory(dataDir)
            .algorithm("echo", new EchoAlgorithm())
            .algorithm("sleepy", new SleepyAlgorithm())
            .algorithm("throwing", new ThrowingAlgorithm())
            .maxConcurrentTrainingJobs(10)
            .build();
    clients = new LocalClients(local);
    meanImage = MeanAlgorithm.launcherImage(programDir);
    clients.s3.createBucket(r -> r.bucket(BUCKET));
    put("data/train/part-0.csv", "1\n2\n3\n");
    put("data/train/part-1.csv", "5,0\n9,0\n");
    put(
        "manifests/part-1.manifest",
        "[{\"prefix\": \"s3://" + BUCKET + "/data/train/\"}, \"part-1.csv\"]");
  }

  @AfterAll
  static void stop() {
    clients.close();
    local.close();
  }

  static void put(String key, String text) {
    clients.s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(text));
  }

  static CreateTrainingJobRequest.Builder job(
      String name, String image, Map<String, String> hyperparameters) {
    return CreateTrainingJobRequest.builder()
        .trainingJobName(name)
        .roleArn(ROLE)
        .hyperParameters(hyperparameters)
        .algorithmSpecification(
            a ->
                a.trainingImage(image)
                    .trainingInputMode("File")
                    .metricDefinitions(m -> m.name("train:mean").regex("train_mean=([0-9.eE+-]+)")))
        .inputDataConfig(
            c ->
                c.channelName("train")
                    .contentType("text/csv")
                    .dataSource(
                        d ->
                            d.s3DataSource(
                                s ->
                                    s.s3DataType(S3DataType.S3_PREFIX)
                                        .s3Uri("s3://" + BUCKET + "/data/train/")
                                        .s3DataDistributionType(
                                            S3DataDistribution.FULLY_REPLICATED))))
        .outputDataConfig(o -> o.s3OutputPath("s3://" + BUCKET + "/output"))
        .resourceConfig(r -> r.instanceType("ml.m5.large").instanceCount(1).volumeSizeInGB(1))
        .stoppingCondition(s -> s.maxRuntimeInSeconds(600));
  }

  static DescribeTrainingJobResponse waitForJob(String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      DescribeTrainingJobResponse d =
          clients.sageMaker.describeTrainingJob(r -> r.trainingJobName(name));
      if (d.trainingJobStatus() != TrainingJobStatus.IN_PROGRESS
              && d.trainingJobStatus() != TrainingJobStatus.STOPPING
          || System.nanoTime() > deadline) {
        return d;
      }
      Thread.sleep(100);
    }
  }

  static void waitForSecondary(String name, SecondaryStatus status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (clients.sageMaker.describeTrainingJob(r -> r.trainingJobName(name)).secondaryStatus()
        != status) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + name + " never reached " + status);
      }
      Thread.sleep(50);
    }
  }

  static double meanInModel(String artifact) throws Exception {
    String key = artifact.substring(("s3://" + BUCKET + "/").length());
    Path archive = Files.createTempFile(programDir, "model", ".tar.gz");
    Files.write(archive, clients.s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray());
    Path unpacked = Files.createTempDirectory(programDir, "model");
    ModelArchive.unpack(archive, unpacked);
    String json = Files.readString(unpacked.resolve("mean.json"));
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("mean").asDouble();
  }

  @Test
  void userAlgorithmTrainsAndServes() throws Exception {
    clients.sageMaker.createTrainingJob(job("mean-job", meanImage, Map.of()).build());
    DescribeTrainingJobResponse done = waitForJob("mean-job");
    assertThat(done.failureReason(), done.trainingJobStatus(), is(TrainingJobStatus.COMPLETED));
    assertThat(done.secondaryStatus(), is(SecondaryStatus.COMPLETED));
    assertThat(
        done.secondaryStatusTransitions().stream()
            .map(SecondaryStatusTransition::status)
            .collect(Collectors.toList()),
        contains(
            SecondaryStatus.STARTING,
            SecondaryStatus.DOWNLOADING,
            SecondaryStatus.TRAINING,
            SecondaryStatus.UPLOADING,
            SecondaryStatus.COMPLETED));
    String artifact = done.modelArtifacts().s3ModelArtifacts();
    assertThat(artifact, is("s3://" + BUCKET + "/output/mean-job/output/model.tar.gz"));
    assertThat(meanInModel(artifact), is(4.0));
    assertThat(done.finalMetricDataList(), hasSize(1));
    assertThat(done.finalMetricDataList().get(0).metricName(), is("train:mean"));
    assertThat(done.finalMetricDataList().get(0).value(), is(4.0f));
    assertThat(done.trainingEndTime(), notNullValue());
    assertThat(
        Files.readString(
            dataDir.resolve("training-jobs/mean-job/input/config/inputdataconfig.json")),
        containsString("text/csv"));

    clients.sageMaker.createModel(
        r ->
            r.modelName("mean-model")
                .executionRoleArn(ROLE)
                .primaryContainer(c -> c.image(meanImage).modelDataUrl(artifact)));
    createConfig("mean-config-1", "mean-model", 1);
    createConfig("mean-config-2", "mean-model", 2);
    clients.sageMaker.createEndpoint(
        r -> r.endpointName("mean").endpointConfigName("mean-config-1"));
    assertThat(
        ControlPlaneTest.waitForEndpoint(clients.sageMaker, "mean").endpointStatus(),
        is(EndpointStatus.IN_SERVICE));
    var answer =
        clients.runtime.invokeEndpoint(
            r ->
                r.endpointName("mean")
                    .contentType("text/csv")
                    .body(SdkBytes.fromUtf8String("10\n4\n")));
    assertThat(answer.body().asUtf8String(), is("6.0\n0.0"));
    assertThat(answer.contentType(), is("text/csv"));
    assertThat(answer.invokedProductionVariant(), is("AllTraffic"));
    ModelErrorException modelError =
        assertThrows(
            ModelErrorException.class,
            () ->
                clients.runtime.invokeEndpoint(
                    r ->
                        r.endpointName("mean")
                            .contentType("text/csv")
                            .body(SdkBytes.fromUtf8String("fail"))));
    assertThat(modelError.originalStatusCode(), is(400));
    assertThat(modelError.originalMessage(), is("cannot score 'fail'"));

    // UpdateEndpoint while slow requests are in flight: none of them fails.
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> inFlight = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        inFlight.add(
            pool.submit(
                () ->
                    clients
                        .runtime
                        .invokeEndpoint(
                            r ->
                                r.endpointName("mean")
                                    .contentType("text/plain")
                                    .body(SdkBytes.fromUtf8String("sleep:1500")))
                        .body()
                        .asUtf8String()));
      }
      Thread.sleep(200);
      clients.sageMaker.updateEndpoint(
          r -> r.endpointName("mean").endpointConfigName("mean-config-2"));
      List<String> during = new ArrayList<>();
      while (clients.sageMaker.describeEndpoint(r -> r.endpointName("mean")).endpointStatus()
          == EndpointStatus.UPDATING) {
        during.add(
            clients
                .runtime
                .invokeEndpoint(
                    r ->
                        r.endpointName("mean")
                            .contentType("text/csv")
                            .body(SdkBytes.fromUtf8String("5")))
                .body()
                .asUtf8String());
      }
      for (Future<String> f : inFlight) {
        assertThat(f.get(), is("slept"));
      }
      assertThat(during, everyItem(is("1.0")));
    } finally {
      pool.shutdown();
    }
    var updated = clients.sageMaker.describeEndpoint(r -> r.endpointName("mean"));
    assertThat(updated.endpointStatus(), is(EndpointStatus.IN_SERVICE));
    assertThat(updated.productionVariants().get(0).currentInstanceCount(), is(2));
    assertThat(
        clients
            .runtime
            .invokeEndpoint(
                r ->
                    r.endpointName("mean")
                        .contentType("text/csv")
                        .body(SdkBytes.fromUtf8String("3")))
            .body()
            .asUtf8String(),
        is("-1.0"));
    clients.sageMaker.deleteEndpoint(r -> r.endpointName("mean"));
  }

  static void createConfig(String name, String model, int instances) {
    clients.sageMaker.createEndpointConfig(
        r ->
            r.endpointConfigName(name)
                .productionVariants(
                    ProductionVariant.builder()
                        .variantName("AllTraffic")
                        .modelName(model)
                        .initialInstanceCount(instances)
                        .instanceType("ml.m5.large")
                        .build()));
  }

  @Test
  void failedJobCarriesTheAlgorithmsReason() throws Exception {
    clients.sageMaker.createTrainingJob(
        job(
                "mean-fails",
                meanImage,
                Map.of("fail", "ClientError: hyperparameter 'x' must be positive"))
            .build());
    DescribeTrainingJobResponse d = waitForJob("mean-fails");
    assertThat(d.trainingJobStatus(), is(TrainingJobStatus.FAILED));
    assertThat(d.secondaryStatus(), is(SecondaryStatus.FAILED));
    assertThat(d.failureReason(), is("ClientError: hyperparameter 'x' must be positive"));

    clients.sageMaker.createTrainingJob(
        job("mean-fails-long", meanImage, Map.of("fail", "y".repeat(2000))).build());
    assertThat(waitForJob("mean-fails-long").failureReason().length(), lessThanOrEqualTo(1024));

    clients.sageMaker.createTrainingJob(
        job("empty-channel", meanImage, Map.of())
            .inputDataConfig(
                c ->
                    c.channelName("train")
                        .dataSource(
                            d2 ->
                                d2.s3DataSource(
                                    s ->
                                        s.s3DataType(S3DataType.S3_PREFIX)
                                            .s3Uri("s3://" + BUCKET + "/nothing-here/"))))
            .build());
    DescribeTrainingJobResponse empty = waitForJob("empty-channel");
    assertThat(empty.trainingJobStatus(), is(TrainingJobStatus.FAILED));
    assertThat(empty.failureReason(), containsString("No S3 objects found under S3 URL"));
  }

  @Test
  void stopAndMaxRuntimeStopTheJob() throws Exception {
    clients.sageMaker.createTrainingJob(
        job("mean-stopped", meanImage, Map.of("sleep_seconds", "60")).build());
    clients.sageMaker.createTrainingJob(
        job("mean-too-long", meanImage, Map.of("sleep_seconds", "60"))
            .stoppingCondition(s -> s.maxRuntimeInSeconds(3))
            .build());
    waitForSecondary("mean-stopped", SecondaryStatus.TRAINING);
    Path log = dataDir.resolve("training-jobs/mean-stopped/log.txt");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!(Files.exists(log) && Files.readString(log).contains("sleeping"))
        && System.nanoTime() < deadline) {
      Thread.sleep(50); // until the program wrote its partial model and sleeps
    }
    clients.sageMaker.stopTrainingJob(r -> r.trainingJobName("mean-stopped"));
    DescribeTrainingJobResponse stopping =
        clients.sageMaker.describeTrainingJob(r -> r.trainingJobName("mean-stopped"));
    assertThat(stopping.trainingJobStatus(), is(TrainingJobStatus.STOPPING));
    DescribeTrainingJobResponse stopped = waitForJob("mean-stopped");
    assertThat(stopped.trainingJobStatus(), is(TrainingJobStatus.STOPPED));
    assertThat(stopped.secondaryStatus(), is(SecondaryStatus.STOPPED));
    assertThat(stopped.modelArtifacts(), notNullValue());
    assertThat(meanInModel(stopped.modelArtifacts().s3ModelArtifacts()), is(4.0));
    SageMakerException again =
        assertThrows(
            SageMakerException.class,
            () -> clients.sageMaker.stopTrainingJob(r -> r.trainingJobName("mean-stopped")));
    assertThat(again.getMessage(), containsString("Stopped"));

    DescribeTrainingJobResponse tooLong = waitForJob("mean-too-long");
    assertThat(tooLong.trainingJobStatus(), is(TrainingJobStatus.STOPPED));
    assertThat(tooLong.secondaryStatus(), is(SecondaryStatus.MAX_RUNTIME_EXCEEDED));
  }

  @Test
  void manifestAndShardedChannels() throws Exception {
    clients.sageMaker.createTrainingJob(
        job("mean-manifest", meanImage, Map.of())
            .inputDataConfig(
                c ->
                    c.channelName("train")
                        .contentType("text/csv")
                        .dataSource(
                            d ->
                                d.s3DataSource(
                                    s ->
                                        s.s3DataType(S3DataType.MANIFEST_FILE)
                                            .s3Uri(
                                                "s3://" + BUCKET + "/manifests/part-1.manifest"))))
            .build());
    clients.sageMaker.createTrainingJob(
        job("mean-sharded", meanImage, Map.of())
            .resourceConfig(r -> r.instanceType("ml.m5.large").instanceCount(2).volumeSizeInGB(1))
            .inputDataConfig(
                c ->
                    c.channelName("train")
                        .contentType("text/csv")
                        .dataSource(
                            d ->
                                d.s3DataSource(
                                    s ->
                                        s.s3DataType(S3DataType.S3_PREFIX)
                                            .s3Uri("s3://" + BUCKET + "/data/train/part")
                                            .s3DataDistributionType(
                                                S3DataDistribution.SHARDED_BY_S3_KEY))))
            .build());
    DescribeTrainingJobResponse manifest = waitForJob("mean-manifest");
    assertThat(
        manifest.failureReason(), manifest.trainingJobStatus(), is(TrainingJobStatus.COMPLETED));
    assertThat(meanInModel(manifest.modelArtifacts().s3ModelArtifacts()), is(7.0));
    DescribeTrainingJobResponse sharded = waitForJob("mean-sharded");
    assertThat(
        sharded.failureReason(), sharded.trainingJobStatus(), is(TrainingJobStatus.COMPLETED));
    assertThat(meanInModel(sharded.modelArtifacts().s3ModelArtifacts()), is(2.0));
  }

  @Test
  void createTrainingJobValidates() {
    SageMakerException noStopping =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createTrainingJob(
                    job("v1", ECHO_IMAGE, Map.of())
                        .stoppingCondition(
                            (software.amazon.awssdk.services.sagemaker.model.StoppingCondition)
                                null)
                        .build()));
    assertThat(noStopping.getMessage(), containsString("StoppingCondition"));
    SageMakerException dots =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createTrainingJob(
                    job("v2", ECHO_IMAGE, Map.of())
                        .outputDataConfig(o -> o.s3OutputPath("s3://" + BUCKET + "/../other"))
                        .build()));
    assertThat(dots.awsErrorDetails().errorCode(), is("ValidationException"));
    assertThat(dots.getMessage(), containsString(".."));
    SageMakerException badImage =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createTrainingJob(
                    job("v3", "process:/no/such/program", Map.of()).build()));
    assertThat(badImage.getMessage(), containsString("process:/no/such/program"));
    SageMakerException badName =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createTrainingJob(
                    job("-starts-with-dash", ECHO_IMAGE, Map.of()).build()));
    assertThat(badName.getMessage(), containsString("TrainingJobName"));
    SageMakerException missing =
        assertThrows(
            SageMakerException.class,
            () -> clients.sageMaker.describeTrainingJob(r -> r.trainingJobName("no-such-job")));
    assertThat(
        missing.awsErrorDetails().errorCode(),
        org.hamcrest.Matchers.equalTo("ValidationException"));
  }

  /** An in-process algorithm with a bug: train() (or, on request, validation) throws. */
  static final class ThrowingAlgorithm implements dev.sagemakerbeam.local.algorithm.Algorithm {
    @Override
    public void validateHyperparameters(Map<String, String> hyperparameters) {
      if (hyperparameters.containsKey("count")) {
        Integer.parseInt(hyperparameters.get("count"));
      }
    }

    @Override
    public Map<String, Double> train(dev.sagemakerbeam.local.algorithm.TrainingJobContext job) {
      if (job.hyperparameters().containsKey("error")) {
        throw new AssertionError("invariant broken");
      }
      throw new IllegalStateException("bug in the algorithm");
    }

    @Override
    public dev.sagemakerbeam.local.algorithm.ModelWorker load(
        Path modelDir, Map<String, String> environment) {
      throw new UnsupportedOperationException("not hosted");
    }
  }

  @Test
  void algorithmThatThrowsFailsTheJob() throws Exception {
    clients.sageMaker.createTrainingJob(job("throwing-train", "throwing", Map.of()).build());
    clients.sageMaker.createTrainingJob(
        job("throwing-validation", "throwing", Map.of("count", "many")).build());
    DescribeTrainingJobResponse train = waitForJob("throwing-train");
    assertThat(train.trainingJobStatus(), is(TrainingJobStatus.FAILED));
    assertThat(train.secondaryStatus(), is(SecondaryStatus.FAILED));
    assertThat(
        train.failureReason(),
        is("InternalServerError: java.lang.IllegalStateException: bug in the algorithm"));
    clients.sageMaker.createTrainingJob(
        job("throwing-error", "throwing", Map.of("error", "1")).build());
    DescribeTrainingJobResponse error = waitForJob("throwing-error");
    assertThat(error.trainingJobStatus(), is(TrainingJobStatus.FAILED));
    assertThat(
        error.failureReason(),
        is("InternalServerError: java.lang.AssertionError: invariant broken"));
    DescribeTrainingJobResponse validation = waitForJob("throwing-validation");
    assertThat(validation.trainingJobStatus(), is(TrainingJobStatus.FAILED));
    assertThat(validation.failureReason(), containsString("NumberFormatException"));
    assertThat(validation.failureReason(), containsString("many"));
  }

  /** Trains until asked to stop, in-process. */
  static final class SleepyAlgorithm implements dev.sagemakerbeam.local.algorithm.Algorithm {
    @Override
    public void validateHyperparameters(Map<String, String> hyperparameters) {}

    @Override
    public Map<String, Double> train(dev.sagemakerbeam.local.algorithm.TrainingJobContext job)
        throws InterruptedException {
      while (!job.stopRequested().getAsBoolean()) {
        Thread.sleep(20);
      }
      return Map.of();
    }

    @Override
    public dev.sagemakerbeam.local.algorithm.ModelWorker load(
        Path modelDir, Map<String, String> environment) {
      throw new UnsupportedOperationException("not hosted");
    }
  }

  @Test
  void tooManyRunningJobsIsResourceLimitExceeded() throws Exception {
    List<String> started = new ArrayList<>();
    software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException limit = null;
    for (int i = 0; i < 12 && limit == null; i++) {
      String name = "sleepy-" + i;
      try {
        clients.sageMaker.createTrainingJob(job(name, "sleepy", Map.of()).build());
        started.add(name);
      } catch (software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException e) {
        limit = e;
      }
    }
    assertThat(limit, notNullValue());
    assertThat(limit.awsErrorDetails().errorCode(), is("ResourceLimitExceeded"));
    assertThat(started.size(), lessThanOrEqualTo(10));
    for (String name : started) {
      clients.sageMaker.stopTrainingJob(r -> r.trainingJobName(name));
    }
    for (String name : started) {
      assertThat(waitForJob(name).trainingJobStatus(), is(TrainingJobStatus.STOPPED));
    }
  }

  @Test
  void modelServerThatDoesNotStartFailsTheEndpoint() throws Exception {
    // No ModelDataUrl: MeanAlgorithm's serve finds no model and exits before answering /ping.
    clients.sageMaker.createModel(
        r ->
            r.modelName("mean-no-model")
                .executionRoleArn(ROLE)
                .primaryContainer(c -> c.image(meanImage)));
    createConfig("mean-no-model-config", "mean-no-model", 1);
    clients.sageMaker.createEndpoint(
        r -> r.endpointName("mean-no-model").endpointConfigName("mean-no-model-config"));
    var endpoint = ControlPlaneTest.waitForEndpoint(clients.sageMaker, "mean-no-model");
    assertThat(endpoint.endpointStatus(), is(EndpointStatus.FAILED));
    assertThat(endpoint.failureReason(), containsString("before answering /ping"));
    clients.sageMaker.deleteEndpoint(r -> r.endpointName("mean-no-model"));
  }

  @Test
  void manyJobsAndEndpointsAtOnce() throws Exception {
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<?>> creates = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        creates.add(
            pool.submit(
                () ->
                    clients.sageMaker.createTrainingJob(
                        job("echo-job-" + k, ECHO_IMAGE, Map.of()).build())));
      }
      for (Future<?> f : creates) {
        f.get();
      }
      assertThrows(
          ResourceInUseException.class,
          () ->
              clients.sageMaker.createTrainingJob(job("echo-job-0", ECHO_IMAGE, Map.of()).build()));
      for (int i = 0; i < n; i++) {
        DescribeTrainingJobResponse d = waitForJob("echo-job-" + i);
        assertThat(d.failureReason(), d.trainingJobStatus(), is(TrainingJobStatus.COMPLETED));
        assertThat(d.finalMetricDataList().get(0).metricName(), is("echo:count"));
      }
      List<String> listed =
          clients
              .sageMaker
              .listTrainingJobsPaginator(
                  r ->
                      r.nameContains("echo-job-")
                          .statusEquals(TrainingJobStatus.COMPLETED)
                          .maxResults(3))
              .trainingJobSummaries()
              .stream()
              .map(TrainingJobSummary::trainingJobName)
              .collect(Collectors.toList());
      assertThat(listed, hasSize(n));

      String artifact =
          clients
              .sageMaker
              .describeTrainingJob(r -> r.trainingJobName("echo-job-0"))
              .modelArtifacts()
              .s3ModelArtifacts();
      clients.sageMaker.createModel(
          r ->
              r.modelName("echo-many")
                  .executionRoleArn(ROLE)
                  .primaryContainer(c -> c.image(ECHO_IMAGE).modelDataUrl(artifact)));
      createConfig("echo-many-config", "echo-many", 1);
      List<Future<?>> endpoints = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        endpoints.add(
            pool.submit(
                () ->
                    clients.sageMaker.createEndpoint(
                        r ->
                            r.endpointName("echo-many-" + k)
                                .endpointConfigName("echo-many-config"))));
      }
      for (Future<?> f : endpoints) {
        f.get();
      }
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        answers.add(
            pool.submit(
                () -> {
                  assertThat(
                      ControlPlaneTest.waitForEndpoint(clients.sageMaker, "echo-many-" + k)
                          .endpointStatus(),
                      is(EndpointStatus.IN_SERVICE));
                  return clients
                      .runtime
                      .invokeEndpoint(
                          r ->
                              r.endpointName("echo-many-" + k)
                                  .contentType("text/plain")
                                  .body(SdkBytes.fromUtf8String("n" + k)))
                      .body()
                      .asUtf8String();
                }));
      }
      for (int i = 0; i < n; i++) {
        assertThat(answers.get(i).get(), is("n" + i));
      }
      for (int i = 0; i < n; i++) {
        int k = i;
        clients.sageMaker.deleteEndpoint(r -> r.endpointName("echo-many-" + k));
      }
    } finally {
      pool.shutdown();
    }
  }
}
