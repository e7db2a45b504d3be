package dev.sagemakerbeam.transforms.inference;

import dev.sagemakerbeam.transforms.naming.ResourceNamePolicy;
import java.io.Serializable;
import java.time.Duration;

/**
 * How requests to one endpoint are packed, how many are in flight and how they are retried. Shared
 * by the Beam {@code InvokeEndpoint} transform and the Spark model's per-partition calls.
 *
 * <p>Memory per engine is bounded by {@code (maxInFlight + 1) x maxPayloadBytes} for request bodies
 * in flight (one waits at the client for a free connection) plus one body being packed.
 */
public final class InferenceSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  /** SageMaker's InvokeEndpoint payload limit: 6 MB. */
  public static final int SAGEMAKER_MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

  private final String endpointName;
  private final int maxPayloadBytes;
  private final int maxRecordsPerRequest;
  private final int maxInFlight;
  private final int maxAttempts;
  private final Duration baseBackoff;
  private final Duration maxBackoff;
  private final Duration maxRetryTime;
  private final String targetVariant;
  private final String targetModel;
  private final String customAttributes;

  private InferenceSettings(Builder b) {
    this.endpointName = b.endpointName;
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.maxRecordsPerRequest = b.maxRecordsPerRequest;
    this.maxInFlight = b.maxInFlight;
    this.maxAttempts = b.maxAttempts;
    this.baseBackoff = b.baseBackoff;
    this.maxBackoff = b.maxBackoff;
    this.maxRetryTime = b.maxRetryTime;
    this.targetVariant = b.targetVariant;
    this.targetModel = b.targetModel;
    this.customAttributes = b.customAttributes;
  }

  public static Builder builder(String endpointName) {
    Builder b = new Builder();
    b.endpointName = ResourceNamePolicy.checkName("endpoint name", endpointName);
    return b;
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.endpointName = endpointName;
    b.maxPayloadBytes = maxPayloadBytes;
    b.maxRecordsPerRequest = maxRecordsPerRequest;
    b.maxInFlight = maxInFlight;
    b.maxAttempts = maxAttempts;
    b.baseBackoff = baseBackoff;
    b.maxBackoff = maxBackoff;
    b.maxRetryTime = maxRetryTime;
    b.targetVariant = targetVariant;
    b.targetModel = targetModel;
    b.customAttributes = customAttributes;
    return b;
  }

  public String endpointName() {
    return endpointName;
  }

  /** Largest request body in bytes, framing and JSON wrapping included. */
  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  public int maxRecordsPerRequest() {
    return maxRecordsPerRequest;
  }

  /** Requests in flight at once per engine; also the HTTP client's maxConcurrency. */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** Attempts per batch, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration baseBackoff() {
    return baseBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** No retry starts later than this after a batch's first attempt. */
  public Duration maxRetryTime() {
    return maxRetryTime;
  }

  public String targetVariant() {
    return targetVariant;
  }

  public String targetModel() {
    return targetModel;
  }

  public String customAttributes() {
    return customAttributes;
  }

  @Override
  public String toString() {
    return "InferenceSettings{endpoint="
        + endpointName
        + ", maxPayloadBytes="
        + maxPayloadBytes
        + ", maxRecordsPerRequest="
        + maxRecordsPerRequest
        + ", maxInFlight="
        + maxInFlight
        + ", maxAttempts="
        + maxAttempts
        + ", baseBackoff="
        + baseBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", maxRetryTime="
        + maxRetryTime
        + (targetVariant != null ? ", targetVariant=" + targetVariant : "")
        + (targetModel != null ? ", targetModel=" + targetModel : "")
        + "}";
  }

  /** Builder; setters validate and name the allowed range. */
  public static final class Builder {
    private String endpointName;
    private int maxPayloadBytes = SAGEMAKER_MAX_PAYLOAD_BYTES;
    private int maxRecordsPerRequest = 1000;
    private int maxInFlight = 4;
    private int maxAttempts = 8;
    private Duration baseBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(20);
    private Duration maxRetryTime = Duration.ofMinutes(5);
    private String targetVariant;
    private String targetModel;
    private String customAttributes;

    private Builder() {}

    public Builder maxPayloadBytes(int bytes) {
      if (bytes < 64 || bytes > SAGEMAKER_MAX_PAYLOAD_BYTES) {
        throw new IllegalArgumentException(
            "maxPayloadBytes must be in [64, "
                + SAGEMAKER_MAX_PAYLOAD_BYTES
                + "] (SageMaker's 6 MB limit), got "
                + bytes);
      }
      this.maxPayloadBytes = bytes;
      return this;
    }

    public Builder maxRecordsPerRequest(int records) {
      if (records < 1) {
        throw new IllegalArgumentException(
            "maxRecordsPerRequest must be at least 1, got " + records);
      }
      this.maxRecordsPerRequest = records;
      return this;
    }

    public Builder maxInFlight(int requests) {
      if (requests < 1 || requests > 1024) {
        throw new IllegalArgumentException("maxInFlight must be in [1, 1024], got " + requests);
      }
      this.maxInFlight = requests;
      return this;
    }

    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 100) {
        throw new IllegalArgumentException(
            "maxAttempts must be in [1, 100] (1 means no retries), got " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** Exponential backoff with full jitter between {@code base} and {@code max}. */
    public Builder backoff(Duration base, Duration max) {
      if (base == null || base.isNegative() || max == null || max.compareTo(base) < 0) {
        throw new IllegalArgumentException(
            "backoff needs 0 <= base <= max, got base=" + base + ", max=" + max);
      }
      this.baseBackoff = base;
      this.maxBackoff = max;
      return this;
    }

    public Builder maxRetryTime(Duration time) {
      if (time == null || time.isNegative()) {
        throw new IllegalArgumentException("maxRetryTime must be >= 0, got " + time);
      }
      this.maxRetryTime = time;
      return this;
    }

    public Builder targetVariant(String variant) {
      this.targetVariant = variant;
      return this;
    }

    public Builder targetModel(String model) {
      this.targetModel = model;
      return this;
    }

    /** Sent as {@code X-Amzn-SageMaker-Custom-Attributes}. */
    public Builder customAttributes(String attributes) {
      this.customAttributes = attributes;
      return this;
    }

    public InferenceSettings build() {
      return new InferenceSettings(this);
    }
  }
}
