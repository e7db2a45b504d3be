package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reading of a built-in algorithm's hyperparameters, which SageMaker passes as strings. Each
 * failure names the parameter, the value given and the rule it breaks, because that message becomes
 * the training job's FailureReason.
 */
final class Hyperparameters {

  /**
   * Names SageMaker and its SDKs add on their own (hyperparameter tuning, distributed training
   * settings); the built-in algorithms accept and ignore them.
   */
  private static final Set<String> PLATFORM_NAMES =
      Set.of("_tuning_objective_metric", "_kvstore", "_num_gpus", "_num_kv_servers", "_log_level");

  private final String algorithm;
  private final Map<String, String> values;

  private Hyperparameters(String algorithm, Map<String, String> values) {
    this.algorithm = algorithm;
    this.values = values;
  }

  /**
   * Wraps {@code values} after checking that every name is one of {@code known} (or one SageMaker
   * adds itself).
   */
  static Hyperparameters of(String algorithm, Map<String, String> values, Set<String> known)
      throws AlgorithmException {
    if (values == null) {
      values = Map.of();
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!known.contains(e.getKey()) && !PLATFORM_NAMES.contains(e.getKey())) {
        throw new AlgorithmException(
            "Hyperparameter " + e.getKey() + "=\"" + e.getValue() + "\" is not a " + algorithm
                + " hyperparameter; remove it. Known: " + String.join(", ", new TreeSet<>(known)));
      }
    }
    return new Hyperparameters(algorithm, values);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /** A required positive integer. */
  int requiredPositiveInt(String name) throws AlgorithmException {
    return positiveInt(name, require(name, "a positive integer"));
  }

  /** An optional positive integer. */
  int positiveInt(String name, int defaultValue) throws AlgorithmException {
    String raw = values.get(name);
    return raw == null ? defaultValue : positiveInt(name, raw);
  }

  /** An optional integer that is at least {@code min}. */
  int intAtLeast(String name, int min, int defaultValue, String rule) throws AlgorithmException {
    String raw = values.get(name);
    if (raw == null) {
      return defaultValue;
    }
    Integer v = parseInt(raw);
    if (v == null || v < min) {
      throw invalid(name, raw, rule);
    }
    return v;
  }

  /** An optional positive integer or the word {@code auto} (returned as 0). */
  int positiveIntOrAuto(String name) throws AlgorithmException {
    String raw = values.get(name);
    if (raw == null || raw.trim().equalsIgnoreCase("auto")) {
      return 0;
    }
    Integer v = parseInt(raw);
    if (v == null || v <= 0) {
      throw invalid(name, raw, "must be a positive integer or auto");
    }
    return v;
  }

  /** An optional number in {@code [min, max]}. */
  double doubleInRange(String name, double min, double max, double defaultValue)
      throws AlgorithmException {
    String raw = values.get(name);
    if (raw == null) {
      return defaultValue;
    }
    double v;
    try {
      v = Double.parseDouble(raw.trim());
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (!(v >= min && v <= max)) {
      throw invalid(name, raw, "must be a number in [" + min + ", " + max + "]");
    }
    return v;
  }

  /** An optional value out of {@code choices} (case-insensitive), returned in lower case. */
  String choice(String name, String defaultValue, String... choices) throws AlgorithmException {
    String raw = values.get(name);
    if (raw == null) {
      return defaultValue;
    }
    String v = raw.trim().toLowerCase(Locale.ROOT);
    for (String c : choices) {
      if (c.equals(v)) {
        return c;
      }
    }
    throw invalid(name, raw, "must be one of " + String.join(", ", choices));
  }

  /** An optional boolean, {@code true} or {@code false} in any case. */
  boolean bool(String name, boolean defaultValue) throws AlgorithmException {
    String raw = values.get(name);
    if (raw == null) {
      return defaultValue;
    }
    String v = raw.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true")) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw invalid(name, raw, "must be true or false");
  }

  /**
   * An optional list of words out of {@code allowed}, written as SageMaker's docs show it: a JSON
   * list such as {@code ["msd","ssd"]} (escaped quotes, single quotes and bare words tolerated).
   */
  List<String> wordList(String name, List<String> defaultValue, Set<String> allowed)
      throws AlgorithmException {
    String raw = values.get(name);
    if (raw == null) {
      return defaultValue;
    }
    String rule = "must be a JSON list of one or more of " + String.join(", ", new TreeSet<>(allowed))
        + ", for example [\"msd\",\"ssd\"]";
    String s = raw.trim();
    if (!s.startsWith("[") || !s.endsWith("]")) {
      throw invalid(name, raw, rule);
    }
    Set<String> words = new LinkedHashSet<>();
    for (String part : s.substring(1, s.length() - 1).split(",")) {
      String w = part.replace("\\", "").replace("\"", "").replace("'", "").trim();
      if (!allowed.contains(w)) {
        throw invalid(name, raw, rule);
      }
      words.add(w);
    }
    return new ArrayList<>(words);
  }

  AlgorithmException invalid(String name, String raw, String rule) {
    return new AlgorithmException(
        "Hyperparameter " + name + "=\"" + raw + "\" is invalid for " + algorithm + ": " + rule);
  }

  private String require(String name, String rule) throws AlgorithmException {
    String raw = values.get(name);
    if (raw == null) {
      throw new AlgorithmException(
          "Hyperparameter " + name + " is required by " + algorithm + " but missing: give "
              + rule);
    }
    return raw;
  }

  private int positiveInt(String name, String raw) throws AlgorithmException {
    Integer v = parseInt(raw);
    if (v == null || v <= 0) {
      throw invalid(name, raw, "must be a positive integer");
    }
    return v;
  }

  private static Integer parseInt(String raw) {
    try {
      return Integer.valueOf(raw.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
