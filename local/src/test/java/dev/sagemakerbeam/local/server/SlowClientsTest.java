package dev.sagemakerbeam.local.server;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

import dev.sagemakerbeam.local.EchoAlgorithm;
import dev.sagemakerbeam.local.LocalClients;
import dev.sagemakerbeam.local.SageMakerLocal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;

/**
 * Clients that open connections and never finish their requests (no bytes, half a header, a body
 * that stops) must not starve the others: {@code /ping}, invocations and S3 keep answering, and
 * malformed requests get the service's own error format rather than a server's HTML page.
 */
class SlowClientsTest {
  static final String ECHO_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/echo:1";
  static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerRole";

  @TempDir static Path dataDir;
  static SageMakerLocal local;
  static LocalClients clients;
  final List<Socket> stalled = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    local =
        SageMakerLocal.builder()
            .dataDirectory(dataDir)
            .algorithm("echo", new EchoAlgorithm())
            .build();
    clients = new LocalClients(local);
    clients.sageMaker.createModel(
        m -> m.modelName("echo").executionRoleArn(ROLE).primaryContainer(c -> c.image(ECHO_IMAGE)));
    clients.sageMaker.createEndpointConfig(
        e ->
            e.endpointConfigName("echo")
                .productionVariants(
                    v ->
                        v.variantName("AllTraffic")
                            .modelName("echo")
                            .initialInstanceCount(1)
                            .instanceType("ml.m5.large")));
    clients.sageMaker.createEndpoint(e -> e.endpointName("echo").endpointConfigName("echo"));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (clients.sageMaker.describeEndpoint(r -> r.endpointName("echo")).endpointStatus()
            != EndpointStatus.IN_SERVICE
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    clients.s3.createBucket(r -> r.bucket("slow-clients"));
  }

  @AfterAll
  static void stop() {
    clients.close();
    local.close();
  }

  @AfterEach
  void closeStalled() {
    for (Socket s : stalled) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    stalled.clear();
  }

  /**
   * Opens {@code count} connections: a sixth send nothing, a sixth half a header, the rest complete
   * headers and a few bytes of a body that never comes (each holds a server thread).
   */
  private void stall(int port, int count, String path) throws IOException {
    for (int i = 0; i < count; i++) {
      Socket s = new Socket("127.0.0.1", port);
      stalled.add(s);
      OutputStream out = s.getOutputStream();
      switch (i % 6) {
        case 0 -> {}
        case 1 ->
            out.write(
                ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")
                    .getBytes(StandardCharsets.US_ASCII));
        default ->
            out.write(
                ("POST "
                        + path
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                        + "Content-Length: 100000\r\n\r\n1,2,3")
                    .getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
    }
  }

  private static long millis(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void stalledConnectionsDoNotStarvePingInvocationsOrS3() throws Exception {
    stall(local.port(), 300, "/endpoints/echo/invocations");
    stall(local.s3Endpoint().getPort(), 300, "/slow-clients/object");
    Thread.sleep(500); // let the server take them all in
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long ping =
        millis(
            () -> {
              try {
                HttpResponse<String> r =
                    http.send(
                        HttpRequest.newBuilder(local.apiEndpoint().resolve("/ping"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode(), equalTo(200));
              } catch (IOException | InterruptedException e) {
                throw new AssertionError("/ping did not answer: " + e, e);
              }
            });
    long invoke =
        millis(
            () ->
                assertThat(
                    clients
                        .runtime
                        .invokeEndpoint(
                            r ->
                                r.endpointName("echo")
                                    .contentType("text/csv")
                                    .body(SdkBytes.fromUtf8String("1,2")))
                        .body()
                        .asUtf8String(),
                    equalTo("1,2")));
    long s3 = millis(() -> clients.s3.listObjectsV2(r -> r.bucket("slow-clients")).keyCount());
    System.out.printf(
        "with 300 stalled connections on each port: ping %d ms, invocation %d ms, S3 list %d ms%n",
        ping, invoke, s3);
    assertThat(ping, lessThan(2_000L));
    assertThat(invoke, lessThan(5_000L));
    assertThat(s3, lessThan(5_000L));
  }

  @Test
  @SuppressWarnings("deprecation") // Aws4Signer: signs exactly what it is given
  void stalledSignedS3UploadsDoNotStarveS3AndLeaveNothingBehind() throws Exception {
    // signed for a 100,000-byte body of which 5 bytes are sent: these pass the signature check
    // and reach the store, which reads their bodies blocking (S3 bodies are streamed, not
    // buffered), each holding one of S3Proxy's threads until the blocking timeout; there is a
    // thread for every connection the limit allows
    byte[] full = new byte[100_000];
    for (int i = 0; i < 300; i++) {
      software.amazon.awssdk.http.SdkHttpFullRequest signed =
          software.amazon.awssdk.auth.signer.Aws4Signer.create()
              .sign(
                  software.amazon.awssdk.http.SdkHttpFullRequest.builder()
                      .method(software.amazon.awssdk.http.SdkHttpMethod.PUT)
                      .uri(local.s3Endpoint().resolve("/slow-clients/stalled-" + i))
                      .putHeader("x-amz-content-sha256", "required")
                      .putHeader("Content-Length", Integer.toString(full.length))
                      .contentStreamProvider(
                          software.amazon.awssdk.http.ContentStreamProvider.fromByteArray(full))
                      .build(),
                  software.amazon.awssdk.auth.signer.params.Aws4SignerParams.builder()
                      .awsCredentials(
                          software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                              local.credentials().accessKeyId(),
                              local.credentials().secretAccessKey()))
                      .signingName("s3")
                      .signingRegion(software.amazon.awssdk.regions.Region.of(local.region()))
                      .doubleUrlEncode(false)
                      .build());
      StringBuilder head = new StringBuilder("PUT /slow-clients/stalled-" + i + " HTTP/1.1\r\n");
      signed.forEachHeader((n, v) -> head.append(n).append(": ").append(v.get(0)).append("\r\n"));
      head.append("\r\n");
      Socket socket = new Socket("127.0.0.1", local.s3Endpoint().getPort());
      stalled.add(socket);
      socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(new byte[5]);
      socket.getOutputStream().flush();
    }
    long opened = System.nanoTime();
    Thread.sleep(500);
    long s3 = millis(() -> clients.s3.listObjectsV2(r -> r.bucket("slow-clients")).keyCount());
    long ping =
        millis(
            () -> {
              try {
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(local.apiEndpoint().resolve("/ping")).build(),
                        HttpResponse.BodyHandlers.ofString());
              } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    System.out.printf(
        "with 300 stalled signed S3 uploads: S3 list %d ms, API ping %d ms%n", s3, ping);
    assertThat(s3, lessThan(2_000L));
    assertThat(ping, lessThan(2_000L));
    // while they hang the uploads are not objects: nothing of them is listed
    assertThat(
        clients.s3.listObjectsV2(r -> r.bucket("slow-clients").prefix("stalled-")).keyCount(),
        equalTo(0));
    // once cut off (10 s without progress) they leave nothing behind, not even a temporary file
    Path temporary = dataDir.resolve("s3").resolve("_store").resolve("tmp");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long left;
    do {
      Thread.sleep(500);
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(temporary)) {
        left = files.count();
      }
    } while (left > 0 && System.nanoTime() < deadline);
    System.out.printf(
        "stalled uploads' temporary files left %d s after they were opened: %d%n",
        (System.nanoTime() - opened) / 1_000_000_000L, left);
    assertThat(left, equalTo(0L));
    assertThat(
        clients.s3.listObjectsV2(r -> r.bucket("slow-clients").prefix("stalled-")).keyCount(),
        equalTo(0));
  }

  @Test
  void aBodyThatStopsIsCutOffAndAnsweredInTheServicesFormat() throws Exception {
    long start = System.nanoTime();
    try (Socket s = new Socket("127.0.0.1", local.port())) {
      s.setSoTimeout(60_000);
      s.getOutputStream()
          .write(
              ("POST /endpoints/echo/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Content-Type: text/csv\r\nContent-Length: 1000\r\n\r\n1,2")
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String answer = readAll(s.getInputStream());
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      System.out.printf("a stopped body was cut off after %d s: %s%n", seconds, firstLine(answer));
      assertThat(seconds, lessThan(20L));
      if (!answer.isEmpty()) {
        assertThat(answer, startsWith("HTTP/1.1 408"));
        assertThat(answer, containsString("\"__type\":\"RequestTimeoutException\""));
      }
    }
  }

  @Test
  void malformedRequestsGetJsonOnTheApiAndXmlOnS3NeverHtml() throws Exception {
    for (String request :
        List.of(
            "GET /nothing%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n",
            "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) {
      String api = send(local.port(), request);
      String s3 = send(local.s3Endpoint().getPort(), request);
      System.out.printf(
          "%s -> API %s | S3 %s%n", firstLine(request), firstLine(api), firstLine(s3));
      assertThat(api.toLowerCase(), org.hamcrest.Matchers.not(containsString("<html")));
      assertThat(s3.toLowerCase(), org.hamcrest.Matchers.not(containsString("<html")));
      if (api.contains("\r\n\r\n") && !api.endsWith("\r\n\r\n")) {
        assertThat(api, containsString("\"__type\""));
      }
      if (s3.contains("\r\n\r\n") && !s3.endsWith("\r\n\r\n")) {
        assertThat(s3, containsString("<Error>"));
      }
    }
  }

  private static String send(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return readAll(s.getInputStream());
    }
  }

  private static String readAll(InputStream in) throws IOException {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.net.SocketException e) {
      return "";
    }
  }

  private static String firstLine(String s) {
    int end = s.indexOf("\r\n");
    return end < 0 ? s : s.substring(0, end);
  }
}
