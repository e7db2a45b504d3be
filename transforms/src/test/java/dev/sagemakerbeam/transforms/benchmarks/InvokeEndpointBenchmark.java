package dev.sagemakerbeam.transforms.benchmarks;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.inference.InferenceBatchEngine;
import dev.sagemakerbeam.transforms.inference.InferenceOutcomeReceiver;
import dev.sagemakerbeam.transforms.inference.InferenceSettings;
import dev.sagemakerbeam.transforms.inference.InvocationFailure;
import dev.sagemakerbeam.transforms.inference.InvokeEndpoint;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import dev.sagemakerbeam.transforms.testing.FakeSageMakerRuntime;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.beam.runners.spark.SparkContextOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;

/**
 * Rows per second through InvokeEndpoint against an endpoint answering after a fixed 50 ms with
 * capacity to spare (a loopback server with 96 threads that counts rows without decoding them),
 * 784-feature dense rows, 100 rows per request, at 1, 4 and 16 requests in flight, beside the
 * theoretical rate {@code concurrency x 100 / 0.05 s}: first through the engine alone (what the
 * Spark model calls per partition), then as a Beam pipeline on the Direct runner. Then the mean
 * request body as a share of the 6 MB limit for a steady stream of rows of varying size.
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -B -q -pl transforms -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/transforms-cp.txt -Dmdep.includeScope=test
 * java -Xmx2g -cp transforms/target/test-classes:transforms/target/classes:io/target/classes:$(cat /tmp/transforms-cp.txt) \
 *     dev.sagemakerbeam.transforms.benchmarks.InvokeEndpointBenchmark [seconds-per-run [spark]]
 * </pre>
 *
 * <p>With {@code spark}, the pipeline also runs on Beam's Spark runner over one provided
 * SparkContext ({@code local[1]}); add the parent pom's {@code spark.java17.opens} flags to the
 * {@code java} command then.
 */
public final class InvokeEndpointBenchmark {
  private static final int FEATURES = 784;
  private static final int ROWS_PER_REQUEST = 100;
  private static final long LATENCY_MILLIS = 50;
  private static final int[] CONCURRENCY = {1, 4, 16};

  /**
   * Seconds of work at 16 in flight before the first measurement. The JIT compiles the whole path
   * (encoding, the SDK's pipeline and signer, Netty, the test endpoint) for 30-40 s on 2 cores; the
   * first seconds run at ~45% of the steady rate and it takes ~20 s to pass 95% of it.
   */
  private static final double WARMUP_SECONDS =
      Double.parseDouble(System.getProperty("benchmark.warmup", "25"));

  private InvokeEndpointBenchmark() {}

  /**
   * 1024 distinct rows, made once: the benchmark measures InvokeEndpoint (encoding, framing, HTTP,
   * decoding), not the generation of random data.
   */
  private static final FeatureVector[] ROWS = new FeatureVector[1024];

  static {
    for (int i = 0; i < ROWS.length; i++) {
      ROWS[i] = makeRow(i);
    }
  }

  /** The 784-feature row for an id. */
  static FeatureVector row(long id) {
    return ROWS[(int) (id & (ROWS.length - 1))];
  }

  /** A deterministic 784-feature row (pixel-like values in [0, 1)). */
  private static FeatureVector makeRow(long id) {
    SplittableRandom random = new SplittableRandom(id);
    double[] values = new double[FEATURES];
    for (int i = 0; i < FEATURES; i++) {
      values[i] = random.nextInt(256) / 256.0;
    }
    return FeatureVector.dense(values);
  }

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 6;
    try (FakeSageMakerRuntime server = FakeSageMakerRuntime.start(96)) {
      server.endpoint("bench").latency(LATENCY_MILLIS).cheap();
      server.endpoint("fill").cheap();
      SageMakerClientConfiguration config =
          SageMakerClientConfiguration.forLocal(
              server.endpoint(),
              server.endpoint(),
              server.endpoint(),
              server.endpoint(),
              "us-east-1",
              "bench-access-key",
              "bench-secret-key");

      System.out.printf(
          Locale.ROOT,
          "InvokeEndpoint: %d features/row, %d rows/request, endpoint latency %d ms, %d cores%n",
          FEATURES,
          ROWS_PER_REQUEST,
          LATENCY_MILLIS,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          Locale.ROOT,
          "%-8s %11s %9s %9s %9s %8s %12s %8s%n",
          "runner",
          "concurrency",
          "rows",
          "theory",
          "rows/s",
          "%",
          "busy rows/s",
          "%");

      double theoryAt16 = 16 * ROWS_PER_REQUEST * 1000.0 / LATENCY_MILLIS;
      engineRun(config, 16, (long) (theoryAt16 * WARMUP_SECONDS));
      double[] engine = sweep(server, "engine", (c, rows) -> engineRun(config, c, rows), seconds);

      directRun(
          config, 16, (long) (theoryAt16 * WARMUP_SECONDS / 2)); // the runner's classes and JIT
      double[] direct = sweep(server, "direct", (c, rows) -> directRun(config, c, rows), seconds);
      System.out.printf(
          Locale.ROOT,
          "speed-up 16 vs 1: engine %.1fx, direct runner %.1fx (target >= 10x)%n",
          engine[2] / engine[0],
          direct[2] / direct[0]);
      sweep(
          server,
          "sequence",
          new int[] {16},
          (c, rows) ->
              runnerRun(
                  config, c, rows, PipelineOptionsFactory.fromArgs(DIRECT_ARGS).create(), true),
          seconds); // see EmitIds

      if (args.length > 1 && args[1].equals("spark")) {
        // One SparkContext for every run, as in a Spark application that runs Beam pipelines: the
        // rates measure the pipelines, not the start of a new SparkContext each time.
        try (JavaSparkContext sparkContext =
            new JavaSparkContext(
                new SparkConf()
                    .setMaster("local[1]")
                    .setAppName("InvokeEndpointBenchmark")
                    .set("spark.ui.enabled", "false"))) {
          sparkRun(config, sparkContext, 16, (long) (theoryAt16 * WARMUP_SECONDS / 2)); // warm-up
          double[] spark =
              sweep(server, "spark", (c, rows) -> sparkRun(config, sparkContext, c, rows), seconds);
          System.out.printf(
              Locale.ROOT,
              "speed-up 16 vs 1: spark runner %.1fx (target >= 10x)%n",
              spark[2] / spark[0]);
        }
      }

      fill(config);
    }
  }

  /**
   * One measured run: rows through InvokeEndpoint at a concurrency, returning rows/s by wall time.
   */
  private interface Run {
    double rate(int concurrency, long rows) throws Exception;
  }

  /**
   * Runs each concurrency for {@code seconds} of theoretical work and prints two rates: by wall
   * time (for a pipeline: submission, DoFn setup and teardown included) and while the endpoint was
   * busy (first request in to last answer out), each beside the theoretical rate. Returns the wall
   * rates.
   */
  private static double[] sweep(FakeSageMakerRuntime server, String runner, Run run, double seconds)
      throws Exception {
    return sweep(server, runner, CONCURRENCY, run, seconds);
  }

  private static double[] sweep(
      FakeSageMakerRuntime server, String runner, int[] concurrencies, Run run, double seconds)
      throws Exception {
    double[] rates = new double[concurrencies.length];
    for (int k = 0; k < concurrencies.length; k++) {
      int c = concurrencies[k];
      double theory = c * ROWS_PER_REQUEST * 1000.0 / LATENCY_MILLIS;
      long rows = (long) (theory * seconds);
      server.endpoint("bench").latency(LATENCY_MILLIS).cheap(); // fresh counters and times
      rates[k] = run.rate(c, rows);
      double busy = rows / server.received("bench").busySeconds();
      System.out.printf(
          Locale.ROOT,
          "%-8s %11d %9d %9.0f %9.0f %7.1f%% %12.0f %7.1f%%%n",
          runner,
          c,
          rows,
          theory,
          rates[k],
          100 * rates[k] / theory,
          busy,
          100 * busy / theory);
    }
    return rates;
  }

  /** Rows through the engine alone, as one Spark task would drive it. */
  private static double engineRun(SageMakerClientConfiguration config, int concurrency, long rows)
      throws Exception {
    InferenceSettings settings =
        InferenceSettings.builder("bench")
            .maxRecordsPerRequest(ROWS_PER_REQUEST)
            .maxInFlight(concurrency)
            .build();
    long[] outcomes = new long[2];
    InferenceOutcomeReceiver<Long, KMeansPrediction> receiver =
        new InferenceOutcomeReceiver<>() {
          @Override
          public void onSuccess(Long element, Object tag, KMeansPrediction prediction) {
            outcomes[0]++;
          }

          @Override
          public void onFailure(Long element, Object tag, InvocationFailure failure) {
            outcomes[1]++;
          }
        };
    try (SageMakerRuntimeAsyncClient client = SageMakerClients.runtimeAsync(config, concurrency);
        InferenceBatchEngine<Long, KMeansPrediction> engine =
            new InferenceBatchEngine<>(
                settings,
                client,
                RecordIoProtobufRequestSerializer.of(InvokeEndpointBenchmark::row),
                new KMeansProtobufResponseDeserializer())) {
      long start = System.nanoTime();
      for (long i = 0; i < rows; i++) {
        engine.add(i, null, receiver);
      }
      engine.flush(receiver);
      double elapsed = (System.nanoTime() - start) / 1e9;
      if (outcomes[0] != rows) {
        throw new IllegalStateException(
            "expected "
                + rows
                + " successes, got "
                + outcomes[0]
                + " and "
                + outcomes[1]
                + " failures");
      }
      return rows / elapsed;
    }
  }

  private static final String[] DIRECT_ARGS = {
    "--runner=DirectRunner",
    "--targetParallelism=1",
    "--enforceImmutability=false",
    "--enforceEncodability=false"
  };

  /** Rows through an InvokeEndpoint pipeline on the Direct runner (one worker thread). */
  private static double directRun(SageMakerClientConfiguration config, int concurrency, long rows) {
    return runnerRun(
        config, concurrency, rows, PipelineOptionsFactory.fromArgs(DIRECT_ARGS).create(), false);
  }

  /**
   * The ids {@code 0..rows-1}, emitted by one DoFn call in one bundle. GenerateSequence would do on
   * Spark, but the Direct runner splits a bounded read at halfway points again and again to test
   * splitting, ending in bundles of a few dozen rows; InvokeEndpoint must answer every row before a
   * bundle ends, so each of those costs a whole 50 ms round trip and the figure would measure the
   * split pattern (the benchmark's {@code sequence} run shows it) rather than a steady stream.
   */
  static final class EmitIds extends DoFn<byte[], Long> {
    private final long rows;

    EmitIds(long rows) {
      this.rows = rows;
    }

    @ProcessElement
    public void process(OutputReceiver<Long> out) {
      for (long i = 0; i < rows; i++) {
        out.output(i);
      }
    }
  }

  /** Rows through an InvokeEndpoint pipeline on Beam's Spark runner over the given context. */
  private static double sparkRun(
      SageMakerClientConfiguration config,
      JavaSparkContext sparkContext,
      int concurrency,
      long rows) {
    SparkContextOptions options = PipelineOptionsFactory.as(SparkContextOptions.class);
    options.setRunner(SparkRunner.class);
    options.setUsesProvidedSparkContext(true);
    options.setProvidedSparkContext(sparkContext);
    return runnerRun(config, concurrency, rows, options, false);
  }

  /**
   * Rows through an InvokeEndpoint pipeline with these options; with {@code sequence}, ids from
   * GenerateSequence.
   */
  private static double runnerRun(
      SageMakerClientConfiguration config,
      int concurrency,
      long rows,
      PipelineOptions options,
      boolean sequence) {
    Pipeline p = Pipeline.create(options);
    PCollection<Long> ids =
        sequence
            ? p.apply(GenerateSequence.from(0).to(rows))
            : p.apply(Impulse.create()).apply("ids", ParDo.of(new EmitIds(rows)));
    ids.apply(
        "bench",
        InvokeEndpoint.create(
                "bench",
                RecordIoProtobufRequestSerializer.of(InvokeEndpointBenchmark::row),
                new KMeansProtobufResponseDeserializer())
            .withClientConfiguration(config)
            .withMaxRecordsPerRequest(ROWS_PER_REQUEST)
            .withMaxInFlight(concurrency));
    long start = System.nanoTime();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    double elapsed = (System.nanoTime() - start) / 1e9;
    long successes = 0;
    for (MetricResult<Long> m :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("InvokeEndpoint", "successes"))
                    .build())
            .getCounters()) {
      successes += m.getAttempted();
    }
    if (successes != rows) {
      throw new IllegalStateException("expected " + rows + " successes, got " + successes);
    }
    return rows / elapsed;
  }

  /** Mean body size as a share of the 6 MB limit, for a steady stream of rows of varying size. */
  private static void fill(SageMakerClientConfiguration config) throws Exception {
    InferenceSettings settings =
        InferenceSettings.builder("fill").maxRecordsPerRequest(1_000_000).maxInFlight(4).build();
    RecordIoProtobufRequestSerializer<Long> serializer =
        RecordIoProtobufRequestSerializer.of(
            id -> {
              // sparse rows of 50..784 non-zeros: sizes vary from ~0.4 KB to ~4 KB
              SplittableRandom random = new SplittableRandom(id);
              int nnz = 50 + random.nextInt(FEATURES - 50);
              int[] indices = random.ints(0, FEATURES).distinct().limit(nnz).sorted().toArray();
              double[] values = new double[indices.length];
              for (int i = 0; i < values.length; i++) {
                values[i] = 0.5 + random.nextDouble();
              }
              return FeatureVector.sparse(FEATURES, indices, values);
            });
    InferenceOutcomeReceiver<Long, KMeansPrediction> ignore =
        new InferenceOutcomeReceiver<>() {
          @Override
          public void onSuccess(Long element, Object tag, KMeansPrediction prediction) {}

          @Override
          public void onFailure(Long element, Object tag, InvocationFailure failure) {
            throw new IllegalStateException(failure.toString());
          }
        };
    try (SageMakerRuntimeAsyncClient client = SageMakerClients.runtimeAsync(config, 4);
        InferenceBatchEngine<Long, KMeansPrediction> engine =
            new InferenceBatchEngine<>(
                settings, client, serializer, new KMeansProtobufResponseDeserializer())) {
      long rows = 60_000;
      for (long i = 0; i < rows; i++) {
        engine.add(i, null, ignore);
      }
      // full batches only: the stream is steady, the final partial batch is the end of the input
      long fullBatches = engine.stats().batchesSent();
      long fullBytes = engine.stats().batchBytesSent();
      engine.flush(ignore);
      double share = (double) fullBytes / fullBatches / settings.maxPayloadBytes();
      System.out.printf(
          Locale.ROOT,
          "payload fill: %d rows of varying size, %d full requests, mean %.0f bytes = %.2f%% of the %d-byte limit (target >= 95%%)%n",
          rows,
          fullBatches,
          (double) fullBytes / fullBatches,
          100 * share,
          settings.maxPayloadBytes());
    }
  }
}
