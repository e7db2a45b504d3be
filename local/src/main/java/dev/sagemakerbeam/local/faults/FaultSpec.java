package dev.sagemakerbeam.local.faults;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The faults SageMaker Local injects into an endpoint's (or one variant's) InvokeEndpoint answers,
 * each as the real runtime sends it:
 *
 * <ul>
 *   <li>{@code throttleRate}: HTTP 400 {@code ThrottlingException} (the SDK's {@code
 *       SageMakerRuntimeException} with that error code; SageMaker's message is null);
 *   <li>{@code modelNotReadyRate}: HTTP 429 {@code ModelNotReadyException};
 *   <li>{@code internalFailureRate}: HTTP 500 {@code InternalFailure};
 *   <li>{@code serviceUnavailableRate}: HTTP 503 {@code ServiceUnavailable};
 *   <li>{@code internalDependencyRate}: HTTP 530 {@code InternalDependencyException};
 *   <li>{@code modelErrorRate}: HTTP 424 {@code ModelError} with {@code OriginalStatusCode} {@code
 *       modelErrorStatusCode}, {@code OriginalMessage} and {@code LogStreamArn}, after the latency
 *       (the model was called);
 *   <li>{@code latency}: added before the model answers (successes and model errors);
 *   <li>{@code maxConcurrentRequestsPerInstance}: more requests than this times the variant's
 *       instance count in the model at once are throttled (400 {@code ThrottlingException}), as
 *       SageMaker throttles an endpoint past its instances' capacity; 0 = no cap.
 * </ul>
 *
 * <p>Each request draws one number from a generator seeded by {@code seed} and the request's
 * position in the endpoint's (or variant's) sequence, so the same seed and request order give the
 * same faults, run after run. Rates are probabilities; together they are at most 1.
 */
public final class FaultSpec {
  /** No faults. */
  public static final FaultSpec NONE = builder().build();

  private final double throttleRate;
  private final double modelNotReadyRate;
  private final double internalFailureRate;
  private final double serviceUnavailableRate;
  private final double internalDependencyRate;
  private final double modelErrorRate;
  private final int modelErrorStatusCode;
  private final int maxConcurrentRequestsPerInstance;
  private final Latency latency;
  private final long seed;

  private FaultSpec(Builder b) {
    this.throttleRate = b.throttleRate;
    this.modelNotReadyRate = b.modelNotReadyRate;
    this.internalFailureRate = b.internalFailureRate;
    this.serviceUnavailableRate = b.serviceUnavailableRate;
    this.internalDependencyRate = b.internalDependencyRate;
    this.modelErrorRate = b.modelErrorRate;
    this.modelErrorStatusCode = b.modelErrorStatusCode;
    this.maxConcurrentRequestsPerInstance = b.maxConcurrentRequestsPerInstance;
    this.latency = b.latency;
    this.seed = b.seed;
  }

  /** A builder with no faults, seed 0. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this spec. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.throttleRate = throttleRate;
    b.modelNotReadyRate = modelNotReadyRate;
    b.internalFailureRate = internalFailureRate;
    b.serviceUnavailableRate = serviceUnavailableRate;
    b.internalDependencyRate = internalDependencyRate;
    b.modelErrorRate = modelErrorRate;
    b.modelErrorStatusCode = modelErrorStatusCode;
    b.maxConcurrentRequestsPerInstance = maxConcurrentRequestsPerInstance;
    b.latency = latency;
    b.seed = seed;
    return b;
  }

  /**
   * Parses the options of a {@code --fault} flag or the control API's JSON: {@code throttle},
   * {@code modelNotReady}, {@code error500}, {@code error503}, {@code error530}, {@code error5xx}
   * (split evenly between 500 and 503), {@code modelError}, {@code modelErrorStatus}, {@code
   * maxConcurrency} (per instance), {@code latency} ({@link Latency#parse}) and {@code seed}. Keys
   * are case-insensitive; an unknown key is refused.
   */
  public static FaultSpec fromOptions(Map<String, String> options) {
    Builder b = builder();
    double error5xx = 0;
    for (Map.Entry<String, String> option : options.entrySet()) {
      String key = option.getKey().trim();
      String value = option.getValue() == null ? "" : option.getValue().trim();
      try {
        switch (key.toLowerCase(Locale.ROOT)) {
          case "throttle" -> b.throttleRate(Double.parseDouble(value));
          case "modelnotready" -> b.modelNotReadyRate(Double.parseDouble(value));
          case "error500" -> b.internalFailureRate(Double.parseDouble(value));
          case "error503" -> b.serviceUnavailableRate(Double.parseDouble(value));
          case "error530" -> b.internalDependencyRate(Double.parseDouble(value));
          case "error5xx" -> error5xx = checkRate("error5xx", Double.parseDouble(value));
          case "modelerror" -> b.modelErrorRate(Double.parseDouble(value));
          case "modelerrorstatus" -> b.modelErrorStatusCode(Integer.parseInt(value));
          case "maxconcurrency" -> b.maxConcurrentRequestsPerInstance(Integer.parseInt(value));
          case "latency" -> b.latency(Latency.parse(value));
          case "seed" -> b.seed(Long.parseLong(value));
          default ->
              throw new IllegalArgumentException(
                  "unknown fault option '"
                      + key
                      + "'; options: throttle, modelNotReady, error500, error503, error530,"
                      + " error5xx,"
                      + " modelError, modelErrorStatus, maxConcurrency, latency, seed");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "fault option " + key + "=" + value + " is not a number", e);
      }
    }
    if (error5xx > 0) {
      b.internalFailureRate(b.internalFailureRate + error5xx / 2);
      b.serviceUnavailableRate(b.serviceUnavailableRate + error5xx / 2);
    }
    return b.build();
  }

  /** These settings as {@link #fromOptions} reads them (error rates separately). */
  public Map<String, String> toOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("throttle", Double.toString(throttleRate));
    options.put("modelNotReady", Double.toString(modelNotReadyRate));
    options.put("error500", Double.toString(internalFailureRate));
    options.put("error503", Double.toString(serviceUnavailableRate));
    options.put("error530", Double.toString(internalDependencyRate));
    options.put("modelError", Double.toString(modelErrorRate));
    options.put("modelErrorStatus", Integer.toString(modelErrorStatusCode));
    options.put("maxConcurrency", Integer.toString(maxConcurrentRequestsPerInstance));
    options.put("latency", latency.toString());
    options.put("seed", Long.toString(seed));
    return options;
  }

  public double throttleRate() {
    return throttleRate;
  }

  public double modelNotReadyRate() {
    return modelNotReadyRate;
  }

  public double internalFailureRate() {
    return internalFailureRate;
  }

  public double serviceUnavailableRate() {
    return serviceUnavailableRate;
  }

  public double internalDependencyRate() {
    return internalDependencyRate;
  }

  public double modelErrorRate() {
    return modelErrorRate;
  }

  /** The {@code OriginalStatusCode} of an injected ModelError; 500 by default. */
  public int modelErrorStatusCode() {
    return modelErrorStatusCode;
  }

  /** 0 when there is no cap. */
  public int maxConcurrentRequestsPerInstance() {
    return maxConcurrentRequestsPerInstance;
  }

  public Latency latency() {
    return latency;
  }

  public long seed() {
    return seed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FaultSpec f && f.toOptions().equals(toOptions());
  }

  @Override
  public int hashCode() {
    return toOptions().hashCode();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("FaultSpec[");
    toOptions().forEach((k, v) -> text.append(k).append('=').append(v).append(','));
    text.setLength(text.length() - 1);
    return text.append(']').toString();
  }

  private static double checkRate(String name, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(name + " rate must be between 0 and 1, got " + rate);
    }
    return rate;
  }

  /** Builds a {@link FaultSpec}; every setter validates. */
  public static final class Builder {
    private double throttleRate;
    private double modelNotReadyRate;
    private double internalFailureRate;
    private double serviceUnavailableRate;
    private double internalDependencyRate;
    private double modelErrorRate;
    private int modelErrorStatusCode = 500;
    private int maxConcurrentRequestsPerInstance;
    private Latency latency = Latency.NONE;
    private long seed;

    private Builder() {}

    /** Share of requests answered 400 ThrottlingException. */
    public Builder throttleRate(double rate) {
      this.throttleRate = checkRate("throttle", rate);
      return this;
    }

    /** Share of requests answered 429 ModelNotReadyException. */
    public Builder modelNotReadyRate(double rate) {
      this.modelNotReadyRate = checkRate("modelNotReady", rate);
      return this;
    }

    /** Share of requests answered 500 InternalFailure. */
    public Builder internalFailureRate(double rate) {
      this.internalFailureRate = checkRate("error500", rate);
      return this;
    }

    /** Share of requests answered 503 ServiceUnavailable. */
    public Builder serviceUnavailableRate(double rate) {
      this.serviceUnavailableRate = checkRate("error503", rate);
      return this;
    }

    /** Share of requests answered 530 InternalDependencyException. */
    public Builder internalDependencyRate(double rate) {
      this.internalDependencyRate = checkRate("error530", rate);
      return this;
    }

    /** Share of requests answered 424 ModelError. */
    public Builder modelErrorRate(double rate) {
      this.modelErrorRate = checkRate("modelError", rate);
      return this;
    }

    /** The container status an injected ModelError reports (400..599); 500 by default. */
    public Builder modelErrorStatusCode(int status) {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException(
            "modelErrorStatus must be a container error status 400..599, got " + status);
      }
      this.modelErrorStatusCode = status;
      return this;
    }

    /** Requests per instance in the model at once before more are throttled; 0 = no cap. */
    public Builder maxConcurrentRequestsPerInstance(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxConcurrency must be 0 (no cap) or more, got " + max);
      }
      this.maxConcurrentRequestsPerInstance = max;
      return this;
    }

    /** Time added before the model answers. */
    public Builder latency(Latency latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
      return this;
    }

    /** The seed of the fault sequence. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @throws IllegalArgumentException when the rates add up to more than 1
     */
    public FaultSpec build() {
      double total =
          throttleRate
              + modelNotReadyRate
              + internalFailureRate
              + serviceUnavailableRate
              + modelErrorRate;
      if (total > 1 + 1e-9) {
        throw new IllegalArgumentException(
            "fault rates add up to "
                + total
                + "; a request gets at most one fault, so keep it <= 1");
      }
      return new FaultSpec(this);
    }
  }
}
