package dev.sagemakerbeam.local.faults;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults in force in one SageMaker Local: per endpoint (and per variant, which takes precedence
 * over its endpoint's) a {@link FaultSpec} with its own request sequence, and training job
 * failures. Thread-safe; setting a spec again restarts its sequence, so a test that sets the same
 * spec and sends the same requests in the same order sees the same faults.
 */
public final class FaultInjector {
  private static final String WHOLE_ENDPOINT = "";

  /** What an injected fault does to one request. */
  public enum Outcome {
    NONE,
    THROTTLE,
    MODEL_NOT_READY,
    INTERNAL_FAILURE,
    SERVICE_UNAVAILABLE,
    INTERNAL_DEPENDENCY,
    MODEL_ERROR,
    /** Throttled because of {@link FaultSpec#maxConcurrentRequestsPerInstance()}. */
    CONCURRENCY_THROTTLE
  }

  /**
   * The fault decided for one request.
   *
   * @param sequence the request's position in the spec's sequence (from 0)
   * @param latencyNanos time to add before the model answers
   */
  public record Decision(
      Outcome outcome, long latencyNanos, long sequence, FaultSpec spec, Active active) {
    /** Counts a request throttled by the concurrency cap. */
    public void countConcurrencyThrottle() {
      active.counts.get(Outcome.CONCURRENCY_THROTTLE).incrementAndGet();
      active.counts.get(outcome).decrementAndGet();
    }
  }

  /** One spec in force and what it has done. */
  public static final class Active {
    private final FaultSpec spec;
    private final AtomicLong next = new AtomicLong();
    private final Map<Outcome, AtomicLong> counts = new LinkedHashMap<>();

    private Active(FaultSpec spec) {
      this.spec = spec;
      for (Outcome outcome : Outcome.values()) {
        counts.put(outcome, new AtomicLong());
      }
    }

    public FaultSpec spec() {
      return spec;
    }

    /** Requests answered so far, by outcome. */
    public Map<Outcome, Long> counts() {
      Map<Outcome, Long> snapshot = new LinkedHashMap<>();
      counts.forEach((k, v) -> snapshot.put(k, v.get()));
      return snapshot;
    }

    private Decision decide() {
      long sequence = next.getAndIncrement();
      // One generator per request, from the seed and the request's position: deterministic for a
      // given order whatever the threads, and no lock on the request path.
      SplittableRandom random =
          new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + sequence * 0xBF58476D1CE4E5B9L);
      double u = random.nextDouble();
      Outcome outcome;
      double edge = spec.throttleRate();
      if (u < edge) {
        outcome = Outcome.THROTTLE;
      } else if (u < (edge += spec.modelNotReadyRate())) {
        outcome = Outcome.MODEL_NOT_READY;
      } else if (u < (edge += spec.internalFailureRate())) {
        outcome = Outcome.INTERNAL_FAILURE;
      } else if (u < (edge += spec.serviceUnavailableRate())) {
        outcome = Outcome.SERVICE_UNAVAILABLE;
      } else if (u < (edge += spec.internalDependencyRate())) {
        outcome = Outcome.INTERNAL_DEPENDENCY;
      } else if (u < edge + spec.modelErrorRate()) {
        outcome = Outcome.MODEL_ERROR;
      } else {
        outcome = Outcome.NONE;
      }
      long latency = spec.latency().sampleNanos(random);
      counts.get(outcome).incrementAndGet();
      return new Decision(outcome, latency, sequence, spec, this);
    }
  }

  private final Map<String, Map<String, Active>> endpoints = new ConcurrentHashMap<>();
  private final List<TrainingFault> trainingFaults = new CopyOnWriteArrayList<>();

  /** A new injector with the same specs (sequences from the start) and training faults. */
  public FaultInjector copy() {
    FaultInjector copy = new FaultInjector();
    endpoints.forEach(
        (endpoint, specs) ->
            specs.forEach((variant, active) -> copy.put(endpoint, variant, active.spec)));
    copy.trainingFaults.addAll(trainingFaults);
    return copy;
  }

  /** Sets (or replaces, restarting its sequence) the faults of a whole endpoint. */
  public void set(String endpointName, FaultSpec spec) {
    put(endpointName, WHOLE_ENDPOINT, spec);
  }

  /** Sets the faults of one production variant; they take precedence over the endpoint's. */
  public void set(String endpointName, String variantName, FaultSpec spec) {
    if (Objects.requireNonNull(variantName, "variantName").isEmpty()) {
      throw new IllegalArgumentException("variantName is empty");
    }
    put(endpointName, variantName, spec);
  }

  private void put(String endpointName, String variant, FaultSpec spec) {
    Objects.requireNonNull(endpointName, "endpointName");
    Objects.requireNonNull(spec, "spec");
    endpoints.compute(
        endpointName,
        (k, v) -> {
          Map<String, Active> copy = v == null ? new LinkedHashMap<>() : new LinkedHashMap<>(v);
          copy.put(variant, new Active(spec));
          return Map.copyOf(copy);
        });
  }

  /** Removes every fault of an endpoint (its variants' too); whether there were any. */
  public boolean clear(String endpointName) {
    return endpoints.remove(endpointName) != null;
  }

  /** Removes the faults of one variant; whether there were any. */
  public boolean clear(String endpointName, String variantName) {
    boolean[] removed = {false};
    endpoints.computeIfPresent(
        endpointName,
        (k, v) -> {
          if (!v.containsKey(variantName)) {
            return v;
          }
          removed[0] = true;
          Map<String, Active> copy = new LinkedHashMap<>(v);
          copy.remove(variantName);
          return copy.isEmpty() ? null : Map.copyOf(copy);
        });
    return removed[0];
  }

  /** Removes every endpoint and training fault. */
  public void clearAll() {
    endpoints.clear();
    trainingFaults.clear();
  }

  /** Fails every training job whose name matches {@code jobNamePattern} at {@code phase}. */
  public void failTrainingAt(String jobNamePattern, String phase) {
    trainingFaults.add(new TrainingFault(jobNamePattern, phase));
  }

  /** Adds a training fault. */
  public void add(TrainingFault fault) {
    trainingFaults.add(Objects.requireNonNull(fault, "fault"));
  }

  /** Removes every training fault; whether there were any. */
  public boolean clearTrainingFaults() {
    boolean any = !trainingFaults.isEmpty();
    trainingFaults.clear();
    return any;
  }

  /** The training faults in force. */
  public List<TrainingFault> trainingFaults() {
    return List.copyOf(trainingFaults);
  }

  /** The specs in force: endpoint name to variant name ("" for the whole endpoint) to spec. */
  public Map<String, Map<String, Active>> endpointFaults() {
    return new TreeMap<>(endpoints);
  }

  /**
   * The fault for the next request to {@code variantName} of {@code endpointName}, or null when no
   * fault is set for either (the common case costs one map lookup).
   */
  public Decision decide(String endpointName, String variantName) {
    if (endpoints.isEmpty()) {
      return null;
    }
    Map<String, Active> specs = endpoints.get(endpointName);
    if (specs == null) {
      return null;
    }
    Active active = specs.get(variantName);
    if (active == null) {
      active = specs.get(WHOLE_ENDPOINT);
    }
    return active == null ? null : active.decide();
  }

  /** The FailureReason for a job entering {@code secondaryStatus}, when a fault says it fails. */
  public Optional<String> trainingFailure(String jobName, String secondaryStatus) {
    for (TrainingFault fault : trainingFaults) {
      if (fault.matches(jobName, secondaryStatus)) {
        return Optional.of(fault.failureReason());
      }
    }
    return Optional.empty();
  }
}
