package dev.sagemakerbeam.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;

/**
 * Invocations per second and per-invocation latency of SageMaker Local's runtime with a trivial
 * in-process model ({@link EchoAlgorithm}), called by 16 concurrent clients through the real
 * SageMakerRuntimeClient on loopback (SigV4 signing and verification included). The model does no
 * work, so the latency is SageMaker Local's (and the SDK's) overhead per invocation.
 *
 * <p>Three measurements: the capacity (16 clients in a closed loop, where the latency is mostly
 * queueing, 16 / throughput); the overhead per invocation under load (the 16 clients paced to 2,000
 * invocations/s in all, latency counted from each request's scheduled send time); and one client
 * alone. Each runs through the SDK client and through a raw-socket client replaying a pre-signed
 * request, which costs next to nothing and so shows what the server alone costs.
 *
 * <p>Run: {@code mvn -B -q -pl local -am -Pbenchmark -DskipTests integration-test}, or with
 * arguments {@code <clients> <warmupSeconds> <measureSeconds>}.
 */
public final class InvocationBenchmark {
  /** The throughput target (invocations/s on 2 cores), and the load the overhead is measured at. */
  private static final int TARGET_RATE = 2_000;

  private InvocationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int warmupSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int measureSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    Path dataDir = Files.createTempDirectory("sagemaker-local-benchmark");
    try (SageMakerLocal local =
            SageMakerLocal.builder()
                .dataDirectory(dataDir)
                .algorithm("tiny", new EchoAlgorithm())
                .build();
        LocalClients sdk =
            new LocalClients(
                local,
                local.credentials().accessKeyId(),
                local.credentials().secretAccessKey(),
                clients)) {
      sdk.sageMaker.createModel(
          r ->
              r.modelName("tiny")
                  .executionRoleArn(ControlPlaneTest.ROLE)
                  .primaryContainer(
                      c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/tiny:1")));
      sdk.sageMaker.createEndpointConfig(
          r ->
              r.endpointConfigName("tiny")
                  .productionVariants(
                      ProductionVariant.builder()
                          .variantName("AllTraffic")
                          .modelName("tiny")
                          .initialInstanceCount(2)
                          .instanceType("ml.m5.large")
                          .build()));
      sdk.sageMaker.createEndpoint(r -> r.endpointName("tiny").endpointConfigName("tiny"));
      if (ControlPlaneTest.waitForEndpoint(sdk.sageMaker, "tiny").endpointStatus()
          != EndpointStatus.IN_SERVICE) {
        throw new IllegalStateException("benchmark endpoint did not come into service");
      }
      InvokeEndpointRequest request =
          InvokeEndpointRequest.builder()
              .endpointName("tiny")
              .contentType("text/csv")
              .accept("text/csv")
              .body(SdkBytes.fromUtf8String("0.5,1.5,2.5,3.5"))
              .build();

      Call viaSdk = () -> sdk.runtime.invokeEndpoint(request);
      Call raw = rawSocketCall(local);
      String sdkLabel = "SageMakerRuntimeClient (SDK signing + server)";
      String rawLabel = "pre-signed request on raw sockets (server only)";
      // Warm both paths up first: on a loaded machine the JIT needs a while for all of it.
      run(sdkLabel, viaSdk, clients, warmupSeconds, false);
      run(rawLabel, raw, clients, warmupSeconds, false);
      run(sdkLabel, viaSdk, clients, warmupSeconds, false);
      // Saturation: each client sends its next request as soon as the last is answered. The rate is
      // the capacity; the latency is queueing, clients x (1 / rate) by Little's law.
      run(sdkLabel, viaSdk, clients, measureSeconds, true);
      run(rawLabel, raw, clients, measureSeconds, true);
      // Overhead under load: the same clients sending on a fixed schedule that adds up to
      // TARGET_RATE invocations/s; latency counts from the scheduled send time, so falling behind
      // shows.
      runAtRate(sdkLabel, viaSdk, clients, TARGET_RATE, measureSeconds);
      runAtRate(rawLabel, raw, clients, TARGET_RATE, measureSeconds);
      // Latency without other traffic: one client at a time.
      run(sdkLabel, viaSdk, 1, measureSeconds / 3 + 1, true);
      run(rawLabel, raw, 1, measureSeconds / 3 + 1, true);
    }
  }

  /** One invocation. */
  interface Call {
    void invoke() throws Exception;
  }

  /**
   * The same pre-signed request written as bytes on one kept-alive socket per client thread, the
   * response read by its Content-Length: a load generator that costs next to nothing, so on a
   * 2-core machine nearly all the CPU goes to the server.
   */
  private static Call rawSocketCall(SageMakerLocal local) {
    byte[] body = "0.5,1.5,2.5,3.5".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.net.URI uri = local.runtimeEndpoint().resolve("/endpoints/tiny/invocations");
    var unsigned =
        software.amazon.awssdk.http.SdkHttpRequest.builder()
            .method(software.amazon.awssdk.http.SdkHttpMethod.POST)
            .uri(uri)
            .putHeader("Content-Type", "text/csv")
            .putHeader("Accept", "text/csv")
            .build();
    var signed =
        software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(
                            software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(
                                local.credentials().accessKeyId(),
                                local.credentials().secretAccessKey()))
                        .request(unsigned)
                        .payload(
                            software.amazon.awssdk.http.ContentStreamProvider.fromByteArray(body))
                        .putProperty(
                            software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner
                                .SERVICE_SIGNING_NAME,
                            "sagemaker")
                        .putProperty(
                            software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME,
                            local.region()));
    StringBuilder head =
        new StringBuilder("POST ").append(uri.getRawPath()).append(" HTTP/1.1\r\n");
    signed
        .request()
        .forEachHeader(
            (name, values) ->
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    byte[] headBytes = head.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    ThreadLocal<RawConnection> connections = ThreadLocal.withInitial(() -> new RawConnection(uri));
    return () -> connections.get().exchange(request);
  }

  /** One kept-alive HTTP/1.1 connection of the raw socket client. */
  private static final class RawConnection {
    private static final java.util.regex.Pattern CONTENT_LENGTH =
        java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");
    private final java.net.Socket socket;
    private final java.io.InputStream in;
    private final java.io.OutputStream out;
    private final byte[] buffer = new byte[8192];

    RawConnection(java.net.URI uri) {
      try {
        socket = new java.net.Socket(uri.getHost(), uri.getPort());
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    void exchange(byte[] request) throws java.io.IOException {
      out.write(request);
      out.flush();
      // read until the end of the headers, then the body by its Content-Length
      int filled = 0;
      int headerEnd = -1;
      while (headerEnd < 0) {
        int n = in.read(buffer, filled, buffer.length - filled);
        if (n < 0) {
          throw new java.io.EOFException("connection closed");
        }
        filled += n;
        for (int i = 3; i < filled; i++) {
          if (buffer[i] == '\n'
              && buffer[i - 1] == '\r'
              && buffer[i - 2] == '\n'
              && buffer[i - 3] == '\r') {
            headerEnd = i + 1;
            break;
          }
        }
      }
      String headers =
          new String(buffer, 0, headerEnd, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (!headers.startsWith("HTTP/1.1 200")) {
        throw new IllegalStateException(headers.lines().findFirst().orElse(""));
      }
      java.util.regex.Matcher m = CONTENT_LENGTH.matcher(headers);
      if (!m.find()) {
        throw new IllegalStateException("no Content-Length in " + headers);
      }
      int remaining = headerEnd + Integer.parseInt(m.group(1)) - filled;
      while (remaining > 0) {
        int n = in.read(buffer, 0, Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new java.io.EOFException("connection closed");
        }
        remaining -= n;
      }
    }
  }

  private static void run(String label, Call call, int clients, int seconds, boolean report)
      throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong failures = new AtomicLong();
    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    CountDownLatch done = new CountDownLatch(clients);
    Thread[] threads = new Thread[clients];
    for (int t = 0; t < clients; t++) {
      int index = t;
      threads[t] =
          new Thread(
              () -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                while (running.get()) {
                  long start = System.nanoTime();
                  try {
                    call.invoke();
                  } catch (Exception e) {
                    failures.incrementAndGet();
                    continue;
                  }
                  long elapsed = System.nanoTime() - start;
                  if (n == mine.length) {
                    mine = Arrays.copyOf(mine, n * 2);
                  }
                  mine[n++] = elapsed;
                }
                latencies[index] = mine;
                counts[index] = n;
                done.countDown();
              },
              "benchmark-client-" + t);
      threads[t].start();
    }
    long begin = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    running.set(false);
    done.await();
    double elapsedSeconds = (System.nanoTime() - begin) / 1e9;
    if (!report) {
      return;
    }
    long[] all = merge(latencies, counts);
    int total = all.length;
    System.out.printf(
        Locale.ROOT,
        "InvokeEndpoint via %s, tiny in-process model, %d concurrent clients, %d s on %d cores:%n"
            + "  %,d invocations, %.0f invocations/s, %d failures%n"
            + "  latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        label,
        clients,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        total,
        total / elapsedSeconds,
        failures.get(),
        percentile(all, 0.50),
        percentile(all, 0.90),
        percentile(all, 0.99),
        all.length == 0 ? 0 : all[all.length - 1] / 1e6);
  }

  /**
   * Open loop: client {@code t} sends its {@code k}-th request at {@code start + (k x clients + t)
   * / rate}, whether or not earlier ones were slow; each latency is measured from that scheduled
   * time.
   */
  private static void runAtRate(String label, Call call, int clients, int rate, int seconds)
      throws InterruptedException {
    AtomicLong failures = new AtomicLong();
    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    long intervalNanos = 1_000_000_000L * clients / rate;
    long start = System.nanoTime() + 50_000_000L;
    long end = start + seconds * 1_000_000_000L;
    Thread[] threads = new Thread[clients];
    for (int t = 0; t < clients; t++) {
      int index = t;
      threads[t] =
          new Thread(
              () -> {
                long[] mine = new long[(int) (seconds * (long) rate / clients + 16)];
                int n = 0;
                for (long due = start + index * (1_000_000_000L / rate);
                    due < end && n < mine.length;
                    due += intervalNanos) {
                  long wait;
                  while ((wait = due - System.nanoTime()) > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                  }
                  try {
                    call.invoke();
                  } catch (Exception e) {
                    failures.incrementAndGet();
                    continue;
                  }
                  mine[n++] = System.nanoTime() - due;
                }
                latencies[index] = mine;
                counts[index] = n;
              },
              "benchmark-paced-client-" + t);
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsedSeconds = (System.nanoTime() - start) / 1e9;
    long[] all = merge(latencies, counts);
    System.out.printf(
        Locale.ROOT,
        "InvokeEndpoint via %s, tiny in-process model, %d clients paced to %,d invocations/s in all, %d s on %d cores:%n"
            + "  %,d invocations, %.0f invocations/s, %d failures%n"
            + "  latency from scheduled send p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms (target p50 <= 2 ms)%n",
        label,
        clients,
        rate,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        all.length,
        all.length / elapsedSeconds,
        failures.get(),
        percentile(all, 0.50),
        percentile(all, 0.90),
        percentile(all, 0.99),
        all.length == 0 ? 0 : all[all.length - 1] / 1e6);
  }

  private static long[] merge(long[][] latencies, int[] counts) {
    long[] all = new long[Arrays.stream(counts).sum()];
    int offset = 0;
    for (int t = 0; t < counts.length; t++) {
      System.arraycopy(latencies[t], 0, all, offset, counts[t]);
      offset += counts[t];
    }
    Arrays.sort(all);
    return all;
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
  }
}
