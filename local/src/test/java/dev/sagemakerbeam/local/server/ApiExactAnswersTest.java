package dev.sagemakerbeam.local.server;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemakerbeam.local.EchoAlgorithm;
import dev.sagemakerbeam.local.LocalClients;
import dev.sagemakerbeam.local.SageMakerLocal;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.S3DataDistribution;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;

/**
 * Answers of the SageMaker API and runtime that must be the real service's, word for word where
 * users (and SDKs) match on them: a missing training job, hyperparameter limits, a body with
 * trailing content, another region's signature, a model artifact that is not a model.tar.gz.
 */
class ApiExactAnswersTest {
  static final String ECHO_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/echo:1";
  static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerRole";
  static final String BUCKET = "exact-answers";

  @TempDir static Path dataDir;
  static SageMakerLocal local;
  static LocalClients clients;

  @BeforeAll
  static void start() throws Exception {
    local =
        SageMakerLocal.builder()
            .dataDirectory(dataDir)
            .algorithm("echo", new EchoAlgorithm())
            .build();
    clients = new LocalClients(local);
    clients.s3.createBucket(r -> r.bucket(BUCKET));
    clients.s3.putObject(
        r -> r.bucket(BUCKET).key("data/train/part-0.csv"), RequestBody.fromString("1,2\n"));
  }

  @AfterAll
  static void stop() {
    clients.close();
    local.close();
  }

  static CreateTrainingJobRequest job(String name, Map<String, String> hyperparameters) {
    return CreateTrainingJobRequest.builder()
        .trainingJobName(name)
        .roleArn(ROLE)
        .hyperParameters(hyperparameters)
        .algorithmSpecification(a -> a.trainingImage(ECHO_IMAGE).trainingInputMode("File"))
        .inputDataConfig(
            c ->
                c.channelName("train")
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
        .stoppingCondition(s -> s.maxRuntimeInSeconds(600))
        .build();
  }

  @Test
  void aMissingTrainingJobIsAValidationExceptionRequestedResourceNotFound() {
    SageMakerException describe =
        assertThrows(
            SageMakerException.class,
            () -> clients.sageMaker.describeTrainingJob(r -> r.trainingJobName("no-such-job")));
    assertThat(describe.statusCode(), equalTo(400));
    assertThat(describe.awsErrorDetails().errorCode(), equalTo("ValidationException"));
    assertThat(describe.awsErrorDetails().errorMessage(), equalTo("Requested resource not found."));
    SageMakerException stop =
        assertThrows(
            SageMakerException.class,
            () -> clients.sageMaker.stopTrainingJob(r -> r.trainingJobName("no-such-job")));
    assertThat(stop.awsErrorDetails().errorCode(), equalTo("ValidationException"));
    assertThat(stop.awsErrorDetails().errorMessage(), equalTo("Requested resource not found."));
  }

  @Test
  void hyperparametersUpToSageMakersLimitsAreTakenLongerOnesRefusedInItsWords() {
    String longestKey = "k".repeat(256);
    String longestValue = "v".repeat(2500);
    clients.sageMaker.createTrainingJob(
        job("longest-hyperparameters", Map.of(longestKey, longestValue, "small", "1")));
    assertThat(
        clients
            .sageMaker
            .describeTrainingJob(r -> r.trainingJobName("longest-hyperparameters"))
            .hyperParameters()
            .get(longestKey),
        equalTo(longestValue));

    SageMakerException longKey =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createTrainingJob(
                    job("too-long-key", Map.of("k".repeat(257), "1"))));
    assertThat(longKey.awsErrorDetails().errorCode(), equalTo("ValidationException"));
    assertThat(
        longKey.awsErrorDetails().errorMessage(),
        equalTo(
            "1 validation error detected: Value '{"
                + "k".repeat(257)
                + "=1}' at 'hyperParameters' failed to satisfy constraint: Map key must satisfy"
                + " constraint: [Member must have length less than or equal to 256, Member must"
                + " have length greater than or equal to 0]"));
    SageMakerException longValue =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createTrainingJob(
                    job("too-long-value", Map.of("a", "v".repeat(2501)))));
    assertThat(
        longValue.awsErrorDetails().errorMessage(),
        startsWith("1 validation error detected: Value '{a=vvvv"));
    assertThat(
        longValue.awsErrorDetails().errorMessage(),
        containsString(
            "' at 'hyperParameters' failed to satisfy constraint: Map value must satisfy"
                + " constraint: [Member must have length less than or equal to 2500, Member must"
                + " have length greater than or equal to 0]"));
    assertThrows(
        SageMakerException.class,
        () -> clients.sageMaker.describeTrainingJob(r -> r.trainingJobName("too-long-value")));
  }

  @Test
  @SuppressWarnings("deprecation") // Aws4Signer: signs exactly what it is given
  void trailingContentAfterTheJsonBodyIsASerializationException() throws Exception {
    for (String body :
        new String[] {
          "{\"TrainingJobName\":\"no-such-job\"} garbage",
          "{\"TrainingJobName\":\"no-such-job\"}{\"TrainingJobName\":\"other\"}",
          "{\"TrainingJobName\":\"no-such-job\"}]"
        }) {
      HttpResponse<String> response = postSigned("SageMaker.DescribeTrainingJob", body);
      assertThat(body, response.statusCode(), equalTo(400));
      JsonNode error = new ObjectMapper().readTree(response.body());
      assertThat(body, error.path("__type").asText(), equalTo("SerializationException"));
    }
    // the same body without the trailing content is read
    HttpResponse<String> clean =
        postSigned("SageMaker.DescribeTrainingJob", "{\"TrainingJobName\":\"no-such-job\"}\n");
    assertThat(
        new ObjectMapper().readTree(clean.body()).path("message").asText(),
        equalTo("Requested resource not found."));
  }

  @SuppressWarnings("deprecation")
  private HttpResponse<String> postSigned(String target, String body) throws Exception {
    SdkHttpFullRequest signed =
        Aws4Signer.create()
            .sign(
                SdkHttpFullRequest.builder()
                    .method(SdkHttpMethod.POST)
                    .uri(local.apiEndpoint().resolve("/"))
                    .putHeader("X-Amz-Target", target)
                    .putHeader("Content-Type", "application/x-amz-json-1.1")
                    .contentStreamProvider(ContentStreamProvider.fromUtf8String(body))
                    .build(),
                Aws4SignerParams.builder()
                    .awsCredentials(
                        AwsBasicCredentials.create(
                            local.credentials().accessKeyId(),
                            local.credentials().secretAccessKey()))
                    .signingName("sagemaker")
                    .signingRegion(Region.of(local.region()))
                    .build());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(signed.getUri())
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    signed.forEachHeader(
        (name, values) -> {
          if (!name.equalsIgnoreCase("host")) {
            values.forEach(v -> request.header(name, v));
          }
        });
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void requestsSignedForAnotherRegionAreRefusedByTheApiAndTheRuntime() {
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(
                local.credentials().accessKeyId(), local.credentials().secretAccessKey()));
    try (SageMakerClient api =
            SageMakerClient.builder()
                .endpointOverride(local.apiEndpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(credentials)
                .build();
        SageMakerRuntimeClient runtime =
            SageMakerRuntimeClient.builder()
                .endpointOverride(local.runtimeEndpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(credentials)
                .build()) {
      SageMakerException e = assertThrows(SageMakerException.class, api::listEndpoints);
      assertThat(e.statusCode(), equalTo(403));
      assertThat(e.awsErrorDetails().errorCode(), equalTo("InvalidSignatureException"));
      assertThat(
          e.awsErrorDetails().errorMessage(),
          equalTo("Credential should be scoped to a valid region, not 'eu-west-1'. "));
      SageMakerRuntimeException r =
          assertThrows(
              SageMakerRuntimeException.class,
              () ->
                  runtime.invokeEndpoint(
                      i ->
                          i.endpointName("any")
                              .contentType("text/csv")
                              .body(SdkBytes.fromUtf8String("1"))));
      assertThat(r.statusCode(), equalTo(403));
      assertThat(r.awsErrorDetails().errorCode(), equalTo("InvalidSignatureException"));
    }
    // the server's own region is fine
    clients.sageMaker.listEndpoints();
  }

  @Test
  void aModelArchiveThatCannotBeUnpackedFailsTheEndpointWithAReasonToActOn() throws Exception {
    clients.s3.putObject(
        r -> r.bucket(BUCKET).key("models/plain/model.tar.gz"),
        RequestBody.fromString("just some text, not an archive"));
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
      gzip.write(
          "a gzip'd text file, not a tar archive\n".repeat(20).getBytes(StandardCharsets.UTF_8));
    }
    clients.s3.putObject(
        r -> r.bucket(BUCKET).key("models/gzip-only/model.tar.gz"),
        RequestBody.fromBytes(gzipped.toByteArray()));
    Map<String, String> expected =
        Map.of(
            "plain", "not a gzip-compressed tar archive",
            "gzip-only", "a gzip file but not a readable tar archive");
    for (Map.Entry<String, String> c : expected.entrySet()) {
      String name = "bad-archive-" + c.getKey();
      clients.sageMaker.createModel(
          m ->
              m.modelName(name)
                  .executionRoleArn(ROLE)
                  .primaryContainer(
                      p ->
                          p.image(ECHO_IMAGE)
                              .modelDataUrl(
                                  "s3://" + BUCKET + "/models/" + c.getKey() + "/model.tar.gz")));
      clients.sageMaker.createEndpointConfig(
          e ->
              e.endpointConfigName(name)
                  .productionVariants(
                      v ->
                          v.variantName("AllTraffic")
                              .modelName(name)
                              .initialInstanceCount(1)
                              .instanceType("ml.m5.large")));
      clients.sageMaker.createEndpoint(e -> e.endpointName(name).endpointConfigName(name));
      DescribeEndpointResponse described = waitForEndpoint(name);
      assertThat(described.endpointStatus(), equalTo(EndpointStatus.FAILED));
      String reason = described.failureReason();
      assertThat(reason, containsString(name)); // the model
      assertThat(reason, containsString(c.getValue())); // what is wrong
      assertThat(reason, containsString("model.tar.gz")); // what is expected
      // the artifact, so the user knows which object to fix
      assertThat(
          reason, containsString("s3://" + BUCKET + "/models/" + c.getKey() + "/model.tar.gz"));
      assertThat(reason, not(containsString(dataDir.toString())));
    }
  }

  static DescribeEndpointResponse waitForEndpoint(String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      DescribeEndpointResponse d = clients.sageMaker.describeEndpoint(r -> r.endpointName(name));
      if (d.endpointStatus() != EndpointStatus.CREATING || System.nanoTime() > deadline) {
        return d;
      }
      Thread.sleep(100);
    }
  }
}
