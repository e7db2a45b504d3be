package dev.sagemakerbeam.transforms.benchmarks;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
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
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollection;
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
 * <p>With {@code spark}, the pipeline also runs on Beam's Spark runner ({@code local[1]}); add the
 * parent pom's {@code spark.java17.opens} flags to the {@code java} command then.
 */
public final class InvokeEndpointBenchmark {
  private static final int FEATURES = 784;
  private static final int ROWS_PER_REQUEST = 100;
  private static final long LATENCY_MILLIS = 50;
  private static final int[] CONCURRENCY = {1, 4, 16};
  private static final double WARMUP_SECONDS = 8;

  private InvokeEndpointBenchmark() {}

  /**
   * 1024 distinct rows, made once: the benchmark measures InvokeEndpoint (encoding, framing,
   * HTTP, decoding), not the generation of random data.
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
      SageMakerClientConfiguration config = SageMakerClientConfiguration.forLocal(
          server.endpoint(), server.endpoint(), server.endpoint(), server.endpoint(),
          "us-east-1", "bench-access-key", "bench-secret-key");

      System.out.printf(Locale.ROOT, "InvokeEndpoint: %d features/row, %d rows/request, endpoint latency %d ms, %d cores%n",
          FEATURES, ROWS_PER_REQUEST, LATENCY_MILLIS, Runtime.getRuntime().availableProcessors());
      System.out.printf(Locale.ROOT, "%-8s %11s %11s %12s %9s %12s%n",
          "runner", "concurrency", "rows", "rows/s", "theory", "% of theory");

      // Warm-up: the JIT needs several seconds of the whole path (encoding, signing, Netty, the test
      // endpoint) before the rate is steady; the first seconds run at ~70% of the steady rate.
      double theoryAt16 = 16 * ROWS_PER_REQUEST * 1000.0 / LATENCY_MILLIS;
      engineRun(config, 16, (long) (theoryAt16 * WARMUP_SECONDS));
      double engineAtOne = 0;
      double[] engineRates = new double[CONCURRENCY.length];
      for (int k = 0; k < CONCURRENCY.length; k++) {
        int c = CONCURRENCY[k];
        double theory = c * ROWS_PER_REQUEST * 1000.0 / LATENCY_MILLIS;
        long rows = (long) (theory * seconds);
        double rate = engineRun(config, c, rows);
        engineRates[k] = rate;
        if (c == 1) {
          engineAtOne = rate;
        }
        print("engine", c, rows, rate, theory);
      }

      directRun(config, 16, (long) (theoryAt16 * WARMUP_SECONDS / 2)); // the runner's classes and JIT
      double[] directRates = new double[CONCURRENCY.length];
      for (int k = 0; k < CONCURRENCY.length; k++) {
        int c = CONCURRENCY[k];
        double theory = c * ROWS_PER_REQUEST * 1000.0 / LATENCY_MILLIS;
        long rows = (long) (theory * seconds);
        double rate = directRun(config, c, rows);
        directRates[k] = rate;
        print("direct", c, rows, rate, theory);
      }
      System.out.printf(Locale.ROOT, "speed-up 16 vs 1: engine %.1fx, direct runner %.1fx (target >= 10x)%n",
          engineRates[2] / engineAtOne, directRates[2] / directRates[0]);

      if (args.length > 1 && args[1].equals("spark")) {
        runnerRun(config, 16, (long) (theoryAt16 * 2), SPARK_ARGS); // warm-up: the SparkContext
        double[] sparkRates = new double[CONCURRENCY.length];
        for (int k = 0; k < CONCURRENCY.length; k++) {
          int c = CONCURRENCY[k];
          double theory = c * ROWS_PER_REQUEST * 1000.0 / LATENCY_MILLIS;
          long rows = (long) (theory * seconds);
          sparkRates[k] = runnerRun(config, c, rows, SPARK_ARGS);
          print("spark", c, rows, sparkRates[k], theory);
        }
        System.out.printf(Locale.ROOT, "speed-up 16 vs 1: spark runner %.1fx (target >= 10x)%n",
            sparkRates[2] / sparkRates[0]);
      }

      fill(config);
    }
  }

  private static void print(String runner, int c, long rows, double rate, double theory) {
    System.out.printf(Locale.ROOT, "%-8s %11d %11d %12.0f %9.0f %11.1f%%%n",
        runner, c, rows, rate, theory, 100 * rate / theory);
  }

  /** Rows through the engine alone, as one Spark task would drive it. */
  private static double engineRun(SageMakerClientConfiguration config, int concurrency, long rows) throws Exception {
    InferenceSettings settings = InferenceSettings.builder("bench")
        .maxRecordsPerRequest(ROWS_PER_REQUEST).maxInFlight(concurrency).build();
    long[] outcomes = new long[2];
    InferenceOutcomeReceiver<Long, KMeansPrediction> receiver = new InferenceOutcomeReceiver<>() {
      @Override
      public void onSuccess(Long element, Object tag, KMeansPrediction prediction) {
        outcomes[0]++;
      }

      @Override
      public void onFailure(Long element, Object tag, InvocationFailure failure) {
        outcomes[1]++;
      }
    };
    try (SageMakerRuntimeAsyncClient client = config.buildSageMakerRuntimeAsyncClient(concurrency);
        InferenceBatchEngine<Long, KMeansPrediction> engine = new InferenceBatchEngine<>(settings, client,
            RecordIoProtobufRequestSerializer.of(InvokeEndpointBenchmark::row),
            new KMeansProtobufResponseDeserializer())) {
      long start = System.nanoTime();
      for (long i = 0; i < rows; i++) {
        engine.add(i, null, receiver);
      }
      engine.flush(receiver);
      double elapsed = (System.nanoTime() - start) / 1e9;
      if (outcomes[0] != rows) {
        throw new IllegalStateException("expected " + rows + " successes, got " + outcomes[0] + " and "
            + outcomes[1] + " failures");
      }
      return rows / elapsed;
    }
  }

  private static final String[] DIRECT_ARGS = {
    "--runner=DirectRunner", "--targetParallelism=1", "--enforceImmutability=false", "--enforceEncodability=false"
  };

  /** Beam's Spark runner on a local SparkContext with one task slot. */
  private static final String[] SPARK_ARGS = {"--runner=SparkRunner", "--sparkMaster=local[1]"};

  /** Rows through an InvokeEndpoint pipeline on the Direct runner (one worker thread). */
  private static double directRun(SageMakerClientConfiguration config, int concurrency, long rows) {
    return runnerRun(config, concurrency, rows, DIRECT_ARGS);
  }

  /** Rows through an InvokeEndpoint pipeline on the runner the arguments name. */
  private static double runnerRun(SageMakerClientConfiguration config, int concurrency, long rows, String[] runnerArgs) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(runnerArgs).create());
    PCollection<Long> ids = p.apply(GenerateSequence.from(0).to(rows));
    ids.apply("bench", InvokeEndpoint.create("bench",
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
    for (MetricResult<Long> m : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named("InvokeEndpoint", "successes")).build()).getCounters()) {
      successes += m.getAttempted();
    }
    if (successes != rows) {
      throw new IllegalStateException("expected " + rows + " successes, got " + successes);
    }
    return rows / elapsed;
  }

  /** Mean body size as a share of the 6 MB limit, for a steady stream of rows of varying size. */
  private static void fill(SageMakerClientConfiguration config) throws Exception {
    InferenceSettings settings = InferenceSettings.builder("fill")
        .maxRecordsPerRequest(1_000_000).maxInFlight(4).build();
    RecordIoProtobufRequestSerializer<Long> serializer = RecordIoProtobufRequestSerializer.of(id -> {
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
    InferenceOutcomeReceiver<Long, KMeansPrediction> ignore = new InferenceOutcomeReceiver<>() {
      @Override
      public void onSuccess(Long element, Object tag, KMeansPrediction prediction) {}

      @Override
      public void onFailure(Long element, Object tag, InvocationFailure failure) {
        throw new IllegalStateException(failure.toString());
      }
    };
    try (SageMakerRuntimeAsyncClient client = config.buildSageMakerRuntimeAsyncClient(4);
        InferenceBatchEngine<Long, KMeansPrediction> engine =
            new InferenceBatchEngine<>(settings, client, serializer, new KMeansProtobufResponseDeserializer())) {
      long rows = 60_000;
      for (long i = 0; i < rows; i++) {
        engine.add(i, null, ignore);
      }
      // full batches only: the stream is steady, the final partial batch is the end of the input
      long fullBatches = engine.stats().batchesSent();
      long fullBytes = engine.stats().batchBytesSent();
      engine.flush(ignore);
      double share = (double) fullBytes / fullBatches / settings.maxPayloadBytes();
      System.out.printf(Locale.ROOT,
          "payload fill: %d rows of varying size, %d full requests, mean %.0f bytes = %.2f%% of the %d-byte limit (target >= 95%%)%n",
          rows, fullBatches, (double) fullBytes / fullBatches, 100 * share, settings.maxPayloadBytes());
    }
  }
}
