package dev.sagemakerbeam.transforms.inference;

import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import java.time.Duration;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Scores a {@code PCollection} against a SageMaker endpoint: elements are packed into batched
 * InvokeEndpoint requests (by bytes and by records), sent with a bounded number in flight, retried
 * when the error is transient, and split when too large. The {@link Result} has two outputs: {@link
 * Result#successes()} (each input with its prediction) and {@link Result#failures()} (each input
 * with status code, SageMaker error code, message and the model's original status/message). Every
 * input element appears in exactly one of them, once.
 *
 * <pre>{@code
 * InvokeEndpoint.Result<FeatureVector, KMeansPrediction> result = vectors.apply(
 *     InvokeEndpoint.create("my-endpoint",
 *             RecordIoProtobufRequestSerializer.forFeatureVectors(),
 *             new KMeansProtobufResponseDeserializer())
 *         .withClientConfiguration(SageMakerClientConfiguration.forRegion("us-east-1"))
 *         .withMaxInFlight(8));
 * }</pre>
 *
 * <p>Metrics (namespace {@value InvokeEndpointFn#METRICS_NAMESPACE}): requests, rowsSent,
 * bytesSent, retries, throttles, splits, successes, failures, and the distribution
 * requestLatencyMillis.
 */
public final class InvokeEndpoint<T, R>
    extends PTransform<PCollection<T>, InvokeEndpoint.Result<T, R>> {
  private static final long serialVersionUID = 1L;

  private final InferenceSettings settings;
  private final SageMakerClientConfiguration clientConfiguration;
  private final RequestSerializer<T> serializer;
  private final ResponseDeserializer<R> deserializer;

  private InvokeEndpoint(
      InferenceSettings settings,
      SageMakerClientConfiguration clientConfiguration,
      RequestSerializer<T> serializer,
      ResponseDeserializer<R> deserializer) {
    this.settings = settings;
    this.clientConfiguration = clientConfiguration;
    this.serializer = serializer;
    this.deserializer = deserializer;
  }

  /** Scores against {@code endpointName} with the given request and response formats. */
  public static <T, R> InvokeEndpoint<T, R> create(
      String endpointName, RequestSerializer<T> serializer, ResponseDeserializer<R> deserializer) {
    if (serializer == null || deserializer == null) {
      throw new IllegalArgumentException(
          "InvokeEndpoint needs a request serializer and a response deserializer, e.g."
              + " RecordIoProtobufRequestSerializer.forFeatureVectors() and new KMeansProtobufResponseDeserializer()");
    }
    return new InvokeEndpoint<>(
        InferenceSettings.builder(endpointName).build(), null, serializer, deserializer);
  }

  /** Where and how to reach SageMaker; required. */
  public InvokeEndpoint<T, R> withClientConfiguration(SageMakerClientConfiguration configuration) {
    if (configuration == null) {
      throw new IllegalArgumentException("client configuration must not be null");
    }
    return new InvokeEndpoint<>(settings, configuration, serializer, deserializer);
  }

  /** Replaces all packing, concurrency and retry settings at once. */
  public InvokeEndpoint<T, R> withSettings(InferenceSettings newSettings) {
    return new InvokeEndpoint<>(newSettings, clientConfiguration, serializer, deserializer);
  }

  /** Largest request body (default and maximum 6 MB), framing included. */
  public InvokeEndpoint<T, R> withMaxPayloadBytes(int bytes) {
    return withSettings(settings.toBuilder().maxPayloadBytes(bytes).build());
  }

  public InvokeEndpoint<T, R> withMaxRecordsPerRequest(int records) {
    return withSettings(settings.toBuilder().maxRecordsPerRequest(records).build());
  }

  /** Requests in flight per DoFn instance (default 4). */
  public InvokeEndpoint<T, R> withMaxInFlight(int requests) {
    return withSettings(settings.toBuilder().maxInFlight(requests).build());
  }

  /** Attempts per batch including the first (default 8). */
  public InvokeEndpoint<T, R> withMaxAttempts(int attempts) {
    return withSettings(settings.toBuilder().maxAttempts(attempts).build());
  }

  public InvokeEndpoint<T, R> withBackoff(Duration base, Duration max) {
    return withSettings(settings.toBuilder().backoff(base, max).build());
  }

  public InvokeEndpoint<T, R> withMaxRetryTime(Duration time) {
    return withSettings(settings.toBuilder().maxRetryTime(time).build());
  }

  public InvokeEndpoint<T, R> withTargetVariant(String variant) {
    return withSettings(settings.toBuilder().targetVariant(variant).build());
  }

  public InferenceSettings settings() {
    return settings;
  }

  @Override
  public Result<T, R> expand(PCollection<T> input) {
    if (clientConfiguration == null) {
      throw new IllegalStateException(
          "InvokeEndpoint to "
              + settings.endpointName()
              + " has no client configuration; call"
              + " .withClientConfiguration(SageMakerClientConfiguration.forRegion(...) or .forLocal(...))");
    }
    TupleTag<PredictedElement<T, R>> successTag = new TupleTag<>("successes");
    TupleTag<FailedElement<T>> failureTag = new TupleTag<>("failures");
    PCollectionTuple outputs =
        input.apply(
            // a fixed name: a generated endpoint name would change the step (and its metrics'
            // names) on every run
            "Invoke",
            ParDo.of(
                    new InvokeEndpointFn<>(
                        clientConfiguration,
                        settings,
                        serializer,
                        deserializer,
                        successTag,
                        failureTag))
                .withOutputTags(successTag, TupleTagList.of(failureTag)));
    PCollection<PredictedElement<T, R>> successes =
        outputs
            .get(successTag)
            .setCoder(PredictedElement.coder(input.getCoder(), deserializer.predictionCoder()));
    PCollection<FailedElement<T>> failures =
        outputs.get(failureTag).setCoder(FailedElement.coder(input.getCoder()));
    return new Result<>(input.getPipeline(), successTag, successes, failureTag, failures);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("endpointName", settings.endpointName()).withLabel("Endpoint"))
        .add(
            DisplayData.item("maxPayloadBytes", settings.maxPayloadBytes())
                .withLabel("Max request bytes"))
        .add(
            DisplayData.item("maxRecordsPerRequest", settings.maxRecordsPerRequest())
                .withLabel("Max records per request"))
        .add(
            DisplayData.item("maxInFlight", settings.maxInFlight())
                .withLabel("Requests in flight per worker"))
        .add(
            DisplayData.item("maxAttempts", settings.maxAttempts()).withLabel("Attempts per batch"))
        .add(
            DisplayData.item("contentType", serializer.contentType())
                .withLabel("Request content type"))
        .add(DisplayData.item("accept", deserializer.accept()).withLabel("Response accept type"));
    if (clientConfiguration != null) {
      clientConfiguration.populateDisplayData(builder);
    }
  }

  /** The two outputs of {@link InvokeEndpoint}. */
  public static final class Result<T, R> implements POutput {
    private final Pipeline pipeline;
    private final TupleTag<PredictedElement<T, R>> successTag;
    private final PCollection<PredictedElement<T, R>> successes;
    private final TupleTag<FailedElement<T>> failureTag;
    private final PCollection<FailedElement<T>> failures;

    /** The two outputs, for transforms that answer in InvokeEndpoint's shape. */
    public static <T, R> Result<T, R> of(
        Pipeline pipeline,
        TupleTag<PredictedElement<T, R>> successTag,
        PCollection<PredictedElement<T, R>> successes,
        TupleTag<FailedElement<T>> failureTag,
        PCollection<FailedElement<T>> failures) {
      return new Result<>(pipeline, successTag, successes, failureTag, failures);
    }

    Result(
        Pipeline pipeline,
        TupleTag<PredictedElement<T, R>> successTag,
        PCollection<PredictedElement<T, R>> successes,
        TupleTag<FailedElement<T>> failureTag,
        PCollection<FailedElement<T>> failures) {
      this.pipeline = pipeline;
      this.successTag = successTag;
      this.successes = successes;
      this.failureTag = failureTag;
      this.failures = failures;
    }

    /** Each scored input with its prediction. */
    public PCollection<PredictedElement<T, R>> successes() {
      return successes;
    }

    /** Each input that got no prediction, with the reason. */
    public PCollection<FailedElement<T>> failures() {
      return failures;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(successTag, successes, failureTag, failures);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
