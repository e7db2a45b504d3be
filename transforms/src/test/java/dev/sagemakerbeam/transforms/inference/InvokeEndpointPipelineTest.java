package dev.sagemakerbeam.transforms.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import dev.sagemakerbeam.transforms.testing.FakeSageMakerRuntime;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link InvokeEndpoint} pipelines on the Direct runner against a real HTTP server speaking the
 * SageMaker runtime protocol, one branch per fault mode. For every branch: the pipeline finishes,
 * every input is in exactly one output once, predictions stay with their inputs, retries are
 * bounded.
 */
class InvokeEndpointPipelineTest {
  static final int ROWS = 120;
  private static final int RECORDS_PER_REQUEST = 10;
  private static final int SLOW_ROWS = 6;

  private static FakeSageMakerRuntime server;
  private static SageMakerClientConfiguration config;

  @BeforeAll
  static void start() throws Exception {
    server = FakeSageMakerRuntime.start(96);
    config =
        SageMakerClientConfiguration.forLocal(
                server.endpoint(),
                server.endpoint(),
                server.endpoint(),
                server.endpoint(),
                "us-east-1",
                "test-access-key",
                "test-secret-key")
            .toBuilder()
            .runtimeSocketTimeout(Duration.ofMillis(1000))
            .build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Pipeline pipeline() {
    return Pipeline.create(
        PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--targetParallelism=4").create());
  }

  private static List<FeatureVector> rows(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> FeatureVector.dense(new double[] {i, i % 3, 0.25, 1}))
        .collect(Collectors.toList());
  }

  /**
   * Applies InvokeEndpoint to the rows and asserts the exactly-once property; returns the result.
   */
  private static InvokeEndpoint.Result<FeatureVector, KMeansPrediction> branch(
      Pipeline p, String endpoint, Consumer<InferenceSettings.Builder> tune) {
    return branch(p, endpoint, ROWS, tune);
  }

  private static InvokeEndpoint.Result<FeatureVector, KMeansPrediction> branch(
      Pipeline p, String endpoint, int rows, Consumer<InferenceSettings.Builder> tune) {
    return branch(p, config, endpoint, rows, tune);
  }

  /** Also used by the Spark runner test. */
  static InvokeEndpoint.Result<FeatureVector, KMeansPrediction> branch(
      Pipeline p,
      SageMakerClientConfiguration config,
      String endpoint,
      int rows,
      Consumer<InferenceSettings.Builder> tune) {
    PCollection<FeatureVector> input =
        p.apply(
            "rows " + endpoint,
            Create.of(rows(rows)).withCoder(SerializableCoder.of(FeatureVector.class)));
    InferenceSettings.Builder settings =
        InferenceSettings.builder(endpoint)
            .maxRecordsPerRequest(RECORDS_PER_REQUEST)
            .maxInFlight(4)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(200));
    tune.accept(settings);
    InvokeEndpoint.Result<FeatureVector, KMeansPrediction> result =
        input.apply(
            endpoint,
            InvokeEndpoint.create(
                    endpoint,
                    RecordIoProtobufRequestSerializer.forFeatureVectors(),
                    new KMeansProtobufResponseDeserializer())
                .withClientConfiguration(config)
                .withSettings(settings.build()));

    PCollection<Double> succeededIds =
        result
            .successes()
            .apply(
                "success ids " + endpoint,
                MapElements.into(TypeDescriptors.doubles()).via(s -> s.input().get(0)));
    PCollection<Double> failedIds =
        result
            .failures()
            .apply(
                "failure ids " + endpoint,
                MapElements.into(TypeDescriptors.doubles()).via(f -> f.input().get(0)));
    PCollection<Double> all =
        PCollectionList.of(succeededIds)
            .and(failedIds)
            .apply("all ids " + endpoint, Flatten.pCollections())
            .setCoder(DoubleCoder.of());
    List<Double> expected =
        IntStream.range(0, rows).mapToObj(i -> (double) i).collect(Collectors.toList());
    // containsInAnyOrder fails on a missing or a duplicated element: exactly once
    PAssert.that("each input once in " + endpoint, all).containsInAnyOrder(expected);
    PAssert.that("predictions match inputs in " + endpoint, result.successes())
        .satisfies(
            successes -> {
              for (PredictedElement<FeatureVector, KMeansPrediction> s : successes) {
                assertThat(s.prediction().closestCluster(), is(s.input().get(0)));
                assertThat(s.prediction().distanceToCluster(), is(2 * s.input().get(0)));
              }
              return null;
            });
    return result;
  }

  /** A check run inside the pipeline, so it must be serializable. */
  interface FailureCheck extends java.io.Serializable {
    void accept(InvocationFailure failure);
  }

  static void allSucceed(InvokeEndpoint.Result<FeatureVector, KMeansPrediction> r, String name) {
    PAssert.that("no failures in " + name, r.failures()).empty();
  }

  private static void allFail(
      InvokeEndpoint.Result<FeatureVector, KMeansPrediction> r, String name, FailureCheck check) {
    allFail(r, name, ROWS, check);
  }

  static void allFail(
      InvokeEndpoint.Result<FeatureVector, KMeansPrediction> r,
      String name,
      int rows,
      FailureCheck check) {
    PAssert.that("no successes in " + name, r.successes()).empty();
    PAssert.that("failures of " + name, r.failures())
        .satisfies(
            failures -> {
              int n = 0;
              for (FailedElement<FeatureVector> f : failures) {
                check.accept(f.failure());
                n++;
              }
              assertThat(n, is(rows));
              return null;
            });
  }

  static long counter(PipelineResult result, String step, String name) {
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(InvokeEndpointFn.METRICS_NAMESPACE, name))
                    .addStep(step)
                    .build());
    long total = 0;
    for (MetricResult<Long> c : metrics.getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  static boolean present(PipelineResult result, String step, String name) {
    return result
        .metrics()
        .queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.named(InvokeEndpointFn.METRICS_NAMESPACE, name))
                .addStep(step)
                .build())
        .getCounters()
        .iterator()
        .hasNext();
  }

  @Test
  void transientFaultsAreRetriedAndEveryRowSucceeds() {
    server.endpoint("healthy");
    server.endpoint("throttled").throttleFirst(4);
    server.endpoint("not-ready").notReadyFirst(3);
    server.endpoint("flaky").serverErrorFirst(3, 500);
    server.endpoint("slow-once").slowFirst(2, 1500);
    server.endpoint("small-payloads").refuseOver(300);

    Pipeline p = pipeline();
    for (String name :
        List.of("healthy", "throttled", "not-ready", "flaky", "slow-once", "small-payloads")) {
      allSucceed(branch(p, name, s -> {}), name);
    }
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertThat(counter(result, "healthy", "successes"), is((long) ROWS));
    assertThat(
        counter(result, "healthy", "requests"),
        greaterThanOrEqualTo((long) ROWS / RECORDS_PER_REQUEST));
    assertThat(counter(result, "healthy", "retries"), is(0L));
    assertThat(server.received("healthy").totalRows(), is(ROWS));
    // every documented counter is there from the start, zero when nothing happened
    for (String name :
        List.of("retries", "throttles", "splits", "failures", "isolationSplits", "isolatedRows")) {
      assertThat(name, present(result, "healthy", name), is(true));
      assertThat(name, counter(result, "healthy", name), is(0L));
    }

    assertThat(counter(result, "throttled", "throttles"), is(4L));
    // more retries than faults can only come from a loaded machine passing the 1 s socket timeout
    assertThat(counter(result, "throttled", "retries"), greaterThanOrEqualTo(4L));
    assertThat(counter(result, "not-ready", "throttles"), is(3L)); // 429 counts as throttling
    assertThat(counter(result, "flaky", "retries"), greaterThanOrEqualTo(3L));
    assertThat(counter(result, "slow-once", "retries"), greaterThanOrEqualTo(2L));
    assertThat(counter(result, "small-payloads", "splits"), greaterThan(0L));
    assertThat(counter(result, "small-payloads", "failures"), is(0L));
    for (int size : server.received("small-payloads").bodySizes) {
      assertThat(size, lessThanOrEqualTo(10 * 40)); // never more than one full batch
    }
  }

  @Test
  void permanentFaultsEndInTheFailureOutputWithBoundedRetries() {
    server.endpoint("down").alwaysServerError(503);
    server.endpoint("model-error").modelError();
    server.endpoint("wrong-rows").extraRows(1);
    server.endpoint("too-slow").alwaysSlow(1500);
    server.endpoint("invalid").validationError();

    Pipeline p = pipeline();
    allFail(
        branch(p, "down", s -> s.maxAttempts(3)),
        "down",
        f -> {
          assertThat(f.statusCode(), is(503));
          assertThat(f.errorCode(), is("ServiceUnavailable"));
          assertThat(f.attempts(), is(3));
        });
    allFail(
        branch(p, "model-error", s -> {}),
        "model-error",
        f -> {
          assertThat(f.statusCode(), is(424));
          assertThat(f.errorCode(), is("ModelError"));
          assertThat(f.originalStatusCode(), is(500));
          assertThat(f.originalMessage(), is("boom"));
          assertThat(f.logStreamArn(), containsString("/aws/sagemaker/Endpoints/model-error"));
          assertThat(f.attempts(), is(1));
        });
    allFail(
        branch(p, "wrong-rows", s -> {}),
        "wrong-rows",
        f -> {
          assertThat(f.errorCode(), is(InvocationFailure.RESPONSE_ERROR));
          assertThat(f.message(), containsString("predictions for a request of"));
        });
    // few rows: each attempt waits out the socket timeout
    allFail(
        branch(p, "too-slow", SLOW_ROWS, s -> s.maxAttempts(2)),
        "too-slow",
        SLOW_ROWS,
        f -> {
          assertThat(f.statusCode(), is((Integer) null));
          assertThat(f.errorCode(), is(InvocationFailure.CLIENT_ERROR));
          assertThat(f.message(), containsString("gave up after 2 attempts"));
        });
    allFail(
        branch(p, "invalid", s -> {}),
        "invalid",
        f -> {
          assertThat(f.statusCode(), is(400));
          assertThat(f.errorCode(), is("ValidationError"));
          assertThat(f.attempts(), is(1));
        });
    PipelineResult result = p.run();
    result.waitUntilFinish();

    // every row was sent exactly maxAttempts times: retries are bounded
    assertThat(server.received("down").totalRows(), is(3 * ROWS));
    assertThat(server.received("too-slow").totalRows(), is(2 * SLOW_ROWS));
    // never retried
    assertThat(server.received("model-error").totalRows(), is(ROWS));
    assertThat(server.received("invalid").totalRows(), is(ROWS));
    assertThat(server.received("wrong-rows").totalRows(), is(ROWS));
    assertThat(counter(result, "down", "failures"), is((long) ROWS));
    assertThat(counter(result, "model-error", "retries"), is(0L));
  }

  @Test
  void displayDataNamesTheEndpointButNoCredentials() {
    InvokeEndpoint<FeatureVector, KMeansPrediction> transform =
        InvokeEndpoint.create(
                "shown",
                RecordIoProtobufRequestSerializer.forFeatureVectors(),
                new KMeansProtobufResponseDeserializer())
            .withClientConfiguration(config);
    String shown = org.apache.beam.sdk.transforms.display.DisplayData.from(transform).toString();
    assertThat(shown, containsString("shown"));
    assertThat(shown, containsString("static(redacted)"));
    assertThat(shown, not(containsString("test-secret-key")));
    assertThat(shown, not(containsString("test-access-key")));
  }

  @Test
  void expandWithoutClientConfigurationNamesTheFix() {
    Pipeline p = pipeline();
    PCollection<FeatureVector> input =
        p.apply(Create.of(rows(ROWS)).withCoder(SerializableCoder.of(FeatureVector.class)));
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class,
            () ->
                input.apply(
                    InvokeEndpoint.create(
                        "no-config",
                        RecordIoProtobufRequestSerializer.forFeatureVectors(),
                        new KMeansProtobufResponseDeserializer())));
    assertThat(e.getMessage(), containsString("withClientConfiguration"));
  }

  @Test
  void outcomesKeepTheirElementsWindowsAndTimestamps() {
    server.endpoint("windowed");
    Pipeline p = pipeline();
    List<org.apache.beam.sdk.values.TimestampedValue<FeatureVector>> stamped =
        new java.util.ArrayList<>();
    for (FeatureVector row : rows(ROWS)) {
      // ids 0..59 in the first minute, 60..119 in the second
      stamped.add(
          org.apache.beam.sdk.values.TimestampedValue.of(
              row, new org.joda.time.Instant(1000L * (long) row.get(0))));
    }
    PCollection<FeatureVector> windowed =
        p.apply(Create.timestamped(stamped).withCoder(SerializableCoder.of(FeatureVector.class)))
            .apply(
                org.apache.beam.sdk.transforms.windowing.Window.into(
                    org.apache.beam.sdk.transforms.windowing.FixedWindows.of(
                        org.joda.time.Duration.standardMinutes(1))));
    InvokeEndpoint.Result<FeatureVector, KMeansPrediction> result =
        windowed.apply(
            InvokeEndpoint.create(
                    "windowed",
                    RecordIoProtobufRequestSerializer.forFeatureVectors(),
                    new KMeansProtobufResponseDeserializer())
                .withClientConfiguration(config)
                .withMaxRecordsPerRequest(7)); // batches span both windows
    PCollection<Double> ids =
        result
            .successes()
            .apply(
                MapElements.into(TypeDescriptors.doubles())
                    .via(s -> s.prediction().closestCluster()));
    PCollection<Long> lateness =
        result.successes().apply(org.apache.beam.sdk.transforms.ParDo.of(new TimestampShift()));
    org.apache.beam.sdk.transforms.windowing.IntervalWindow first =
        new org.apache.beam.sdk.transforms.windowing.IntervalWindow(
            new org.joda.time.Instant(0), org.joda.time.Duration.standardMinutes(1));
    org.apache.beam.sdk.transforms.windowing.IntervalWindow second =
        new org.apache.beam.sdk.transforms.windowing.IntervalWindow(
            new org.joda.time.Instant(60_000), org.joda.time.Duration.standardMinutes(1));
    PAssert.that(ids)
        .inWindow(first)
        .containsInAnyOrder(
            IntStream.range(0, 60).mapToObj(i -> (double) i).collect(Collectors.toList()));
    PAssert.that(ids)
        .inWindow(second)
        .containsInAnyOrder(
            IntStream.range(60, ROWS).mapToObj(i -> (double) i).collect(Collectors.toList()));
    PAssert.that(
            lateness.apply(
                org.apache.beam.sdk.transforms.windowing.Window.into(
                    new org.apache.beam.sdk.transforms.windowing.GlobalWindows())))
        .satisfies(
            values -> {
              int n = 0;
              for (long v : values) {
                assertThat(v, is(0L));
                n++;
              }
              assertThat(n, is(ROWS));
              return null;
            });
    PAssert.that(result.failures()).empty();
    p.run().waitUntilFinish();
  }

  /** Output timestamp minus the input's own timestamp (id seconds): 0 when kept. */
  static final class TimestampShift
      extends org.apache.beam.sdk.transforms.DoFn<
          PredictedElement<FeatureVector, KMeansPrediction>, Long> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(
        @Element PredictedElement<FeatureVector, KMeansPrediction> e,
        @Timestamp org.joda.time.Instant timestamp,
        OutputReceiver<Long> out) {
      out.output(timestamp.getMillis() - 1000L * (long) e.input().get(0));
    }
  }
}
