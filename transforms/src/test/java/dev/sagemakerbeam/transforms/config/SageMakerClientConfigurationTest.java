package dev.sagemakerbeam.transforms.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sts.StsClient;

class SageMakerClientConfigurationTest {
  private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
  private static final String ACCESS = "AKIDEXAMPLEACCESS";

  private static SageMakerClientConfiguration local(URI uri) {
    return SageMakerClientConfiguration.forLocal(uri, uri, uri, uri, "eu-west-1", ACCESS, SECRET);
  }

  @Test
  void forLocalPointsEveryClientAtItsEndpoint() {
    SageMakerClientConfiguration c =
        SageMakerClientConfiguration.forLocal(
            URI.create("http://127.0.0.1:1001"),
            URI.create("http://127.0.0.1:1002"),
            URI.create("http://127.0.0.1:1003"),
            URI.create("http://127.0.0.1:1004"),
            "eu-west-1",
            ACCESS,
            SECRET);
    assertThat(c.sageMakerEndpoint().getPort(), is(1001));
    assertThat(c.runtimeEndpoint().getPort(), is(1002));
    assertThat(c.s3Endpoint().getPort(), is(1003));
    assertThat(c.stsEndpoint().getPort(), is(1004));
    assertThat(c.region(), is("eu-west-1"));
    assertThat(c.s3PathStyleAccess(), is(true));
    assertThat(c.runtimeSocketTimeout(), is(Duration.ofSeconds(70)));
    assertThat(c.credentials().resolve().resolveCredentials().secretAccessKey(), is(SECRET));
  }

  @Test
  void credentialsNeverAppearInToStringOrDisplayData() {
    SageMakerClientConfiguration c = local(URI.create("http://127.0.0.1:9"));
    String text = c.toString();
    assertThat(text, not(containsString(SECRET)));
    assertThat(text, not(containsString(ACCESS)));
    assertThat(text, containsString("static(redacted)"));
    assertThat(
        AwsCredentialsSpec.staticKeys(ACCESS, SECRET, "TOKEN123").toString(),
        not(containsString("TOKEN123")));

    DisplayData display = DisplayData.from(builder -> c.populateDisplayData(builder));
    assertThat(display.toString(), not(containsString(SECRET)));
    assertThat(display.toString(), not(containsString(ACCESS)));
    assertThat(display.toString(), containsString("eu-west-1"));
  }

  @Test
  void survivesJavaSerialization() {
    SageMakerClientConfiguration c =
        local(URI.create("http://127.0.0.1:9")).toBuilder()
            .runtimeSocketTimeout(Duration.ofSeconds(5))
            .maxSdkRetries(2)
            .build();
    SageMakerClientConfiguration copy = SerializableUtils.clone(c);
    assertThat(copy, is(c));
    assertThat(copy.credentials().resolve().resolveCredentials().accessKeyId(), is(ACCESS));
  }

  @Test
  void builtClientsSpeakToTheOverriddenEndpointWithTheGivenKeys() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicReference<String> authorization = new AtomicReference<>();
    AtomicReference<String> target = new AtomicReference<>();
    server.createContext(
        "/",
        exchange -> {
          authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
          target.set(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
          exchange.getRequestBody().readAllBytes();
          byte[] body =
              "{\"EndpointName\":\"e1\",\"EndpointStatus\":\"InService\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      try (SageMakerClient client = SageMakerClients.sageMaker(local(uri))) {
        DescribeEndpointResponse r = client.describeEndpoint(b -> b.endpointName("e1"));
        assertThat(r.endpointStatusAsString(), is("InService"));
      }
      assertThat(target.get(), is("SageMaker.DescribeEndpoint"));
      // SigV4 with our access key and region, never the secret itself
      assertThat(authorization.get(), containsString("Credential=" + ACCESS + "/"));
      assertThat(authorization.get(), containsString("/eu-west-1/sagemaker/aws4_request"));
      assertThat(authorization.get(), not(containsString(SECRET)));
      try (StsClient sts = SageMakerClients.sts(local(uri))) {
        assertThat(sts.serviceClientConfiguration().endpointOverride().get(), is(uri));
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void runtimeClientSendsTheRequestBodyAsItIsWithItsSignedHash() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicReference<byte[]> received = new AtomicReference<>();
    AtomicReference<String> contentLength = new AtomicReference<>();
    AtomicReference<String> payloadHash = new AtomicReference<>();
    server.createContext(
        "/",
        exchange -> {
          received.set(exchange.getRequestBody().readAllBytes());
          contentLength.set(exchange.getRequestHeaders().getFirst("Content-Length"));
          payloadHash.set(exchange.getRequestHeaders().getFirst("x-amz-content-sha256"));
          byte[] answer = "0.5".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/csv");
          exchange.sendResponseHeaders(200, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    byte[] body = new byte[300_001];
    new java.util.SplittableRandom(7).nextBytes(body);
    try (SageMakerRuntimeAsyncClient runtime = SageMakerClients.runtimeAsync(local(uri), 2)) {
      for (int call = 0; call < 2; call++) { // the same bytes sent twice, as a retried batch is
        InvokeEndpointResponse response =
            runtime
                .invokeEndpoint(
                    r ->
                        r.endpointName("e")
                            .contentType("text/csv")
                            .body(SdkBytes.fromByteArrayUnsafe(body)))
                .get();
        assertThat(response.body().asUtf8String(), is("0.5"));
        assertThat(received.get(), is(body));
        assertThat(contentLength.get(), is(String.valueOf(body.length)));
        assertThat(
            payloadHash.get(),
            is(
                java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body))));
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void takesRegionCredentialsAndEndpointFromBeamAwsOptions() {
    AwsOptions options = PipelineOptionsFactory.create().as(AwsOptions.class);
    options.setAwsRegion(Region.AP_SOUTHEAST_2);
    options.setAwsCredentialsProvider(
        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)));
    options.setEndpoint(URI.create("http://127.0.0.1:4566"));
    SageMakerClientConfiguration c = SageMakerClientConfiguration.fromAwsOptions(options);
    assertThat(c.region(), is("ap-southeast-2"));
    assertThat(c.credentials().kind(), is(AwsCredentialsSpec.Kind.STATIC));
    assertThat(c.runtimeEndpoint(), is(URI.create("http://127.0.0.1:4566")));
    assertThat(c.s3Endpoint(), is(URI.create("http://127.0.0.1:4566")));
  }

  @Test
  void rejectsBadSettingsNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SageMakerClientConfiguration.builder().runtimeEndpoint(URI.create("localhost")));
    assertThat(e.getMessage(), containsString("'localhost'"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SageMakerClientConfiguration.builder().runtimeSocketTimeout(Duration.ZERO));
    assertThat(e.getMessage(), containsString("runtimeSocketTimeout"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SageMakerClientConfiguration.builder().region("US East"));
    assertThat(e.getMessage(), containsString("'US East'"));
    e = assertThrows(IllegalArgumentException.class, () -> AwsCredentialsSpec.staticKeys("", "x"));
    assertThat(e.getMessage(), containsString("defaultChain"));
  }

  @Test
  void oneRegionRuleWithAnErrorThatSaysHowToTargetLocalOrAws() {
    assertThat(
        SageMakerClients.resolveRegion(
            SageMakerClientConfiguration.forRegion("eu-west-1"),
            () -> {
              throw new AssertionError("the chain is not asked when a region is set");
            }),
        is("eu-west-1"));
    SageMakerClientConfiguration none = SageMakerClientConfiguration.builder().build();
    assertThat(
        SageMakerClients.resolveRegion(none, () -> Region.AP_SOUTHEAST_2), is("ap-southeast-2"));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                SageMakerClients.resolveRegion(
                    none,
                    () -> {
                      throw software.amazon.awssdk.core.exception.SdkClientException.create(
                          "Unable to load region");
                    }));
    assertThat(e.getMessage(), containsString("No AWS region"));
    assertThat(e.getMessage(), containsString("Unable to load region"));
    assertThat(e.getMessage(), containsString("SageMakerClientConfiguration.forLocal("));
    assertThat(e.getMessage(), containsString("forRegion(\"us-east-1\") or set AWS_REGION"));
  }

  @Test
  void missingCredentialsFailWithTheFixAndNoSecret() {
    SageMakerClients.checkCredentials(
        local(URI.create("http://127.0.0.1:1"))); // static keys resolve
    SageMakerClientConfiguration noProfile =
        SageMakerClientConfiguration.builder()
            .region("us-east-1")
            .credentials(AwsCredentialsSpec.profile("sagemaker-beam-test-no-such-profile"))
            .build();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> SageMakerClients.checkCredentials(noProfile));
    assertThat(
        e.getMessage(),
        containsString("No AWS credentials from profile(sagemaker-beam-test-no-such-profile)"));
    assertThat(e.getMessage(), containsString("To run on SageMaker Local"));
  }
}
