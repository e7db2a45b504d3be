package dev.sagemakerbeam.transforms.inference;

import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;

/**
 * The batching DoFn of {@link InvokeEndpoint}: a thin adapter from Beam's DoFn lifecycle to {@link
 * InferenceBatchEngine}. The async client (Netty, {@code maxConcurrency = maxInFlight}) is built in
 * {@code @Setup} and closed in {@code @Teardown}; each bundle's partial batch is sent and every
 * outstanding batch awaited in {@code @FinishBundle}.
 *
 * <p>Outcomes are output as soon as they arrive when they share the current element's window and
 * timestamp (the usual case of a batch pipeline, which keeps memory bounded); others are held and
 * output in {@code @FinishBundle} with their own window and timestamp.
 */
class InvokeEndpointFn<T, R> extends DoFn<T, PredictedElement<T, R>> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(InvokeEndpointFn.class);
  static final String METRICS_NAMESPACE = "InvokeEndpoint";

  private final SageMakerClientConfiguration clientConfiguration;
  private final InferenceSettings settings;
  private final RequestSerializer<T> serializer;
  private final ResponseDeserializer<R> deserializer;
  private final TupleTag<PredictedElement<T, R>> successTag;
  private final TupleTag<FailedElement<T>> failureTag;

  private final Counter requests = Metrics.counter(METRICS_NAMESPACE, "requests");
  private final Counter rows = Metrics.counter(METRICS_NAMESPACE, "rowsSent");
  private final Counter bytes = Metrics.counter(METRICS_NAMESPACE, "bytesSent");
  private final Counter retries = Metrics.counter(METRICS_NAMESPACE, "retries");
  private final Counter throttles = Metrics.counter(METRICS_NAMESPACE, "throttles");
  private final Counter splits = Metrics.counter(METRICS_NAMESPACE, "splits");
  private final Counter isolationSplits = Metrics.counter(METRICS_NAMESPACE, "isolationSplits");
  private final Counter isolatedRows = Metrics.counter(METRICS_NAMESPACE, "isolatedRows");
  private final Counter successes = Metrics.counter(METRICS_NAMESPACE, "successes");
  private final Counter failures = Metrics.counter(METRICS_NAMESPACE, "failures");
  private final Distribution latency =
      Metrics.distribution(METRICS_NAMESPACE, "requestLatencyMillis");

  private transient SageMakerRuntimeAsyncClient client;
  private transient InferenceBatchEngine<T, R> engine;
  private transient List<Held<T, R>> held;
  private transient long[] reported;
  private transient boolean[] reportedOnce;

  InvokeEndpointFn(
      SageMakerClientConfiguration clientConfiguration,
      InferenceSettings settings,
      RequestSerializer<T> serializer,
      ResponseDeserializer<R> deserializer,
      TupleTag<PredictedElement<T, R>> successTag,
      TupleTag<FailedElement<T>> failureTag) {
    this.clientConfiguration = clientConfiguration;
    this.settings = settings;
    this.serializer = serializer;
    this.deserializer = deserializer;
    this.successTag = successTag;
    this.failureTag = failureTag;
  }

  @Setup
  public void setup() {
    client = SageMakerClients.runtimeAsync(clientConfiguration, settings.maxInFlight());
    engine = new InferenceBatchEngine<>(settings, client, serializer, deserializer);
    held = new ArrayList<>();
    reported = new long[10];
    reportedOnce = new boolean[10];
  }

  @StartBundle
  public void startBundle() {
    if (engine.pendingRows() > 0 || engine.inFlight() > 0) {
      // a previous bundle failed part-way: its elements will be retried by the runner, so drop them
      LOG.info(
          "Discarding {} unsent rows and {} batches in flight of a failed bundle",
          engine.pendingRows(),
          engine.inFlight());
      engine.close();
      engine = new InferenceBatchEngine<>(settings, client, serializer, deserializer);
      reported = new long[10];
      reportedOnce = new boolean[10];
    }
    held.clear();
  }

  @ProcessElement
  public void processElement(
      @Element T element,
      @Timestamp Instant timestamp,
      BoundedWindow window,
      MultiOutputReceiver out)
      throws InterruptedException {
    Placement current = new Placement(timestamp, window);
    engine.add(
        element,
        current,
        new InferenceOutcomeReceiver<T, R>() {
          @Override
          public void onSuccess(T input, Object tag, R prediction) {
            if (current.equals(tag)) {
              out.get(successTag).output(new PredictedElement<>(input, prediction));
            } else {
              held.add(
                  new Held<>((Placement) tag, new PredictedElement<>(input, prediction), null));
            }
          }

          @Override
          public void onFailure(T input, Object tag, InvocationFailure failure) {
            if (current.equals(tag)) {
              out.get(failureTag).output(new FailedElement<>(input, failure));
            } else {
              held.add(new Held<>((Placement) tag, null, new FailedElement<>(input, failure)));
            }
          }
        });
    reportMetrics();
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) throws InterruptedException {
    engine.flush(
        new InferenceOutcomeReceiver<T, R>() {
          @Override
          public void onSuccess(T input, Object tag, R prediction) {
            held.add(new Held<>((Placement) tag, new PredictedElement<>(input, prediction), null));
          }

          @Override
          public void onFailure(T input, Object tag, InvocationFailure failure) {
            held.add(new Held<>((Placement) tag, null, new FailedElement<>(input, failure)));
          }
        });
    for (Held<T, R> h : held) {
      if (h.success != null) {
        context.output(successTag, h.success, h.placement.timestamp, h.placement.window);
      } else {
        context.output(failureTag, h.failure, h.placement.timestamp, h.placement.window);
      }
    }
    held.clear();
    reportMetrics();
  }

  @Teardown
  public void teardown() {
    if (engine != null) {
      InferenceStats s = engine.stats();
      LOG.info(
          "InvokeEndpoint to {} done on this worker: {} requests, {} rows sent, {} bytes, {} retries,"
              + " {} throttled, {} splits, {} isolation splits, {} rows succeeded, {} failed ({} isolated)",
          settings.endpointName(),
          s.requests(),
          s.requestRows(),
          s.requestBytes(),
          s.retries(),
          s.throttles(),
          s.splits(),
          s.isolationSplits(),
          s.successRows(),
          s.failedRows(),
          s.isolatedRows());
      engine.close();
    }
    if (client != null) {
      client.close();
    }
  }

  private void reportMetrics() {
    InferenceStats s = engine.stats();
    report(0, s.requests(), requests);
    report(1, s.requestRows(), rows);
    report(2, s.requestBytes(), bytes);
    report(3, s.retries(), retries);
    report(4, s.throttles(), throttles);
    report(5, s.splits(), splits);
    report(6, s.successRows(), successes);
    report(7, s.failedRows(), failures);
    report(8, s.isolationSplits(), isolationSplits);
    report(9, s.isolatedRows(), isolatedRows);
    s.drainLatencies(latency::update);
  }

  private void report(int slot, long total, Counter counter) {
    long delta = total - reported[slot];
    if (delta != 0 || !reportedOnce[slot]) {
      // every counter is present from the first bundle on, zero when nothing happened
      reportedOnce[slot] = true;
      counter.inc(delta);
      reported[slot] = total;
    }
  }

  /** Where an element sits in event time, so its outcome is output there. */
  private static final class Placement {
    final Instant timestamp;
    final BoundedWindow window;

    Placement(Instant timestamp, BoundedWindow window) {
      this.timestamp = timestamp;
      this.window = window;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Placement
          && timestamp.equals(((Placement) o).timestamp)
          && window.equals(((Placement) o).window);
    }

    @Override
    public int hashCode() {
      return Objects.hash(timestamp, window);
    }
  }

  private static final class Held<T, R> {
    final Placement placement;
    final PredictedElement<T, R> success;
    final FailedElement<T> failure;

    Held(Placement placement, PredictedElement<T, R> success, FailedElement<T> failure) {
      this.placement = placement;
      this.success = success;
      this.failure = failure;
    }
  }
}
