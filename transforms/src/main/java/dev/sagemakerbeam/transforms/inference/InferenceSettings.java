package dev.sagemakerbeam.transforms.inference;

import com.google.auto.value.AutoValue;
import dev.sagemakerbeam.transforms.naming.ResourceNamePolicy;
import java.io.Serializable;
import java.time.Duration;
import javax.annotation.Nullable;

/**
 * How requests to one endpoint are packed, how many are in flight and how they are retried. Shared
 * by the Beam {@code InvokeEndpoint} transform and the Spark model's per-partition calls. An
 * AutoValue value; {@link Builder#build()} checks every setting and names the allowed range.
 *
 * <p>Memory per engine is bounded by {@code (maxInFlight + 1) x maxPayloadBytes} for request bodies
 * in flight (one waits at the client for a free connection) plus one body being packed.
 */
@AutoValue
public abstract class InferenceSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  /** SageMaker's InvokeEndpoint payload limit: 6 MB. */
  public static final int SAGEMAKER_MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

  InferenceSettings() {}

  /**
   * Settings for {@code endpointName} with the defaults: 6 MB / 1000 records, 4 in flight, 8
   * attempts.
   */
  public static Builder builder(String endpointName) {
    return new AutoValue_InferenceSettings.Builder()
        .endpointName(ResourceNamePolicy.checkName("endpoint name", endpointName))
        .maxPayloadBytes(SAGEMAKER_MAX_PAYLOAD_BYTES)
        .maxRecordsPerRequest(1000)
        .maxInFlight(4)
        .maxAttempts(8)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(20))
        .maxRetryTime(Duration.ofMinutes(5));
  }

  public abstract Builder toBuilder();

  public abstract String endpointName();

  /** Largest request body in bytes, framing and JSON wrapping included. */
  public abstract int maxPayloadBytes();

  public abstract int maxRecordsPerRequest();

  /** Requests in flight at once per engine; also the HTTP client's maxConcurrency. */
  public abstract int maxInFlight();

  /** Attempts per batch, the first included. */
  public abstract int maxAttempts();

  public abstract Duration baseBackoff();

  public abstract Duration maxBackoff();

  /** No retry starts later than this after a batch's first attempt. */
  public abstract Duration maxRetryTime();

  public abstract @Nullable String targetVariant();

  public abstract @Nullable String targetModel();

  /** Sent as {@code X-Amzn-SageMaker-Custom-Attributes}. */
  public abstract @Nullable String customAttributes();

  /** The settings; custom attributes (caller data sent to the model) are left out. */
  @Override
  public final String toString() {
    return "InferenceSettings{endpoint="
        + endpointName()
        + ", maxPayloadBytes="
        + maxPayloadBytes()
        + ", maxRecordsPerRequest="
        + maxRecordsPerRequest()
        + ", maxInFlight="
        + maxInFlight()
        + ", maxAttempts="
        + maxAttempts()
        + ", baseBackoff="
        + baseBackoff()
        + ", maxBackoff="
        + maxBackoff()
        + ", maxRetryTime="
        + maxRetryTime()
        + (targetVariant() != null ? ", targetVariant=" + targetVariant() : "")
        + (targetModel() != null ? ", targetModel=" + targetModel() : "")
        + "}";
  }

  /** Builder; {@link #build()} validates and names the allowed range. */
  @AutoValue.Builder
  public abstract static class Builder {
    abstract Builder endpointName(String endpointName);

    public abstract Builder maxPayloadBytes(int bytes);

    public abstract Builder maxRecordsPerRequest(int records);

    public abstract Builder maxInFlight(int requests);

    public abstract Builder maxAttempts(int attempts);

    abstract Builder baseBackoff(Duration base);

    abstract Builder maxBackoff(Duration max);

    /** Exponential backoff with full jitter between {@code base} and {@code max}. */
    public Builder backoff(Duration base, Duration max) {
      if (base == null || base.isNegative() || max == null || max.compareTo(base) < 0) {
        throw new IllegalArgumentException(
            "backoff needs 0 <= base <= max, got base=" + base + ", max=" + max);
      }
      return baseBackoff(base).maxBackoff(max);
    }

    public abstract Builder maxRetryTime(Duration time);

    public abstract Builder targetVariant(@Nullable String variant);

    public abstract Builder targetModel(@Nullable String model);

    public abstract Builder customAttributes(@Nullable String attributes);

    abstract InferenceSettings autoBuild();

    public final InferenceSettings build() {
      InferenceSettings s = autoBuild();
      if (s.maxPayloadBytes() < 64 || s.maxPayloadBytes() > SAGEMAKER_MAX_PAYLOAD_BYTES) {
        throw new IllegalArgumentException(
            "maxPayloadBytes must be in [64, "
                + SAGEMAKER_MAX_PAYLOAD_BYTES
                + "] (SageMaker's 6 MB limit), got "
                + s.maxPayloadBytes());
      }
      if (s.maxRecordsPerRequest() < 1) {
        throw new IllegalArgumentException(
            "maxRecordsPerRequest must be at least 1, got " + s.maxRecordsPerRequest());
      }
      if (s.maxInFlight() < 1 || s.maxInFlight() > 1024) {
        throw new IllegalArgumentException(
            "maxInFlight must be in [1, 1024], got " + s.maxInFlight());
      }
      if (s.maxAttempts() < 1 || s.maxAttempts() > 100) {
        throw new IllegalArgumentException(
            "maxAttempts must be in [1, 100] (1 means no retries), got " + s.maxAttempts());
      }
      if (s.maxRetryTime().isNegative()) {
        throw new IllegalArgumentException("maxRetryTime must be >= 0, got " + s.maxRetryTime());
      }
      return s;
    }
  }
}
