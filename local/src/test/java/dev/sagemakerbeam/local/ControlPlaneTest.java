package dev.sagemakerbeam.local;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sagemaker.model.CreateEndpointConfigRequest;
import software.amazon.awssdk.services.sagemaker.model.CreateModelRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.ListModelsRequest;
import software.amazon.awssdk.services.sagemaker.model.ModelSummary;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * Models, endpoint configs and endpoints through the real SDK clients (with an in-process echo
 * algorithm), STS, S3, and requests that must be refused while the server keeps serving.
 */
class ControlPlaneTest {
  static final String ECHO_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/echo:1";
  static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerRole";

  @TempDir static Path dataDir;
  static SageMakerLocal local;
  static LocalClients clients;

  @BeforeAll
  static void start() throws Exception {
    local =
        SageMakerLocal.builder()
            .dataDirectory(dataDir)
            .algorithm("echo", new EchoAlgorithm())
            .maxEndpoints(12)
            .build();
    clients = new LocalClients(local);
  }

  @AfterAll
  static void stop() {
    clients.close();
    local.close();
  }

  static void createEchoModel(String name, String prefix) {
    clients.sageMaker.createModel(
        CreateModelRequest.builder()
            .modelName(name)
            .executionRoleArn(ROLE)
            .primaryContainer(
                c -> c.image(ECHO_IMAGE).environment(java.util.Map.of("PREFIX", prefix)))
            .build());
  }

  static void createConfig(String name, String model, int instances) {
    clients.sageMaker.createEndpointConfig(
        CreateEndpointConfigRequest.builder()
            .endpointConfigName(name)
            .productionVariants(
                ProductionVariant.builder()
                    .variantName("AllTraffic")
                    .modelName(model)
                    .initialInstanceCount(instances)
                    .instanceType("ml.m5.large")
                    .build())
            .build());
  }

  static DescribeEndpointResponse waitForEndpoint(String name) throws InterruptedException {
    return waitForEndpoint(clients.sageMaker, name);
  }

  static DescribeEndpointResponse waitForEndpoint(
      software.amazon.awssdk.services.sagemaker.SageMakerClient sageMaker, String name)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      DescribeEndpointResponse d = sageMaker.describeEndpoint(r -> r.endpointName(name));
      if (d.endpointStatus() != EndpointStatus.CREATING
              && d.endpointStatus() != EndpointStatus.UPDATING
          || System.nanoTime() > deadline) {
        return d;
      }
      Thread.sleep(50);
    }
  }

  @Test
  void modelsConfigsAndEndpointsLifecycle() throws Exception {
    createEchoModel("echo-a", "A:");
    createEchoModel("echo-b", "B:");
    var model = clients.sageMaker.describeModel(r -> r.modelName("echo-a"));
    assertThat(model.modelArn(), is("arn:aws:sagemaker:us-east-1:000000000000:model/echo-a"));
    assertThat(model.primaryContainer().image(), is(ECHO_IMAGE));
    assertThat(model.executionRoleArn(), is(ROLE));
    assertThat(model.creationTime(), notNullValue());
    List<String> names =
        clients
            .sageMaker
            .listModelsPaginator(ListModelsRequest.builder().maxResults(1).build())
            .models()
            .stream()
            .map(ModelSummary::modelName)
            .collect(Collectors.toList());
    assertThat(names, hasItem("echo-a"));
    assertThat(names, hasItem("echo-b"));

    createConfig("echo-a-config", "echo-a", 2);
    createConfig("echo-b-config", "echo-b", 1);
    var config =
        clients.sageMaker.describeEndpointConfig(r -> r.endpointConfigName("echo-a-config"));
    assertThat(config.productionVariants().get(0).initialInstanceCount(), is(2));
    assertThat(
        clients.sageMaker.listEndpointConfigs(r -> r.nameContains("echo-a")).endpointConfigs(),
        hasSize(1));

    clients.sageMaker.createEndpoint(
        r -> r.endpointName("echo").endpointConfigName("echo-a-config"));
    DescribeEndpointResponse endpoint = waitForEndpoint("echo");
    assertThat(endpoint.failureReason(), endpoint.endpointStatus(), is(EndpointStatus.IN_SERVICE));
    assertThat(endpoint.productionVariants().get(0).currentInstanceCount(), is(2));
    assertThat(
        clients
            .sageMaker
            .listEndpoints(r -> r.statusEquals(EndpointStatus.IN_SERVICE))
            .endpoints()
            .stream()
            .anyMatch(e -> e.endpointName().equals("echo")),
        is(true));

    InvokeEndpointResponse answer =
        clients.runtime.invokeEndpoint(
            r ->
                r.endpointName("echo")
                    .contentType("text/csv")
                    .accept("text/plain")
                    .body(SdkBytes.fromUtf8String("1,2")));
    assertThat(answer.body().asUtf8String(), is("A:1,2"));
    assertThat(answer.contentType(), is("text/plain"));
    assertThat(answer.invokedProductionVariant(), is("AllTraffic"));

    ModelErrorException modelError =
        assertThrows(
            ModelErrorException.class,
            () ->
                clients.runtime.invokeEndpoint(
                    r ->
                        r.endpointName("echo")
                            .contentType("text/csv")
                            .body(SdkBytes.fromUtf8String("fail"))));
    assertThat(modelError.statusCode(), is(424));
    assertThat(modelError.originalStatusCode(), is(400));
    assertThat(modelError.originalMessage(), is("cannot score 'fail'"));

    clients.sageMaker.updateEndpoint(
        r -> r.endpointName("echo").endpointConfigName("echo-b-config"));
    endpoint = waitForEndpoint("echo");
    assertThat(endpoint.endpointStatus(), is(EndpointStatus.IN_SERVICE));
    assertThat(endpoint.endpointConfigName(), is("echo-b-config"));
    assertThat(
        clients
            .runtime
            .invokeEndpoint(
                r ->
                    r.endpointName("echo")
                        .contentType("text/csv")
                        .body(SdkBytes.fromUtf8String("3")))
            .body()
            .asUtf8String(),
        is("B:3"));

    clients.sageMaker.deleteEndpoint(r -> r.endpointName("echo"));
    SageMakerException gone =
        assertThrows(
            SageMakerException.class,
            () -> clients.sageMaker.describeEndpoint(r -> r.endpointName("echo")));
    assertThat(gone.awsErrorDetails().errorCode(), is("ValidationException"));
    assertThat(gone.getMessage(), containsString("Could not find endpoint"));
    ValidationErrorException notFound =
        assertThrows(
            ValidationErrorException.class,
            () ->
                clients.runtime.invokeEndpoint(
                    r ->
                        r.endpointName("echo")
                            .contentType("text/csv")
                            .body(SdkBytes.fromUtf8String("3"))));
    assertThat(notFound.getMessage(), containsString("not found"));

    clients.sageMaker.deleteEndpointConfig(r -> r.endpointConfigName("echo-a-config"));
    clients.sageMaker.deleteModel(r -> r.modelName("echo-a"));
    assertThrows(
        SageMakerException.class,
        () -> clients.sageMaker.describeModel(r -> r.modelName("echo-a")));
    assertThrows(
        SageMakerException.class,
        () -> clients.sageMaker.describeEndpointConfig(r -> r.endpointConfigName("echo-a-config")));
  }

  @Test
  void createValidatesLikeSageMaker() {
    SageMakerException badName =
        assertThrows(SageMakerException.class, () -> createEchoModel("bad_name", ""));
    assertThat(badName.awsErrorDetails().errorCode(), is("ValidationException"));
    assertThat(badName.getMessage(), containsString("^[a-zA-Z0-9](-*[a-zA-Z0-9])*"));
    assertThrows(SageMakerException.class, () -> createEchoModel("x".repeat(64), ""));

    SageMakerException badImage =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createModel(
                    r ->
                        r.modelName("unknown-image")
                            .executionRoleArn(ROLE)
                            .primaryContainer(
                                c ->
                                    c.image(
                                        "123456789012.dkr.ecr.us-east-1.amazonaws.com/nosuch:1"))));
    assertThat(badImage.awsErrorDetails().errorCode(), is("ValidationException"));
    assertThat(badImage.getMessage(), containsString("nosuch"));

    createEchoModel("dup-model", "");
    SageMakerException dup =
        assertThrows(SageMakerException.class, () -> createEchoModel("dup-model", ""));
    assertThat(dup.getMessage(), containsString("Cannot create already existing model"));

    SageMakerException noModel =
        assertThrows(
            SageMakerException.class,
            () -> createConfig("config-without-model", "no-such-model", 1));
    assertThat(noModel.getMessage(), containsString("Could not find model"));

    SageMakerException noConfig =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createEndpoint(
                    r -> r.endpointName("e1").endpointConfigName("nope")));
    assertThat(noConfig.getMessage(), containsString("Could not find endpoint configuration"));
  }

  @Test
  void endpointLimitIsResourceLimitExceeded() throws Exception {
    createEchoModel("limit-model", "");
    createConfig("limit-config", "limit-model", 1);
    int created = 0;
    ResourceLimitExceededException limit = null;
    for (int i = 0; i < 20 && limit == null; i++) {
      int n = i;
      try {
        clients.sageMaker.createEndpoint(
            r -> r.endpointName("limit-" + n).endpointConfigName("limit-config"));
        created++;
      } catch (ResourceLimitExceededException e) {
        limit = e;
      }
    }
    assertThat(limit, notNullValue());
    assertThat(limit.awsErrorDetails().errorCode(), is("ResourceLimitExceeded"));
    for (int i = 0; i < created; i++) {
      int n = i;
      clients.sageMaker.deleteEndpoint(r -> r.endpointName("limit-" + n));
    }
  }

  @Test
  void stsAnswersTheLocalAccount() {
    var identity = clients.sts.getCallerIdentity();
    assertThat(identity.account(), is(SageMakerLocal.ACCOUNT_ID));
    assertThat(identity.arn(), containsString(SageMakerLocal.ACCOUNT_ID));
  }

  @Test
  void s3StoresObjectsAndRefusesEscapingKeys() {
    clients.s3.createBucket(r -> r.bucket("control-plane-bucket"));
    clients.s3.putObject(
        r -> r.bucket("control-plane-bucket").key("a/b.txt"), RequestBody.fromString("hello"));
    assertThat(
        clients
            .s3
            .getObjectAsBytes(r -> r.bucket("control-plane-bucket").key("a/b.txt"))
            .asUtf8String(),
        is("hello"));
    assertThrows(
        NoSuchKeyException.class,
        () ->
            clients.s3.getObjectAsBytes(
                r -> r.bucket("control-plane-bucket").key("a/missing.txt")));
    S3Exception escape =
        assertThrows(
            S3Exception.class,
            () ->
                clients.s3.putObject(
                    r -> r.bucket("control-plane-bucket").key("../../escape.txt"),
                    RequestBody.fromString("x")));
    assertThat(escape.statusCode() / 100, is(4));
    assertThat(java.nio.file.Files.exists(dataDir.resolve("escape.txt")), is(false));
    // Still serving.
    assertThat(
        clients.s3.listObjectsV2(r -> r.bucket("control-plane-bucket")).contents().stream()
            .map(o -> o.key())
            .collect(Collectors.toList()),
        hasItem("a/b.txt"));
  }

  @Test
  void badRequestsAreRefusedAndTheServerKeepsServing() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI api = local.apiEndpoint();
    // Unsigned.
    HttpResponse<String> unsigned =
        http.send(
            HttpRequest.newBuilder(api)
                .header("X-Amz-Target", "SageMaker.ListModels")
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode(), is(403));
    assertThat(unsigned.body(), containsString("MissingAuthenticationToken"));

    // Unknown access key and wrong secret.
    try (LocalClients stranger = new LocalClients(local, "someone-else", "secret", 2);
        LocalClients wrongSecret =
            new LocalClients(local, local.credentials().accessKeyId(), "wrong", 2)) {
      SageMakerException unknownKey =
          assertThrows(SageMakerException.class, () -> stranger.sageMaker.listModels());
      assertThat(unknownKey.statusCode(), is(403));
      SageMakerException badSignature =
          assertThrows(SageMakerException.class, () -> wrongSecret.sageMaker.listModels());
      assertThat(badSignature.statusCode(), is(403));
      assertThat(badSignature.awsErrorDetails().errorCode(), is("InvalidSignatureException"));
      SageMakerRuntimeException runtimeRefused =
          assertThrows(
              SageMakerRuntimeException.class,
              () ->
                  wrongSecret.runtime.invokeEndpoint(
                      r ->
                          r.endpointName("x")
                              .contentType("text/csv")
                              .body(SdkBytes.fromUtf8String("1"))));
      assertThat(runtimeRefused.statusCode(), is(403));
    }

    // Malformed JSON, wrong types, unknown operation: signed raw requests.
    RawSignedRequests raw = new RawSignedRequests(local);
    HttpResponse<String> malformed = raw.sageMaker("CreateModel", "{\"ModelName\": ");
    assertThat(malformed.statusCode(), is(400));
    assertThat(malformed.body(), containsString("SerializationException"));
    HttpResponse<String> wrongType = raw.sageMaker("CreateModel", "{\"ModelName\": 42}");
    assertThat(wrongType.statusCode(), is(400));
    assertThat(wrongType.body(), containsString("ModelName"));
    HttpResponse<String> missing = raw.sageMaker("CreateEndpoint", "{\"EndpointName\": \"x\"}");
    assertThat(missing.statusCode(), is(400));
    assertThat(missing.body(), containsString("EndpointConfigName"));
    HttpResponse<String> unknownOp = raw.sageMaker("CreateProcessingJob", "{}");
    assertThat(unknownOp.statusCode(), is(400));
    assertThat(unknownOp.body(), containsString("UnknownOperationException"));
    HttpResponse<String> badCount =
        raw.sageMaker(
            "CreateEndpointConfig",
            "{\"EndpointConfigName\":\"c\",\"ProductionVariants\":[{\"VariantName\":\"v\","
                + "\"ModelName\":\"m\",\"InitialInstanceCount\":\"two\",\"InstanceType\":\"ml.m5.large\"}]}");
    assertThat(badCount.statusCode(), is(400));
    assertThat(badCount.body(), containsString("InitialInstanceCount"));

    // Oversized invocation body: refused as SageMaker does (413), the server still answers.
    createEchoModel("big-model", "");
    createConfig("big-config", "big-model", 1);
    clients.sageMaker.createEndpoint(r -> r.endpointName("big").endpointConfigName("big-config"));
    assertThat(waitForEndpoint("big").endpointStatus(), is(EndpointStatus.IN_SERVICE));
    byte[] sixMb = new byte[6 * 1024 * 1024];
    assertThat(
        clients
            .runtime
            .invokeEndpoint(
                r ->
                    r.endpointName("big")
                        .contentType("application/octet-stream")
                        .body(SdkBytes.fromByteArray(sixMb)))
            .body()
            .asByteArray()
            .length,
        is(sixMb.length));
    SageMakerRuntimeException tooBig =
        assertThrows(
            SageMakerRuntimeException.class,
            () ->
                clients.runtime.invokeEndpoint(
                    r ->
                        r.endpointName("big")
                            .contentType("application/octet-stream")
                            .body(SdkBytes.fromByteArray(new byte[sixMb.length + 1]))));
    assertThat(tooBig.statusCode(), is(413));

    assertThat(clients.sageMaker.listModels().models().isEmpty(), is(false));
    assertThat(
        clients
            .runtime
            .invokeEndpoint(
                r ->
                    r.endpointName("big")
                        .contentType("text/csv")
                        .body(SdkBytes.fromUtf8String("ok")))
            .body()
            .asUtf8String(),
        equalTo("ok"));
    clients.sageMaker.deleteEndpoint(r -> r.endpointName("big"));
  }

  @Test
  void invokingAnEndpointThatIsNotInServiceIsAValidationError() throws Exception {
    clients.sageMaker.createModel(
        r ->
            r.modelName("broken-model")
                .executionRoleArn(ROLE)
                .primaryContainer(
                    c -> c.image(ECHO_IMAGE).modelDataUrl("s3://no-such-bucket/model.tar.gz")));
    createConfig("broken-config", "broken-model", 1);
    clients.sageMaker.createEndpoint(
        r -> r.endpointName("broken").endpointConfigName("broken-config"));
    DescribeEndpointResponse d = waitForEndpoint("broken");
    assertThat(d.endpointStatus(), is(EndpointStatus.FAILED));
    assertThat(d.failureReason(), containsString("s3://no-such-bucket/model.tar.gz"));
    ValidationErrorException e =
        assertThrows(
            ValidationErrorException.class,
            () ->
                clients.runtime.invokeEndpoint(
                    r ->
                        r.endpointName("broken")
                            .contentType("text/csv")
                            .body(SdkBytes.fromUtf8String("1"))));
    assertThat(e.getMessage(), containsString("not in service"));
    clients.sageMaker.deleteEndpoint(r -> r.endpointName("broken"));
  }

  @Test
  @SuppressWarnings("deprecation")
  void signaturesWithoutAContentHashHeaderAreAccepted() throws Exception {
    // What botocore (the AWS CLI, boto3) sends: no x-amz-content-sha256 among the signed headers.
    var request =
        software.amazon.awssdk.http.SdkHttpFullRequest.builder()
            .method(software.amazon.awssdk.http.SdkHttpMethod.POST)
            .uri(local.apiEndpoint().resolve("/"))
            .putHeader("X-Amz-Target", "SageMaker.ListEndpoints")
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .contentStreamProvider(
                software.amazon.awssdk.http.ContentStreamProvider.fromUtf8String("{}"))
            .build();
    var signed =
        software.amazon.awssdk.auth.signer.Aws4Signer.create()
            .sign(
                request,
                software.amazon.awssdk.auth.signer.params.Aws4SignerParams.builder()
                    .awsCredentials(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                            local.credentials().accessKeyId(),
                            local.credentials().secretAccessKey()))
                    .signingName("sagemaker")
                    .signingRegion(software.amazon.awssdk.regions.Region.of(local.region()))
                    .build());
    assertThat(
        signed.firstMatchingHeader("Authorization").orElseThrow(),
        org.hamcrest.Matchers.not(containsString("x-amz-content-sha256")));
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(local.apiEndpoint().resolve("/"))
            .POST(HttpRequest.BodyPublishers.ofString("{}"));
    signed.forEachHeader(
        (name, values) -> {
          if (!name.equalsIgnoreCase("Host")) {
            values.forEach(v -> builder.header(name, v));
          }
        });
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.body(), response.statusCode(), is(200));
    assertThat(response.body(), containsString("\"Endpoints\""));
  }

  /** Signs hand-made request bodies with the SDK signer, to send what the SDK itself would not. */
  static final class RawSignedRequests {
    private final SageMakerLocal local;
    private final HttpClient http = HttpClient.newHttpClient();

    RawSignedRequests(SageMakerLocal local) {
      this.local = local;
    }

    HttpResponse<String> sageMaker(String operation, String body) throws Exception {
      var request =
          software.amazon.awssdk.http.SdkHttpRequest.builder()
              .method(software.amazon.awssdk.http.SdkHttpMethod.POST)
              .uri(local.apiEndpoint().resolve("/"))
              .putHeader("X-Amz-Target", "SageMaker." + operation)
              .putHeader("Content-Type", "application/x-amz-json-1.1")
              .build();
      var signed =
          software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create()
              .sign(
                  r ->
                      r.identity(
                              software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(
                                  local.credentials().accessKeyId(),
                                  local.credentials().secretAccessKey()))
                          .request(request)
                          .payload(
                              software.amazon.awssdk.http.ContentStreamProvider.fromUtf8String(
                                  body))
                          .putProperty(
                              software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner
                                  .SERVICE_SIGNING_NAME,
                              "sagemaker")
                          .putProperty(
                              software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner
                                  .REGION_NAME,
                              local.region()));
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(local.apiEndpoint().resolve("/"))
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      signed
          .request()
          .forEachHeader(
              (name, values) -> {
                if (!name.equalsIgnoreCase("Host")) {
                  values.forEach(v -> builder.header(name, v));
                }
              });
      return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void listFiltersByNameCreationTimeAndStatus() throws Exception {
    createEchoModel("filtered-1", "1:");
    Thread.sleep(20);
    java.time.Instant between = java.time.Instant.now();
    Thread.sleep(20);
    createEchoModel("filtered-2", "2:");
    createConfig("filtered-2-config", "filtered-2", 1);
    assertThat(
        clients
            .sageMaker
            .listModels(r -> r.nameContains("filtered-").creationTimeBefore(between))
            .models()
            .stream()
            .map(ModelSummary::modelName)
            .collect(Collectors.toList()),
        is(List.of("filtered-1")));
    assertThat(
        clients
            .sageMaker
            .listModels(r -> r.nameContains("filtered-").creationTimeAfter(between))
            .models()
            .stream()
            .map(ModelSummary::modelName)
            .collect(Collectors.toList()),
        is(List.of("filtered-2")));
    assertThat(
        clients
            .sageMaker
            .listEndpointConfigs(r -> r.nameContains("filtered-").creationTimeBefore(between))
            .endpointConfigs(),
        hasSize(0));
    assertThat(
        clients
            .sageMaker
            .listEndpointConfigs(r -> r.nameContains("filtered-").creationTimeAfter(between))
            .endpointConfigs(),
        hasSize(1));

    clients.sageMaker.createEndpoint(
        r -> r.endpointName("filtered-endpoint").endpointConfigName("filtered-2-config"));
    waitForEndpoint("filtered-endpoint");
    assertThat(
        clients
            .sageMaker
            .listEndpoints(
                r ->
                    r.nameContains("filtered-")
                        .statusEquals(EndpointStatus.IN_SERVICE)
                        .lastModifiedTimeAfter(between))
            .endpoints(),
        hasSize(1));
    assertThat(
        clients
            .sageMaker
            .listEndpoints(r -> r.nameContains("filtered-").creationTimeBefore(between))
            .endpoints(),
        hasSize(0));
    assertThat(
        clients
            .sageMaker
            .listEndpoints(r -> r.nameContains("filtered-").statusEquals(EndpointStatus.FAILED))
            .endpoints(),
        hasSize(0));
    SageMakerException badStatus =
        assertThrows(
            SageMakerException.class,
            () -> clients.sageMaker.listEndpoints(r -> r.statusEquals("Sleeping")));
    assertThat(badStatus.awsErrorDetails().errorCode(), is("ValidationException"));
    assertThat(badStatus.getMessage(), containsString("StatusEquals"));
    clients.sageMaker.deleteEndpoint(r -> r.endpointName("filtered-endpoint"));
  }
}
