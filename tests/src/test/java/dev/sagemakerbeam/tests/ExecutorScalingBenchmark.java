package dev.sagemakerbeam.tests;

import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.local.faults.FaultSpec;
import dev.sagemakerbeam.local.faults.Latency;
import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Whether {@link SageMakerModel#transform}'s throughput scales with executors: rows/s against a
 * K-Means endpoint whose every answer takes 50 ms more (SageMaker Local's injected latency; no
 * concurrency cap, 200 server threads, so the endpoint has capacity to spare), with 4 requests in
 * flight per executor ({@code SageMakerEstimatorOptions.maxInFlightRequests}, the engine's {@code
 * InferenceSettings.maxInFlight}), on {@code local-cluster[2,1,1024]} (two executor JVMs) and then
 * {@code local-cluster[1,1,1024]} (one), one SparkSession at a time in one run, alternating (2, 1,
 * 2, 1 by default) so neither size alone meets a cold or a busy machine; the ratio is of the best
 * run of each size. Requests are small (10 rows by default) so the endpoint's latency, not the
 * machine's cores, bounds the rate: at most 4 x rows-per-request / 50 ms per executor. A warm-up
 * run of a quarter of the rows precedes each measured one. Prints rows/s of each and the ratio
 * (target >= 1.8). Not a test: run it by hand as {@code FaultSuiteBenchmark} says, with arguments
 * {@code [rows [partitions [rowsPerRequest [sequence]]]]}.
 */
public final class ExecutorScalingBenchmark {
  private ExecutorScalingBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 40_000;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int rowsPerRequest = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int[] sequence =
        Arrays.stream((args.length > 3 ? args[3] : "2,1,2,1").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int inFlight = 4;
    Duration latency = Duration.ofMillis(50);
    Path dir = Files.createTempDirectory("executor-scaling-bench");
    List<String> lines = new ArrayList<>();
    double[] best = new double[3];
    try (SageMakerLocal local =
        SageMakerLocal.builder()
            .dataDirectory(Files.createDirectories(dir.resolve("local")))
            .port(0)
            .s3Port(0)
            .build()) {
      SageMakerClientConfiguration config = SageMakerLocalExtension.configurationFor(local);
      SageMakerModel trained = null;
      try {
        for (int executors : sequence) {
          try (LocalSparkCluster cluster =
              LocalSparkCluster.start(
                  executors,
                  "ExecutorScalingBenchmark-" + executors,
                  dir,
                  Map.of("spark.default.parallelism", Integer.toString(partitions)))) {
            cluster.spark().sparkContext().setLogLevel("ERROR");
            if (trained == null) {
              trained = FaultSuite.trainKMeans(cluster.spark(), config);
            }
            String endpoint = trained.getEndpointName();
            SageMakerModel model =
                SageMakerModel.fromEndpoint(
                    endpoint,
                    trained.getOptions().toBuilder()
                        .maxRecordsPerRequest(rowsPerRequest)
                        .maxInFlightRequests(inFlight)
                        .build());
            local
                .faults()
                .set(endpoint, FaultSpec.builder().latency(Latency.fixed(latency)).build());
            run(cluster, model, Math.max(1, rows / 4), partitions); // warm-up
            long start = System.nanoTime();
            run(cluster, model, rows, partitions);
            long wall = System.nanoTime() - start;
            double rate = rows / (wall / 1e9);
            best[executors] = Math.max(best[executors], rate);
            String line =
                String.format(
                    "local-cluster[%d,1,1024]: %,d rows in %.1f s = %,.0f rows/s (bound by"
                        + " latency: %,.0f rows/s); endpoint answered %,d requests",
                    executors,
                    rows,
                    wall / 1e9,
                    rate,
                    executors * inFlight * rowsPerRequest / (latency.toMillis() / 1000.0),
                    FaultSuite.total(FaultSuite.answers(local, endpoint)));
            System.out.println(line);
            lines.add(line);
          }
        }
      } finally {
        if (trained != null) {
          try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
            new SageMakerResourceCleanup(client).deleteResources(trained.getCreatedResources());
          }
        }
      }
    }
    double ratio = best[2] / best[1];
    System.out.println();
    System.out.println(
        String.format(
            "Executor scaling: %,d rows, %d partitions, %d rows per request, %d in flight per"
                + " executor, %d ms added latency per request",
            rows, partitions, rowsPerRequest, inFlight, latency.toMillis()));
    lines.forEach(System.out::println);
    System.out.println(
        String.format(
            "2 executors / 1 executor (best run of each): %,.0f / %,.0f rows/s = %.2fx"
                + " (target >= 1.8x: %s)",
            best[2], best[1], ratio, ratio >= 1.8 ? "met" : "NOT met"));
  }

  private static void run(LocalSparkCluster cluster, SageMakerModel model, long rows, int parts) {
    cluster.awaitExecutors(Duration.ofMinutes(2));
    model
        .transform(FaultSuite.inputRows(cluster.spark(), rows, parts))
        .write()
        .format("noop")
        .mode("overwrite")
        .save();
  }
}
