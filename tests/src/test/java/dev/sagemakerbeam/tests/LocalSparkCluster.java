package dev.sagemakerbeam.tests;

import dev.sagemakerbeam.examples.LocalClusterExecutors;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark {@code local-cluster[n,1,1024]}: a Master and {@code n} Workers from Spark's own classes,
 * each Worker launching its executor in a JVM of its own, as {@code SparkClusterTest} starts it.
 * Executors start without a Spark distribution, with this JVM's classpath and Java 17 flags,
 * through {@link LocalClusterExecutors} (as the examples' {@code --master local-cluster[...]} start
 * them). One cluster per JVM at a time: Spark allows one active SparkContext. For benchmarks,
 * {@code -DlocalCluster.executorCores=N} gives each executor N task slots instead of one, and
 * {@code -DlocalCluster.executorJavaOptions=...} adds JVM flags to the executors.
 */
final class LocalSparkCluster implements AutoCloseable {
  private final SparkSession spark;
  private final int executors;

  private LocalSparkCluster(SparkSession spark, int executors) {
    this.spark = spark;
    this.executors = executors;
  }

  /**
   * Starts {@code local-cluster[executors,1,1024]} and waits until every executor has registered.
   *
   * @param scratch where to make a Spark home when {@code SPARK_HOME} is not set
   * @param conf further Spark settings
   */
  static LocalSparkCluster start(
      int executors, String appName, Path scratch, Map<String, String> conf) throws IOException {
    String home = System.getenv("SPARK_HOME");
    Path sparkHome = home != null ? Path.of(home) : scratch.resolve("spark-home");
    // for profiling, e.g.
    // -DlocalCluster.executorJavaOptions=-XX:StartFlightRecording=filename=/tmp/
    String more = System.getProperty("localCluster.executorJavaOptions", "");
    int cores = Integer.getInteger("localCluster.executorCores", 1);
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local-cluster[" + executors + "," + cores + ",1024]")
            .appName(appName)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", Integer.toString(2 * executors));
    LocalClusterExecutors.configure(builder, sparkHome, more);
    conf.forEach(builder::config);
    LocalSparkCluster cluster = new LocalSparkCluster(builder.getOrCreate(), executors);
    cluster.awaitExecutors(Duration.ofMinutes(2));
    return cluster;
  }

  SparkSession spark() {
    return spark;
  }

  int executors() {
    return executors;
  }

  /** Waits until all executors are registered (after a start, or after one was killed). */
  void awaitExecutors(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    // getExecutorInfos() lists the driver too
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < executors + 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            executors + " executors did not register within " + timeout.toSeconds() + " s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * The process ids of the executor JVMs, from a job of many small partitions (so each executor
   * runs some); never this JVM's.
   */
  Set<Long> executorPids() {
    MapPartitionsFunction<Long, Long> pid =
        (Iterator<Long> rows) -> List.of(ProcessHandle.current().pid()).iterator();
    int partitions = 8 * executors;
    for (int round = 0; ; round++) {
      Set<Long> pids =
          Set.copyOf(
              spark
                  .range(0, partitions, 1, partitions)
                  .as(Encoders.LONG())
                  .mapPartitions(
                      (MapPartitionsFunction<Long, Long>)
                          rows -> {
                            Thread.sleep(50); // so one executor cannot take every partition
                            return pid.call(rows);
                          },
                      Encoders.LONG())
                  .collectAsList());
      if (pids.size() >= executors || round >= 20) {
        return pids;
      }
    }
  }

  /**
   * Per executor JVM, by process id: how long it has run and how much of that its JIT compilers and
   * its garbage collector took (what a JVM started mid-run, cold, spends warming up).
   */
  Map<Long, String> executorJvms() {
    MapPartitionsFunction<Long, String> state =
        (Iterator<Long> rows) -> {
          Thread.sleep(50); // so one executor cannot take every partition
          long gc =
              ManagementFactory.getGarbageCollectorMXBeans().stream()
                  .mapToLong(b -> Math.max(0, b.getCollectionTime()))
                  .sum();
          return List.of(
                  ProcessHandle.current().pid()
                      + " "
                      + String.format(
                          "up %.1f s, JIT %.1f s, GC %.1f s",
                          ManagementFactory.getRuntimeMXBean().getUptime() / 1e3,
                          ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3,
                          gc / 1e3))
              .iterator();
        };
    int partitions = 8 * executors;
    Map<Long, String> jvms = new java.util.TreeMap<>();
    for (int round = 0; round < 20 && jvms.size() < executors; round++) {
      for (String line :
          spark
              .range(0, partitions, 1, partitions)
              .as(Encoders.LONG())
              .mapPartitions(state, Encoders.STRING())
              .collectAsList()) {
        int space = line.indexOf(' ');
        jvms.putIfAbsent(Long.parseLong(line.substring(0, space)), line.substring(space + 1));
      }
    }
    return jvms;
  }

  /** Stops the SparkSession (Master, Workers and executors with it). */
  @Override
  public void close() {
    spark.stop();
  }
}
