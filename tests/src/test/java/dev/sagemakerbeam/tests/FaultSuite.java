package dev.sagemakerbeam.tests;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.local.faults.FaultInjector;
import dev.sagemakerbeam.local.faults.FaultSpec;
import dev.sagemakerbeam.local.faults.Latency;
import dev.sagemakerbeam.sdk.IAMRole;
import dev.sagemakerbeam.sdk.InferenceMetrics;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.inference.FailedElement;
import dev.sagemakerbeam.transforms.inference.InferenceSettings;
import dev.sagemakerbeam.transforms.inference.InvokeEndpoint;
import dev.sagemakerbeam.transforms.inference.PredictedElement;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.runners.spark.SparkContextOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The scoring runs of the fault suite, shared by {@code FaultSuiteTest} (small, always on) and
 * {@code FaultSuiteBenchmark} (a million rows, by hand): rows with unique ids scored against a
 * K-Means endpoint of SageMaker Local, through {@link SageMakerModel#transform} and through Beam's
 * {@link InvokeEndpoint} on the Spark runner, both on a {@link LocalSparkCluster}, under a {@link
 * FaultSpec}, optionally with one executor JVM killed (SIGKILL) mid-run; then the output's ids are
 * read back and checked against the input's.
 *
 * <p>Counts of retries and throttles are the client's: Beam's InvokeEndpoint reports the engine's
 * counters as metrics, {@code SageMakerModel.transform} as Spark accumulators ({@link
 * SageMakerModel#inferenceMetrics()}). Both count the task attempts that succeeded, so requests
 * sent by the tasks of a killed executor show only in SageMaker Local's {@link FaultInjector}
 * counts beside them (the "endpoint" figures), which count every answer per outcome.
 */
final class FaultSuite {
  static final int FEATURES = 8;
  static final int CLUSTERS = 4;
  static final int ROWS_PER_REQUEST = 100;

  /**
   * The retry policy under test, InferenceSettings' defaults (which SageMakerModel uses), with 16
   * requests in flight per task ({@code -DfaultSuite.maxInFlight=N} for another number; the default
   * is 4). A task's rate is at most its requests in flight divided by the time each holds its slot,
   * and under these faults a slot is held for the added 2..10 ms of latency and, for about one
   * request in eight, a backoff of up to 100 ms more: with 4 in flight that bound set the rate
   * under faults (1,000,000 rows without the kill, after a 250,000-row warm-up: Spark 86% of the
   * fault-free rate with 4 in flight, 102% with 16; Beam 96% and 103%). 64 in flight measured no
   * faster than 16 on 8,000,000 rows in 160 partitions; in 16 partitions, 64 gave the best rates
   * under faults.
   */
  static final InferenceSettings POLICY =
      InferenceSettings.builder("policy")
          .maxInFlight(Integer.getInteger("faultSuite.maxInFlight", 16))
          .build();

  /**
   * The Spark runner's storage level for the Beam runs. Its default, MEMORY_ONLY, caches a
   * multi-output ParDo's output (InvokeEndpoint's successes and failures) as objects; a task on the
   * other executor cannot fetch such a block (NotSerializableException: WindowedValue), so it
   * recomputes the partition, and every row of it is sent to the endpoint again (measured: 17,500
   * requests for 10,000 batches of a million rows on two executors). A serialized level caches the
   * coders' bytes, which the other executor can fetch. A replicated one ({@code _2}) also keeps a
   * copy of each block on a second executor: when an executor is lost, the stage's tasks that had
   * finished on it run again (their shuffle output went with it) and read the copy, instead of
   * recomputing the partition, which re-sends its rows (measured on 200,000 rows, 2,000 batches:
   * 2,435 ok answers with MEMORY_AND_DISK_SER; 2,050 and 2,072 with MEMORY_AND_DISK_SER_2, the
   * batches of the task that was running on the killed executor, in one run with one partition
   * more). {@code -DfaultSuite.beamStorageLevel=...} to measure another.
   */
  static final String BEAM_STORAGE_LEVEL =
      System.getProperty("faultSuite.beamStorageLevel", "MEMORY_AND_DISK_SER_2");

  private FaultSuite() {}

  /** 10% throttling, 2% 5xx (half 500, half 503), 2..10 ms of latency on every answered request. */
  static FaultSpec faults(long seed) {
    return FaultSpec.builder()
        .throttleRate(0.10)
        .internalFailureRate(0.01)
        .serviceUnavailableRate(0.01)
        .latency(Latency.uniform(Duration.ofMillis(2), Duration.ofMillis(10)))
        .seed(seed)
        .build();
  }

  /** No fault at all; set anyway so SageMaker Local counts the requests. */
  static FaultSpec noFaults() {
    return FaultSpec.builder().build();
  }

  /**
   * A K-Means model of {@value #CLUSTERS} clusters trained on 2,000 rows, hosted on an endpoint;
   * its transform keeps failed rows with their error in column {@code error}.
   */
  static SageMakerModel trainKMeans(SparkSession spark, SageMakerClientConfiguration config) {
    SageMakerEstimatorOptions options =
        SageMakerEstimatorOptions.builder()
            .clientConfiguration(config)
            .sagemakerRole(new IAMRole("arn:aws:iam::" + SageMakerLocal.ACCOUNT_ID + ":role/R"))
            .pollInterval(Duration.ofMillis(100))
            .trainingTimeout(Duration.ofMinutes(5))
            .endpointTimeout(Duration.ofMinutes(2))
            .maxRecordsPerRequest(ROWS_PER_REQUEST)
            .maxInFlightRequests(POLICY.maxInFlight())
            .modelErrorColumnName("error")
            .build();
    return new KMeansSageMakerEstimator(options)
        .setK(CLUSTERS)
        .setFeatureDim(FEATURES)
        .setMiniBatchSize(500)
        .fit(inputRows(spark, 2000, 2));
  }

  /** Rows {@code id} (0 until {@code rows}) and {@code features}, a function of the id. */
  static Dataset<Row> inputRows(SparkSession spark, long rows, int partitions) {
    Column[] values = new Column[FEATURES];
    for (int j = 0; j < FEATURES; j++) {
      values[j] = functions.sin(col("id").multiply(0.37 * (j + 1)));
    }
    return spark
        .range(0, rows, 1, partitions)
        .withColumn(
            "features", org.apache.spark.ml.functions.array_to_vector(functions.array(values)));
  }

  /** The features of row {@code id}, as {@link #inputRows} computes them. */
  static FeatureVector features(Long id) {
    double[] values = new double[FEATURES];
    for (int j = 0; j < FEATURES; j++) {
      values[j] = Math.sin(id * (0.37 * (j + 1)));
    }
    return FeatureVector.dense(values);
  }

  /** The requests SageMaker Local has answered for {@code endpoint} since its spec was set. */
  static Map<FaultInjector.Outcome, Long> answers(SageMakerLocal local, String endpoint) {
    Map<String, FaultInjector.Active> specs = local.faults().endpointFaults().get(endpoint);
    if (specs == null || !specs.containsKey("")) {
      throw new IllegalStateException("no fault spec set for endpoint " + endpoint);
    }
    return specs.get("").counts();
  }

  static long total(Map<FaultInjector.Outcome, Long> answers) {
    return answers.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Requests a run of {@code rows} rows makes without faults. */
  static long batches(long rows, int partitions) {
    long perPartition = (rows + partitions - 1) / partitions;
    return partitions * ((perPartition + ROWS_PER_REQUEST - 1) / ROWS_PER_REQUEST);
  }

  /** What one run did. */
  record Figures(
      String run,
      long rowsIn,
      long successes,
      long failures,
      long duplicates,
      long lost,
      long retries,
      long throttles,
      String countedBy,
      long serverRequests,
      long serverAnswersOk,
      long serverFaulted,
      long batches,
      long expectedBatches,
      int maxAttemptsOfAFailedRow,
      long wallNanos,
      String killed,
      String executorLoss,
      CpuMeter.Used cpu) {

    double rowsPerSecond() {
      return rowsIn / (wallNanos / 1e9);
    }

    /**
     * Batches the endpoint answered ok more than once, at least: ok answers beyond {@link
     * #expectedBatches} (the batches of the input, each answered ok once unless it fails). Rows the
     * engine sent again, for a task lost with its executor or for a partition recomputed.
     */
    long resentBatches() {
      return Math.max(0, serverAnswersOk - expectedBatches);
    }

    /** Whether every row came out exactly once, as a success or a failure. */
    boolean exactlyOnce() {
      return successes + failures == rowsIn && duplicates == 0 && lost == 0;
    }

    /**
     * Whether the retries stay within the policy: no failed row was tried more than maxAttempts
     * times, and no more than maxAttempts - 1 retries per batch overall.
     */
    boolean retriesWithinPolicy() {
      return maxAttemptsOfAFailedRow <= POLICY.maxAttempts()
          && retries <= (long) (POLICY.maxAttempts() - 1) * batches;
    }

    String report() {
      return String.format(
          "%-34s rows in %,d | successes %,d | failures %,d | duplicates %,d | lost %,d |"
              + " retries %,d | throttles %,d (%s) | endpoint: requests %,d, ok %,d, faulted %,d |"
              + " batches %,d (of %,d; re-sent >= %,d) | wall %.1f s | %,.0f rows/s | %s |"
              + " killed: %s%s",
          run,
          rowsIn,
          successes,
          failures,
          duplicates,
          lost,
          retries,
          throttles,
          countedBy,
          serverRequests,
          serverAnswersOk,
          serverFaulted,
          batches,
          expectedBatches,
          resentBatches(),
          wallNanos / 1e9,
          rowsPerSecond(),
          cpu.describe(rowsIn),
          killed,
          executorLoss.isEmpty() ? "" : " | " + executorLoss);
    }
  }

  /**
   * What losing an executor cost a run, from Spark's own events: when the executor was lost, how
   * long its replacement took to register, and how long the replacement's first task took (and of
   * that, deserializing it) beside the other tasks of the same stage; then, from the executor JVMs
   * themselves, how much of the replacement's life its JIT compilers took. A JVM started mid-run is
   * cold: on a machine whose cores the other executor, the driver and SageMaker Local already use,
   * its warm-up is what the kill costs beyond the lost task.
   */
  static final class ExecutorLossWatch extends SparkListener implements AutoCloseable {
    private record TaskRun(
        String executor, int stage, long launch, long millis, long deserialize) {}

    private final SparkContext context;
    private final long start = System.currentTimeMillis();
    private final Map<String, Long> removed = new ConcurrentHashMap<>();
    private final Map<String, Long> added = new ConcurrentHashMap<>();
    private final List<TaskRun> tasks = java.util.Collections.synchronizedList(new ArrayList<>());

    ExecutorLossWatch(SparkContext context) {
      this.context = context;
      context.addSparkListener(this);
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved event) {
      removed.put(event.executorId(), event.time());
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded event) {
      added.put(event.executorId(), event.time());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
      if (!event.taskInfo().successful()) {
        return;
      }
      TaskInfo info = event.taskInfo();
      long deserialize =
          event.taskMetrics() == null ? 0 : event.taskMetrics().executorDeserializeTime();
      tasks.add(
          new TaskRun(
              info.executorId(),
              event.stageId(),
              info.launchTime(),
              info.finishTime() - info.launchTime(),
              deserialize));
    }

    /**
     * The figures, or "" when no executor was lost; {@code jvms} as {@link
     * LocalSparkCluster#executorJvms()}.
     */
    String summary(Map<Long, String> jvms) {
      if (removed.isEmpty()) {
        return "";
      }
      StringBuilder out = new StringBuilder();
      removed.forEach(
          (lost, at) ->
              out.append(String.format("executor %s lost at %.1f s", lost, (at - start) / 1e3)));
      added.forEach(
          (id, at) -> {
            out.append(
                String.format(
                    ", executor %s registered %.1f s later",
                    id, (at - removed.values().iterator().next()) / 1e3));
            List<TaskRun> own;
            synchronized (tasks) {
              own =
                  tasks.stream()
                      .filter(t -> t.executor().equals(id))
                      .sorted(java.util.Comparator.comparingLong(TaskRun::launch))
                      .toList();
            }
            if (own.isEmpty()) {
              return;
            }
            TaskRun first = own.get(0);
            long[] others;
            synchronized (tasks) {
              others =
                  tasks.stream()
                      .filter(t -> t.stage() == first.stage() && !t.executor().equals(id))
                      .mapToLong(TaskRun::millis)
                      .sorted()
                      .toArray();
            }
            out.append(
                String.format(
                    "; its first task %.1f s (deserializing %.1f s)",
                    first.millis() / 1e3, first.deserialize() / 1e3));
            if (others.length > 0) {
              out.append(
                  String.format(
                      ", the stage's tasks on the other executor: median %.1f s, longest %.1f s",
                      others[others.length / 2] / 1e3, others[others.length - 1] / 1e3));
            }
          });
      if (!jvms.isEmpty()) {
        out.append("; executor JVMs after the run: ").append(jvms);
      }
      return out.toString();
    }

    /**
     * Waits (after the run, outside its wall time) until Spark has reported an executor lost and
     * one added, at most {@code timeout}: listener events arrive asynchronously, and a replacement
     * can register after a short run has ended.
     */
    void awaitReplacement(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while ((removed.isEmpty() || added.isEmpty()) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }

    @Override
    public void close() {
      context.removeSparkListener(this);
    }
  }

  /**
   * Kills one executor JVM (SIGKILL) once SageMaker Local has answered {@code afterRequests}
   * requests of {@code endpoint}, i.e. at a point of the run's progress, not of time.
   */
  static final class ExecutorKiller implements AutoCloseable {
    private final Thread thread;
    private volatile String killed = "no (the run ended first)";

    ExecutorKiller(SageMakerLocal local, String endpoint, long afterRequests, long pid) {
      thread =
          new Thread(
              () -> {
                try {
                  while (total(answers(local, endpoint)) < afterRequests) {
                    Thread.sleep(2);
                  }
                  boolean done =
                      ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
                  killed =
                      (done ? "pid " + pid : "pid " + pid + " (gone already)")
                          + " after "
                          + afterRequests
                          + " requests";
                } catch (InterruptedException e) {
                  // the run ended first
                } catch (RuntimeException e) {
                  killed = "no: " + e;
                }
              },
              "executor-killer");
      thread.setDaemon(true);
      thread.start();
    }

    String killed() {
      return killed;
    }

    @Override
    public void close() throws InterruptedException {
      thread.interrupt();
      thread.join();
    }
  }

  private static ExecutorKiller killer(
      LocalSparkCluster cluster,
      SageMakerLocal local,
      String endpoint,
      boolean kill,
      long expectedRequests,
      int partitions) {
    if (!kill) {
      return null;
    }
    Set<Long> pids = new TreeSet<>(cluster.executorPids());
    pids.remove(ProcessHandle.current().pid());
    if (pids.isEmpty()) {
      throw new IllegalStateException("no executor JVM found to kill");
    }
    // about 40% into the run, half-way through a task: equal partitions run in lockstep on the two
    // executors, so 40% alone can fall between two waves of tasks, where a kill costs no work
    long after = expectedRequests * 4 / 10 + expectedRequests / partitions / 2;
    return new ExecutorKiller(local, endpoint, Math.max(1, after), pids.iterator().next());
  }

  /**
   * Scores {@code rows} rows through {@code model.transform} with {@code spec} in force, writes
   * (id, closest_cluster, error) as Parquet to {@code out} in one job, and reads it back.
   */
  static Figures scoreWithSpark(
      String run,
      LocalSparkCluster cluster,
      SageMakerLocal local,
      SageMakerModel model,
      long rows,
      int partitions,
      FaultSpec spec,
      boolean kill,
      Path out)
      throws InterruptedException {
    SparkSession spark = cluster.spark();
    cluster.awaitExecutors(Duration.ofMinutes(2));
    String endpoint = model.getEndpointName();
    long batches = batches(rows, partitions);
    local.faults().set(endpoint, spec); // restarts the counts
    // a model object of its own, whose accumulators count this run alone
    SageMakerModel scoring = SageMakerModel.fromEndpoint(endpoint, model.getOptions());
    ExecutorKiller killer = killer(cluster, local, endpoint, kill, batches, partitions);
    ExecutorLossWatch watch = new ExecutorLossWatch(spark.sparkContext());
    CpuMeter cpu = CpuMeter.start();
    long start = System.nanoTime();
    scoring
        .transform(inputRows(spark, rows, partitions))
        .select("id", "closest_cluster", "error")
        .write()
        .mode("overwrite")
        .parquet(out.toString());
    long wall = System.nanoTime() - start;
    CpuMeter.Used used = cpu.used();
    String killed = "not asked";
    if (killer != null) {
      killer.close();
      killed = killer.killed();
    }
    if (kill) {
      watch.awaitReplacement(Duration.ofSeconds(60));
    }
    watch.close();
    String loss = watch.summary(kill ? cluster.executorJvms() : Map.of());
    Map<FaultInjector.Outcome, Long> answers = answers(local, endpoint);

    Dataset<Row> back = spark.read().parquet(out.toString());
    Row agg =
        back.agg(
                count(lit(1)),
                countDistinct(col("id")),
                sum(when(col("error").isNull(), 1).otherwise(0)),
                sum(when(col("id").lt(0).or(col("id").geq(rows)), 1).otherwise(0)),
                max(regexp_extract(col("error"), "attempts=(\\d+)", 1).cast("int")))
            .first();
    long total = agg.getLong(0);
    long distinct = agg.getLong(1);
    long successes = agg.isNullAt(2) ? 0 : agg.getLong(2);
    long outOfRange = agg.isNullAt(3) ? 0 : agg.getLong(3);
    int maxAttempts = agg.isNullAt(4) ? 0 : agg.getInt(4);
    long ok = answers.get(FaultInjector.Outcome.NONE);
    long faulted = total(answers) - ok;
    InferenceMetrics client = scoring.inferenceMetrics().orElseThrow();
    return new Figures(
        run,
        rows,
        successes,
        total - successes,
        total - distinct,
        rows - (distinct - outOfRange),
        client.retries(),
        client.throttles(),
        "client side",
        total(answers),
        ok,
        faulted,
        // each batch ends in one ok answer or in failed rows
        ok + (total - successes),
        batches,
        maxAttempts,
        wall,
        killed,
        loss,
        used);
  }

  /**
   * Scores ids 0 until {@code rows} through Beam's InvokeEndpoint on the Spark runner, in the
   * cluster's SparkContext, with {@code spec} in force; successes and failures are written as text
   * ({@code S id} / {@code F id attempts}) to {@code out} and read back.
   */
  static Figures scoreWithBeam(
      String run,
      LocalSparkCluster cluster,
      SageMakerLocal local,
      SageMakerClientConfiguration config,
      String endpoint,
      long rows,
      int partitions,
      FaultSpec spec,
      boolean kill,
      Path out)
      throws InterruptedException, IOException {
    cluster.awaitExecutors(Duration.ofMinutes(2));
    SparkContextOptions options = PipelineOptionsFactory.as(SparkContextOptions.class);
    options.setRunner(SparkRunner.class);
    options.setUsesProvidedSparkContext(true);
    options.setProvidedSparkContext(
        JavaSparkContext.fromSparkContext(cluster.spark().sparkContext()));
    options.setEnableSparkMetricSinks(false);
    options.setStorageLevel(BEAM_STORAGE_LEVEL);
    Pipeline pipeline = Pipeline.create(options);
    InvokeEndpoint.Result<Long, KMeansPrediction> scored =
        pipeline
            .apply("Ids", GenerateSequence.from(0).to(rows))
            .apply(
                "Score",
                InvokeEndpoint.create(
                        endpoint,
                        RecordIoProtobufRequestSerializer.of(FaultSuite::features),
                        new KMeansProtobufResponseDeserializer())
                    .withClientConfiguration(config)
                    .withSettings(
                        InferenceSettings.builder(endpoint)
                            .maxRecordsPerRequest(ROWS_PER_REQUEST)
                            .maxInFlight(POLICY.maxInFlight())
                            .build()));
    PCollection<String> successes =
        scored
            .successes()
            .apply(
                "Successes",
                MapElements.into(TypeDescriptors.strings())
                    .via((PredictedElement<Long, KMeansPrediction> e) -> "S " + e.input()));
    PCollection<String> failures =
        scored
            .failures()
            .apply(
                "Failures",
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        (FailedElement<Long> f) ->
                            "F " + f.input() + " " + f.failure().attempts()));
    PCollectionList.of(successes)
        .and(failures)
        .apply(Flatten.pCollections())
        .apply(TextIO.write().to(out.resolve("part").toString()).withNumShards(partitions));

    long batches = batches(rows, partitions);
    local.faults().set(endpoint, spec);
    ExecutorKiller killer = killer(cluster, local, endpoint, kill, batches, partitions);
    ExecutorLossWatch watch = new ExecutorLossWatch(cluster.spark().sparkContext());
    CpuMeter cpu = CpuMeter.start();
    long start = System.nanoTime();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    long wall = System.nanoTime() - start;
    CpuMeter.Used used = cpu.used();
    String killed = "not asked";
    if (killer != null) {
      killer.close();
      killed = killer.killed();
    }
    if (kill) {
      watch.awaitReplacement(Duration.ofSeconds(60));
    }
    watch.close();
    String loss = watch.summary(kill ? cluster.executorJvms() : Map.of());
    Map<FaultInjector.Outcome, Long> answers = answers(local, endpoint);

    long clientRequests = 0;
    long clientRetries = 0;
    long clientThrottles = 0;
    for (MetricResult<Long> counter :
        result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (!counter.getName().getNamespace().equals("InvokeEndpoint")) {
        continue;
      }
      switch (counter.getName().getName()) {
        case "requests" -> clientRequests += counter.getAttempted();
        case "retries" -> clientRetries += counter.getAttempted();
        case "throttles" -> clientThrottles += counter.getAttempted();
        default -> {}
      }
    }

    BitSet seen = new BitSet();
    long okRows = 0;
    long failedRows = 0;
    long duplicates = 0;
    int maxAttempts = 0;
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(out, "part*")) {
      parts.forEach(files::add);
    }
    for (Path file : files) {
      try (BufferedReader reader = Files.newBufferedReader(file)) {
        String line;
        while ((line = reader.readLine()) != null) {
          String[] fields = line.split(" ");
          int id = Integer.parseInt(fields[1]);
          if (seen.get(id)) {
            duplicates++;
          }
          seen.set(id);
          if (fields[0].equals("S")) {
            okRows++;
          } else {
            failedRows++;
            maxAttempts = Math.max(maxAttempts, Integer.parseInt(fields[2]));
          }
        }
      }
    }
    long inRange = seen.get(0, (int) rows).cardinality();
    long ok = answers.get(FaultInjector.Outcome.NONE);
    return new Figures(
        run,
        rows,
        okRows,
        failedRows,
        duplicates,
        rows - inRange,
        clientRetries,
        clientThrottles,
        "client side",
        total(answers),
        ok,
        total(answers) - ok,
        clientRequests - clientRetries,
        batches,
        maxAttempts,
        wall,
        killed,
        loss,
        used);
  }
}
