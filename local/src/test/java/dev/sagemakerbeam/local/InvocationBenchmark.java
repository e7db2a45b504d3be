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
 * <p>With 16 clients in a closed loop the latency is mostly queueing (16 / throughput), so the
 * harness also measures one client alone: that latency is the per-invocation overhead.
 *
 * <p>Run: {@code mvn -B -q -pl local -am -Pbenchmark -DskipTests integration-test}, or with
 * arguments {@code <clients> <warmupSeconds> <measureSeconds>}.
 */
public final class InvocationBenchmark {
  private InvocationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int warmupSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int measureSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    Path dataDir = Files.createTempDirectory("sagemaker-local-benchmark");
    try (SageMakerLocal local =
            SageMakerLocal.builder().dataDirectory(dataDir).algorithm("tiny", new EchoAlgorithm()).build();
        LocalClients sdk = new LocalClients(local, local.credentials().accessKeyId(),
            local.credentials().secretAccessKey(), clients)) {
      sdk.sageMaker.createModel(r -> r.modelName("tiny").executionRoleArn(ControlPlaneTest.ROLE)
          .primaryContainer(c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/tiny:1")));
      sdk.sageMaker.createEndpointConfig(r -> r.endpointConfigName("tiny").productionVariants(
          ProductionVariant.builder().variantName("AllTraffic").modelName("tiny")
              .initialInstanceCount(2).instanceType("ml.m5.large").build()));
      sdk.sageMaker.createEndpoint(r -> r.endpointName("tiny").endpointConfigName("tiny"));
      if (ControlPlaneTest.waitForEndpoint(sdk.sageMaker, "tiny").endpointStatus() != EndpointStatus.IN_SERVICE) {
        throw new IllegalStateException("benchmark endpoint did not come into service");
      }
      InvokeEndpointRequest request = InvokeEndpointRequest.builder()
          .endpointName("tiny").contentType("text/csv").accept("text/csv")
          .body(SdkBytes.fromUtf8String("0.5,1.5,2.5,3.5")).build();

      Call viaSdk = () -> sdk.runtime.invokeEndpoint(request);
      Call raw = rawPreSignedCall(local);
      // Warm both paths up first: on a loaded machine the JIT needs a while for all of it.
      run("SageMakerRuntimeClient (SDK signing + server)", viaSdk, clients, warmupSeconds, false);
      run("pre-signed raw HTTP (server only)", raw, clients, warmupSeconds, false);
      run("SageMakerRuntimeClient (SDK signing + server)", viaSdk, clients, warmupSeconds, false);
      run("SageMakerRuntimeClient (SDK signing + server)", viaSdk, clients, measureSeconds, true);
      run("pre-signed raw HTTP (server only)", raw, clients, measureSeconds, true);
      // Latency without queueing: one client at a time is the overhead of a single invocation.
      run("SageMakerRuntimeClient (SDK signing + server)", viaSdk, 1, measureSeconds / 3 + 1, true);
      run("pre-signed raw HTTP (server only)", raw, 1, measureSeconds / 3 + 1, true);
    }
  }

  /** One invocation. */
  interface Call {
    void invoke() throws Exception;
  }

  /**
   * The same request signed once with the SDK's signer and replayed over java.net.http, so the
   * figures show what the server costs without the SDK client's own per-call work.
   */
  private static Call rawPreSignedCall(SageMakerLocal local) {
    byte[] body = "0.5,1.5,2.5,3.5".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.net.URI uri = local.runtimeEndpoint().resolve("/endpoints/tiny/invocations");
    var unsigned = software.amazon.awssdk.http.SdkHttpRequest.builder()
        .method(software.amazon.awssdk.http.SdkHttpMethod.POST).uri(uri)
        .putHeader("Content-Type", "text/csv").putHeader("Accept", "text/csv").build();
    var signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(r -> r
        .identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(
            local.credentials().accessKeyId(), local.credentials().secretAccessKey()))
        .request(unsigned)
        .payload(software.amazon.awssdk.http.ContentStreamProvider.fromByteArray(body))
        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sagemaker")
        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, local.region()));
    java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(uri)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
    signed.request().forEachHeader((name, values) -> {
      if (!name.equalsIgnoreCase("Host")) {
        values.forEach(v -> builder.header(name, v));
      }
    });
    java.net.http.HttpRequest request = builder.build();
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    return () -> {
      var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("status " + response.statusCode());
      }
    };
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
      threads[t] = new Thread(() -> {
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
      }, "benchmark-client-" + t);
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
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int offset = 0;
    for (int t = 0; t < clients; t++) {
      System.arraycopy(latencies[t], 0, all, offset, counts[t]);
      offset += counts[t];
    }
    Arrays.sort(all);
    System.out.printf(Locale.ROOT,
        "InvokeEndpoint via %s, tiny in-process model, %d concurrent clients, %d s on %d cores:%n"
            + "  %,d invocations, %.0f invocations/s, %d failures%n"
            + "  latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        label, clients, seconds, Runtime.getRuntime().availableProcessors(), total, total / elapsedSeconds,
        failures.get(), percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99),
        all.length == 0 ? 0 : all[all.length - 1] / 1e6);
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
  }
}
