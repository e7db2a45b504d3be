package dev.sagemakerbeam.tests;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The fault suite on small data, always on: 20,000 rows with unique ids scored against a K-Means
 * endpoint under 10% throttling, 2% 5xx and jittered latency, on a {@code local-cluster[2,1,1024]}
 * (two executor JVMs) with one executor killed (SIGKILL) mid-run, through {@link
 * SageMakerModel#transform} and through Beam's InvokeEndpoint on the Spark runner. Every row comes
 * out exactly once (success or failure), retries stay within the retry policy, and the Beam path
 * sends again no more than two partitions' batches for the lost executor. Speed is measured by
 * {@code FaultSuiteBenchmark}, not here.
 */
class FaultSuiteTest {
  private static final long ROWS = 20_000;

  /**
   * Partitions of 1,000 rows, 10 batches: the kill (at 40% of the batches and half a task) finds
   * about 8 tasks finished, half of them on the killed executor, so the Beam path's bound on
   * re-sent batches (two partitions' worth) tells recomputed partitions from the lost task.
   */
  private static final int PARTITIONS = 20;

  @TempDir static Path dir;

  private static SageMakerLocal local;
  private static SageMakerClientConfiguration config;
  private static LocalSparkCluster cluster;
  private static SageMakerModel model;

  @BeforeAll
  static void start() throws Exception {
    local =
        SageMakerLocal.builder()
            .dataDirectory(Files.createDirectories(dir.resolve("local")))
            .port(0)
            .s3Port(0)
            .build();
    config = SageMakerLocalExtension.configurationFor(local);
    cluster =
        LocalSparkCluster.start(
            2,
            "FaultSuiteTest",
            dir,
            Map.of("spark.default.parallelism", Integer.toString(PARTITIONS)));
    cluster.spark().sparkContext().setLogLevel("WARN");
    model = FaultSuite.trainKMeans(cluster.spark(), config);
  }

  @AfterAll
  static void stop() {
    try {
      if (model != null) {
        try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
          new SageMakerResourceCleanup(client).deleteResources(model.getCreatedResources());
        }
      }
    } finally {
      try {
        if (cluster != null) {
          cluster.close();
        }
      } finally {
        if (local != null) {
          local.close();
        }
      }
    }
  }

  private static void assertTargets(FaultSuite.Figures figures) {
    System.out.println(figures.report());
    assertThat(figures.report(), figures.killed(), startsWith("pid "));
    // Spark saw the executor go and its replacement come (what the benchmark reports it cost)
    assertThat(figures.report(), figures.executorLoss(), containsString(" lost at "));
    assertThat(figures.report(), figures.executorLoss(), containsString(" registered "));
    assertThat(figures.report(), figures.successes() + figures.failures(), is(ROWS));
    assertThat(figures.report(), figures.duplicates(), is(0L));
    assertThat(figures.report(), figures.lost(), is(0L));
    // the faults were there and were retried, within the policy
    assertThat(figures.report(), figures.serverFaulted(), greaterThan(0L));
    assertThat(figures.report(), figures.retries(), greaterThan(0L));
    assertThat(figures.report(), figures.throttles(), greaterThan(0L));
    assertThat(
        figures.report(),
        figures.maxAttemptsOfAFailedRow(),
        lessThanOrEqualTo(FaultSuite.POLICY.maxAttempts()));
    assertThat(
        figures.report(),
        figures.retries(),
        lessThanOrEqualTo((FaultSuite.POLICY.maxAttempts() - 1L) * figures.batches()));
    assertThat(figures.report(), figures.retriesWithinPolicy(), is(true));
    assertThat(figures.report(), figures.exactlyOnce(), is(true));
  }

  @Test
  void sparkTransformUnderFaultsWithAnExecutorKilled() throws Exception {
    FaultSuite.Figures figures =
        FaultSuite.scoreWithSpark(
            "SageMakerModel.transform, faults",
            cluster,
            local,
            model,
            ROWS,
            PARTITIONS,
            FaultSuite.faults(11),
            true,
            dir.resolve("spark-out"));
    assertTargets(figures);
    // the accumulators (SageMakerModel.inferenceMetrics) agree with what the endpoint answered:
    // the killed executor's requests are answered but not counted by its unfinished tasks
    assertThat(figures.report(), figures.retries(), lessThanOrEqualTo(figures.serverFaulted()));
  }

  @Test
  void beamInvokeEndpointOnSparkRunnerUnderFaultsWithAnExecutorKilled() throws Exception {
    FaultSuite.Figures figures =
        FaultSuite.scoreWithBeam(
            "InvokeEndpoint (Beam), faults",
            cluster,
            local,
            config,
            model.getEndpointName(),
            ROWS,
            PARTITIONS,
            FaultSuite.faults(12),
            true,
            Files.createDirectories(dir.resolve("beam-out")));
    assertTargets(figures);
    // the engine's own counters agree with what the endpoint answered (the killed task's requests
    // are answered but not counted by the client, whose counts come from finished tasks)
    assertThat(figures.report(), figures.retries(), lessThanOrEqualTo(figures.serverFaulted()));
    // the lost executor costs the task it was running, not the ones that had finished on it: with
    // a replicated storage level (FaultSuite.BEAM_STORAGE_LEVEL) their rerun reads InvokeEndpoint's
    // cached output from the other executor instead of sending its rows again. Allowed: the lost
    // task's batches, and one more partition's for a race (a task reading a partition the new
    // executor is still computing computes it too), 20 of 200. Measured: 6 re-sent with
    // MEMORY_AND_DISK_SER_2, 49 with MEMORY_AND_DISK_SER (the finished tasks' partitions
    // recomputed).
    long perPartition = FaultSuite.batches(ROWS, PARTITIONS) / PARTITIONS;
    assertThat(figures.report(), figures.resentBatches(), lessThanOrEqualTo(2 * perPartition));
  }
}
