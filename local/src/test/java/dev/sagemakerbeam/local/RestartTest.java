package dev.sagemakerbeam.local;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeTransformJobResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TransformJobStatus;

/**
 * State kept under the data directory survives a restart (training and transform jobs among it);
 * InService endpoints come back.
 */
class RestartTest {
  static final String IMAGE = "999999999999.dkr.ecr.ap-southeast-2.amazonaws.com/echo:2";

  @TempDir Path dataDir;

  @Test
  void restartKeepsModelsConfigsEndpointsJobsAndObjects() throws Exception {
    int port;
    try (SageMakerLocal first = start(0);
        LocalClients clients = new LocalClients(first)) {
      port = first.port();
      clients.s3.createBucket(r -> r.bucket("restart-bucket"));
      clients.s3.putObject(
          r -> r.bucket("restart-bucket").key("in/data.txt"), RequestBody.fromString("x"));
      clients.sageMaker.createTrainingJob(
          TrainingAndHostingTest.job("restart-job", IMAGE, Map.of())
              .inputDataConfig(
                  c ->
                      c.channelName("train")
                          .dataSource(
                              d ->
                                  d.s3DataSource(
                                      s ->
                                          s.s3DataType("S3Prefix")
                                              .s3Uri("s3://restart-bucket/in/"))))
              .outputDataConfig(o -> o.s3OutputPath("s3://restart-bucket/out"))
              .build());
      DescribeTrainingJobResponse job = waitForJob(clients, "restart-job");
      assertThat(job.failureReason(), job.trainingJobStatus(), is(TrainingJobStatus.COMPLETED));
      String artifact = job.modelArtifacts().s3ModelArtifacts();
      clients.sageMaker.createModel(
          r ->
              r.modelName("restart-model")
                  .executionRoleArn(ControlPlaneTest.ROLE)
                  .primaryContainer(
                      c ->
                          c.image(IMAGE)
                              .modelDataUrl(artifact)
                              .environment(Map.of("PREFIX", "R:"))));
      clients.sageMaker.createEndpointConfig(
          r ->
              r.endpointConfigName("restart-config")
                  .productionVariants(
                      ProductionVariant.builder()
                          .variantName("v1")
                          .modelName("restart-model")
                          .initialInstanceCount(1)
                          .instanceType("ml.m5.large")
                          .build()));
      clients.sageMaker.createEndpoint(
          r -> r.endpointName("restart-endpoint").endpointConfigName("restart-config"));
      assertThat(
          ControlPlaneTest.waitForEndpoint(clients.sageMaker, "restart-endpoint").endpointStatus(),
          is(EndpointStatus.IN_SERVICE));
      clients.sageMaker.createTransformJob(
          r ->
              r.transformJobName("restart-transform")
                  .modelName("restart-model")
                  .transformInput(
                      i ->
                          i.dataSource(
                              d ->
                                  d.s3DataSource(
                                      s ->
                                          s.s3DataType("S3Prefix")
                                              .s3Uri("s3://restart-bucket/in/"))))
                  .transformOutput(o -> o.s3OutputPath("s3://restart-bucket/transformed"))
                  .transformResources(t -> t.instanceType("ml.m5.large").instanceCount(1)));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (clients
                  .sageMaker
                  .describeTransformJob(r -> r.transformJobName("restart-transform"))
                  .transformJobStatus()
              == TransformJobStatus.IN_PROGRESS
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }

    try (SageMakerLocal second = start(port);
        LocalClients clients = new LocalClients(second)) {
      assertThat(second.port(), is(port));
      assertThat(
          clients
              .s3
              .getObjectAsBytes(r -> r.bucket("restart-bucket").key("in/data.txt"))
              .asUtf8String(),
          is("x"));
      DescribeTransformJobResponse transform =
          clients.sageMaker.describeTransformJob(r -> r.transformJobName("restart-transform"));
      assertThat(
          transform.failureReason(),
          transform.transformJobStatus(),
          is(TransformJobStatus.COMPLETED));
      assertThat(transform.modelName(), is("restart-model"));
      assertThat(
          clients
              .s3
              .getObjectAsBytes(r -> r.bucket("restart-bucket").key("transformed/data.txt.out"))
              .asUtf8String(),
          is("R:x"));
      DescribeTrainingJobResponse job =
          clients.sageMaker.describeTrainingJob(r -> r.trainingJobName("restart-job"));
      assertThat(job.trainingJobStatus(), is(TrainingJobStatus.COMPLETED));
      assertThat(
          job.modelArtifacts().s3ModelArtifacts(),
          containsString("restart-job/output/model.tar.gz"));
      assertThat(
          clients
              .sageMaker
              .describeModel(r -> r.modelName("restart-model"))
              .primaryContainer()
              .image(),
          is(IMAGE));
      assertThat(
          clients
              .sageMaker
              .describeEndpointConfig(r -> r.endpointConfigName("restart-config"))
              .productionVariants()
              .get(0)
              .variantName(),
          is("v1"));
      assertThat(
          ControlPlaneTest.waitForEndpoint(clients.sageMaker, "restart-endpoint").endpointStatus(),
          is(EndpointStatus.IN_SERVICE));
      var answer =
          clients.runtime.invokeEndpoint(
              r ->
                  r.endpointName("restart-endpoint")
                      .contentType("text/plain")
                      .body(SdkBytes.fromUtf8String("again")));
      assertThat(answer.body().asUtf8String(), is("R:again"));
      assertThat(answer.invokedProductionVariant(), is("v1"));
    }
  }

  @Test
  void aFinishedTuningJobIsDescribableAfterARestart() throws Exception {
    String best;
    try (SageMakerLocal first =
            SageMakerLocal.builder()
                .dataDirectory(dataDir)
                .algorithm("function", new TuningJobsTest.FunctionAlgorithm())
                .build();
        LocalClients clients = new LocalClients(first)) {
      clients.s3.createBucket(r -> r.bucket(TuningJobsTest.BUCKET));
      clients.sageMaker.createHyperParameterTuningJob(
          TuningJobsTest.tuning(
                  "restart-tuning",
                  "function",
                  "Grid",
                  null,
                  2,
                  1,
                  "objective",
                  "Minimize",
                  Map.of(),
                  r -> r.categoricalParameterRanges(c -> c.name("kind").values("a", "b")))
              .build());
      var d = TuningJobsTest.await(clients, "restart-tuning", Duration.ofSeconds(30));
      assertThat(d.hyperParameterTuningJobStatusAsString(), is("Completed"));
      best = d.bestTrainingJob().trainingJobName();
    }
    try (SageMakerLocal second =
            SageMakerLocal.builder()
                .dataDirectory(dataDir)
                .algorithm("function", new TuningJobsTest.FunctionAlgorithm())
                .build();
        LocalClients clients = new LocalClients(second)) {
      var d =
          clients.sageMaker.describeHyperParameterTuningJob(
              r -> r.hyperParameterTuningJobName("restart-tuning"));
      assertThat(d.hyperParameterTuningJobStatusAsString(), is("Completed"));
      assertThat(d.trainingJobStatusCounters().completed(), is(2));
      assertThat(d.bestTrainingJob().trainingJobName(), is(best));
      assertThat(d.bestTrainingJob().tunedHyperParameters(), is(Map.of("kind", "a")));
      assertThat(
          clients
              .sageMaker
              .listTrainingJobsForHyperParameterTuningJob(
                  r -> r.hyperParameterTuningJobName("restart-tuning"))
              .trainingJobSummaries()
              .size(),
          is(2));
    } finally {
    }
  }

  @Test
  void aTemporaryDataDirectoryIsDeletedWithEverythingInItOnClose() throws Exception {
    Path dir;
    try (SageMakerLocal local = SageMakerLocal.builder().temporaryDataDirectory().build();
        LocalClients clients = new LocalClients(local)) {
      dir = local.dataDirectory();
      clients.s3.createBucket(r -> r.bucket("temporary-bucket"));
      clients.s3.putObject(
          r -> r.bucket("temporary-bucket").key("a/b.txt"), RequestBody.fromString("x"));
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
        assertThat(files.anyMatch(p -> p.toString().contains("temporary-bucket")), is(true));
      }
    }
    assertThat(dir + " is left behind", java.nio.file.Files.exists(dir), is(false));

    // a directory given by the caller is theirs: kept
    try (SageMakerLocal local = start(0)) {
      assertThat(local.dataDirectory(), is(dataDir.toAbsolutePath()));
    }
    assertThat(java.nio.file.Files.isDirectory(dataDir.resolve("s3")), is(true));
  }

  private SageMakerLocal start(int port) throws Exception {
    return SageMakerLocal.builder()
        .dataDirectory(dataDir)
        .port(port)
        .algorithm("echo", new EchoAlgorithm())
        .build();
  }

  private static DescribeTrainingJobResponse waitForJob(LocalClients clients, String name)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      DescribeTrainingJobResponse d =
          clients.sageMaker.describeTrainingJob(r -> r.trainingJobName(name));
      if (d.trainingJobStatus() != TrainingJobStatus.IN_PROGRESS || System.nanoTime() > deadline) {
        return d;
      }
      Thread.sleep(50);
    }
  }
}
