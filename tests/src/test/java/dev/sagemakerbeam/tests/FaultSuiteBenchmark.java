package dev.sagemakerbeam.tests;

import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The fault suite at scale: a million rows (by default) with unique ids scored against a K-Means
 * endpoint of SageMaker Local on a {@code local-cluster[2,1,1024]} (two executor JVMs), through
 * {@link SageMakerModel#transform} and through Beam's InvokeEndpoint on the Spark runner, each
 * twice: without faults (no throttling, errors or added latency, no kill), then under 10%
 * throttling, 2% 5xx and 2..10 ms of latency with one executor JVM killed (SIGKILL) about 40% into
 * the run. Prints rows in, successes, failures, duplicates, lost rows, retries, throttles, wall
 * time and rows/s of each run, the rate under faults beside the fault-free one, and whether the
 * targets hold (every row exactly once, retries within the policy, >= 70% of the fault-free rate),
 * with the batches the endpoint answered ok more than once (re-sent: for the task that was running
 * on the killed executor, and for any partition the runner recomputed), and for a kill what losing
 * the executor cost (when its replacement registered, its first task beside the others, its JIT
 * time). A warm-up run of each path (a quarter of the rows, at most 250,000) precedes the measured
 * ones, so that the fault-free run is measured on warm executor JVMs: a shorter one (50,000 rows)
 * left the first tasks of the fault-free Beam run at 3.4 s and its last at 1.4 s. Not a test: run
 * it by hand, for example
 *
 * <pre>
 * mvn -B -q -pl tests test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * OPENS=$(sed -n 's:.*&lt;spark.java17.opens&gt;\(.*\)&lt;/spark.java17.opens&gt;.*:\1:p' pom.xml)
 * SPARK_HOME=/tmp/spark-home SPARK_SCALA_VERSION=2.12 java -Xmx3g $OPENS \
 *     -cp tests/target/test-classes:$(cat /tmp/cp.txt) \
 *     dev.sagemakerbeam.tests.FaultSuiteBenchmark [rows [partitions [spark,beam[,nokill]]]]
 * </pre>
 *
 * <p>With {@code nokill} each path also runs under faults without the kill, to tell the cost of the
 * faults from the cost of losing an executor.
 */
public final class FaultSuiteBenchmark {
  private FaultSuiteBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    String paths = args.length > 2 ? args[2] : "spark,beam";
    long warmUp = Math.min(rows / 4, 250_000);
    Path dir = Files.createTempDirectory("fault-suite-bench");
    List<String> lines = new ArrayList<>();
    boolean allMet = true;
    try (SageMakerLocal local =
        SageMakerLocal.builder()
            .dataDirectory(Files.createDirectories(dir.resolve("local")))
            .port(0)
            .s3Port(0)
            .build()) {
      SageMakerClientConfiguration config = SageMakerLocalExtension.configurationFor(local);
      try (LocalSparkCluster cluster =
          LocalSparkCluster.start(
              2,
              "FaultSuiteBenchmark",
              dir,
              Map.of("spark.default.parallelism", Integer.toString(partitions)))) {
        cluster.spark().sparkContext().setLogLevel("ERROR");
        SageMakerModel model = FaultSuite.trainKMeans(cluster.spark(), config);
        String endpoint = model.getEndpointName();
        try {
          if (paths.contains("spark")) {
            FaultSuite.scoreWithSpark(
                "warm-up",
                cluster,
                local,
                model,
                warmUp,
                partitions,
                FaultSuite.noFaults(),
                false,
                fresh(dir, "warm-spark"));
            FaultSuite.Figures sparkClean =
                FaultSuite.scoreWithSpark(
                    "SageMakerModel.transform, no faults",
                    cluster,
                    local,
                    model,
                    rows,
                    partitions,
                    FaultSuite.noFaults(),
                    false,
                    fresh(dir, "spark-clean"));
            System.out.println(sparkClean.report());
            FaultSuite.Figures sparkFaults =
                FaultSuite.scoreWithSpark(
                    "SageMakerModel.transform, faults",
                    cluster,
                    local,
                    model,
                    rows,
                    partitions,
                    FaultSuite.faults(1),
                    true,
                    fresh(dir, "spark-faults"));
            System.out.println(sparkFaults.report());
            allMet &= summarize(lines, sparkClean, sparkFaults);
            if (paths.contains("nokill")) {
              FaultSuite.Figures noKill =
                  FaultSuite.scoreWithSpark(
                      "SageMakerModel.transform, faults, no kill",
                      cluster,
                      local,
                      model,
                      rows,
                      partitions,
                      FaultSuite.faults(3),
                      false,
                      fresh(dir, "spark-nokill"));
              System.out.println(noKill.report());
              lines.add(noKill.report());
            }
          }
          if (paths.contains("beam")) {

            FaultSuite.scoreWithBeam(
                "warm-up",
                cluster,
                local,
                config,
                endpoint,
                warmUp,
                partitions,
                FaultSuite.noFaults(),
                false,
                fresh(dir, "warm-beam"));
            FaultSuite.Figures beamClean =
                FaultSuite.scoreWithBeam(
                    "InvokeEndpoint (Beam), no faults",
                    cluster,
                    local,
                    config,
                    endpoint,
                    rows,
                    partitions,
                    FaultSuite.noFaults(),
                    false,
                    fresh(dir, "beam-clean"));
            System.out.println(beamClean.report());
            FaultSuite.Figures beamFaults =
                FaultSuite.scoreWithBeam(
                    "InvokeEndpoint (Beam), faults",
                    cluster,
                    local,
                    config,
                    endpoint,
                    rows,
                    partitions,
                    FaultSuite.faults(2),
                    true,
                    fresh(dir, "beam-faults"));
            System.out.println(beamFaults.report());
            allMet &= summarize(lines, beamClean, beamFaults);
            if (paths.contains("nokill")) {
              FaultSuite.Figures noKill =
                  FaultSuite.scoreWithBeam(
                      "InvokeEndpoint (Beam), faults, no kill",
                      cluster,
                      local,
                      config,
                      endpoint,
                      rows,
                      partitions,
                      FaultSuite.faults(4),
                      false,
                      fresh(dir, "beam-nokill"));
              System.out.println(noKill.report());
              lines.add(noKill.report());
            }
          }
        } finally {
          try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
            new SageMakerResourceCleanup(client).deleteResources(model.getCreatedResources());
          }
        }
      }
    } finally {
      delete(dir);
    }
    System.out.println();
    System.out.println(
        "Fault suite: "
            + rows
            + " rows, "
            + partitions
            + " partitions, local-cluster[2,1,1024], faults "
            + FaultSuite.faults(0)
            + ", "
            + FaultSuite.ROWS_PER_REQUEST
            + " rows per request, retry policy: maxAttempts "
            + FaultSuite.POLICY.maxAttempts()
            + ", backoff "
            + FaultSuite.POLICY.baseBackoff()
            + ".."
            + FaultSuite.POLICY.maxBackoff()
            + ", maxRetryTime "
            + FaultSuite.POLICY.maxRetryTime()
            + ", "
            + FaultSuite.POLICY.maxInFlight()
            + " in flight per task"
            + ", Beam storage level "
            + FaultSuite.BEAM_STORAGE_LEVEL);
    lines.forEach(System.out::println);
    System.out.println(allMet ? "All targets met." : "Some targets NOT met.");
  }

  private static boolean summarize(
      List<String> lines, FaultSuite.Figures clean, FaultSuite.Figures faults) {
    double ratio = faults.rowsPerSecond() / clean.rowsPerSecond();
    lines.add(clean.report());
    lines.add(faults.report());
    boolean once = faults.exactlyOnce() && clean.exactlyOnce();
    boolean policy = faults.retriesWithinPolicy();
    boolean speed = ratio >= 0.70;
    lines.add(
        String.format(
            "  -> under faults %,.0f rows/s vs %,.0f rows/s without: %.0f%% (target >= 70%%: %s);"
                + " batches re-sent: %,d of %,d (%.1f%%); successes + failures = inputs,"
                + " 0 duplicates, 0 lost: %s; retries within policy: %s",
            faults.rowsPerSecond(),
            clean.rowsPerSecond(),
            100 * ratio,
            speed ? "met" : "NOT met",
            faults.resentBatches(),
            faults.expectedBatches(),
            100.0 * faults.resentBatches() / faults.expectedBatches(),
            once ? "met" : "NOT met",
            policy ? "met" : "NOT met"));
    return once && policy && speed;
  }

  private static Path fresh(Path dir, String name) throws IOException {
    Path path = dir.resolve(name);
    delete(path);
    return Files.createDirectories(path);
  }

  private static void delete(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
