package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.algorithms.InvalidHyperparameterException;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * A built-in algorithm's hyperparameters after the catalogue's checks ({@link AlgorithmSpec}: the
 * same rules and messages as the client's presets and Spark Params), read typed with the service's
 * defaults. The check's message becomes the training job's FailureReason.
 */
final class CheckedHyperparameters {
  private final AlgorithmSpec spec;
  private final Map<String, String> values;

  private CheckedHyperparameters(AlgorithmSpec spec, Map<String, String> values) {
    this.spec = spec;
    this.values = values;
  }

  /** Checks {@code values} as the algorithm does: also refusing names it does not know. */
  static CheckedHyperparameters of(AlgorithmSpec spec, Map<String, String> values)
      throws AlgorithmException {
    try {
      return new CheckedHyperparameters(
          spec, spec.validate(values == null ? Map.of() : values, true));
    } catch (InvalidHyperparameterException e) {
      throw new AlgorithmException(e.getMessage());
    }
  }

  /** The values given (checked and normalised), without defaults. */
  Map<String, String> given() {
    return values;
  }

  /** Whether {@code name} was given. */
  boolean has(String name) {
    return values.containsKey(name);
  }

  private String value(String name) {
    String v = spec.valueOrDefault(values, name);
    if (v == null) {
      throw new IllegalStateException(spec.displayName() + " has no value or default for " + name);
    }
    return v;
  }

  /** An integer; {@code auto} reads as 0. */
  int intValue(String name) {
    String v = value(name);
    return v.equals("auto") ? 0 : Integer.parseInt(v);
  }

  double doubleValue(String name) {
    return Double.parseDouble(value(name));
  }

  boolean bool(String name) {
    return Boolean.parseBoolean(value(name));
  }

  String string(String name) {
    return value(name);
  }

  List<String> list(String name) {
    return spec.hyperparameters().get(name).parseList(spec.displayName(), value(name));
  }
}
