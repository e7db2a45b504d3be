package dev.sagemakerbeam.tests;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.sagemakerbeam.local.LocalCredentials;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingInputMode;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * The standalone server as users start it, {@code java -jar local/target/sagemaker-local.jar} (the
 * jar the local module packages, in a JVM of its own with nothing else on its classpath), trains
 * the built-in K-Means and XGBoost (native libraries and all) and hosts the XGBoost model through
 * the real SDK clients.
 */
class ServerJarTest {
  @TempDir Path dir;

  @Test
  void theServerJarStartsAndTrainsKMeansAndXGBoost() throws Exception {
    Path jar = Path.of("..", "local", "target", "sagemaker-local.jar").toAbsolutePath();
    assertThat(jar + " is built by the local module's package phase", Files.exists(jar), is(true));
    Process server =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--port",
                "0",
                "--s3-port",
                "0",
                "--data-dir",
                dir.resolve("data").toString())
            .redirectErrorStream(true)
            .start();
    // the server's output, read to the end by a thread of its own so it never blocks on a full pipe
    StringBuffer output = new StringBuffer();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    java.util.concurrent.CompletableFuture<URI[]> endpoints =
        new java.util.concurrent.CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              URI[] found = new URI[2];
              Pattern endpoint = Pattern.compile("^\\s+(SageMaker API|S3)\\s+: (http://\\S+)");
              try {
                String line;
                while ((line = lines.readLine()) != null) {
                  output.append(line).append('\n');
                  Matcher m = endpoint.matcher(line);
                  if (m.find()) {
                    found[m.group(1).equals("S3") ? 1 : 0] = URI.create(m.group(2));
                    if (found[0] != null && found[1] != null) {
                      endpoints.complete(found);
                    }
                  }
                }
              } catch (java.io.IOException e) {
                // the server ended
              }
              endpoints.complete(null);
            },
            "server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      URI[] found = endpoints.get(2, TimeUnit.MINUTES);
      assertThat("the server printed its endpoints:\n" + output, found != null, is(true));
      URI api = found[0];
      URI s3 = found[1];
      StaticCredentialsProvider credentials =
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(
                  LocalCredentials.DEFAULT.accessKeyId(),
                  LocalCredentials.DEFAULT.secretAccessKey()));
      try (S3Client s3Client =
              S3Client.builder()
                  .endpointOverride(s3)
                  .region(Region.US_EAST_1)
                  .credentialsProvider(credentials)
                  .forcePathStyle(true)
                  .build();
          SageMakerClient sageMaker =
              SageMakerClient.builder()
                  .endpointOverride(api)
                  .region(Region.US_EAST_1)
                  .credentialsProvider(credentials)
                  .build()) {
        s3Client.createBucket(r -> r.bucket("jar"));
        s3Client.putObject(
            r -> r.bucket("jar").key("cancer/train.libsvm"),
            RequestBody.fromFile(
                Path.of("..", "data", "breast-cancer", "breast-cancer-train.libsvm")));
        train(
            sageMaker,
            "jar-xgboost",
            "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            Map.of("objective", "binary:logistic", "num_round", "10", "max_depth", "3"),
            output);
        hostAndInvoke(
            api,
            credentials,
            sageMaker,
            "jar-xgboost",
            "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            output);
        train(
            sageMaker,
            "jar-kmeans",
            "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1",
            Map.of("k", "2", "feature_dim", "30"),
            output);
      }
    } finally {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static void train(
      SageMakerClient sageMaker,
      String name,
      String image,
      Map<String, String> hyperparameters,
      CharSequence serverOutput)
      throws InterruptedException {
    sageMaker.createTrainingJob(
        r ->
            r.trainingJobName(name)
                .roleArn("arn:aws:iam::000000000000:role/SageMakerRole")
                .algorithmSpecification(
                    a -> a.trainingImage(image).trainingInputMode(TrainingInputMode.FILE))
                .hyperParameters(hyperparameters)
                .inputDataConfig(
                    c ->
                        c.channelName("train")
                            .contentType("text/libsvm")
                            .dataSource(
                                d ->
                                    d.s3DataSource(
                                        s ->
                                            s.s3DataType("S3Prefix")
                                                .s3Uri("s3://jar/cancer/")
                                                .s3DataDistributionType("FullyReplicated"))))
                .outputDataConfig(o -> o.s3OutputPath("s3://jar/out/"))
                .resourceConfig(
                    rc -> rc.instanceType("ml.m5.large").instanceCount(1).volumeSizeInGB(1))
                .stoppingCondition(s -> s.maxRuntimeInSeconds(600)));
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    DescribeTrainingJobResponse job;
    do {
      Thread.sleep(200);
      job = sageMaker.describeTrainingJob(r -> r.trainingJobName(name));
    } while (job.trainingJobStatus() == TrainingJobStatus.IN_PROGRESS
        && System.nanoTime() < deadline);
    assertThat(
        name + ": " + job.failureReason() + "\nserver output:\n" + serverOutput,
        job.trainingJobStatus(),
        is(TrainingJobStatus.COMPLETED));
  }

  /** Hosts the job's model and scores one row of LibSVM: the prediction is a probability. */
  private static void hostAndInvoke(
      URI api,
      StaticCredentialsProvider credentials,
      SageMakerClient sageMaker,
      String job,
      String image,
      CharSequence serverOutput)
      throws Exception {
    String artifact =
        sageMaker
            .describeTrainingJob(r -> r.trainingJobName(job))
            .modelArtifacts()
            .s3ModelArtifacts();
    sageMaker.createModel(
        r ->
            r.modelName(job)
                .executionRoleArn("arn:aws:iam::000000000000:role/SageMakerRole")
                .primaryContainer(c -> c.image(image).modelDataUrl(artifact)));
    sageMaker.createEndpointConfig(
        r ->
            r.endpointConfigName(job)
                .productionVariants(
                    v ->
                        v.variantName("AllTraffic")
                            .modelName(job)
                            .initialInstanceCount(1)
                            .instanceType("ml.m5.large")));
    sageMaker.createEndpoint(r -> r.endpointName(job).endpointConfigName(job));
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    EndpointStatus status;
    do {
      Thread.sleep(100);
      status = sageMaker.describeEndpoint(r -> r.endpointName(job)).endpointStatus();
    } while (status == EndpointStatus.CREATING && System.nanoTime() < deadline);
    assertThat(serverOutput.toString(), status, is(EndpointStatus.IN_SERVICE));
    String row =
        Files.readAllLines(Path.of("..", "data", "breast-cancer", "breast-cancer-test.libsvm"))
            .get(0);
    try (SageMakerRuntimeClient runtime =
        SageMakerRuntimeClient.builder()
            .endpointOverride(api)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .build()) {
      String answer =
          runtime
              .invokeEndpoint(
                  r ->
                      r.endpointName(job)
                          .contentType("text/libsvm")
                          .body(SdkBytes.fromUtf8String(row + "\n")))
              .body()
              .asUtf8String()
              .trim();
      double probability = Double.parseDouble(answer.split("[,\n]")[0]);
      assertThat(answer, probability >= 0 && probability <= 1, is(true));
    }
    sageMaker.deleteEndpoint(r -> r.endpointName(job));
  }
}
