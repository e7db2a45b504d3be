package dev.sagemakerbeam.transforms.algorithms;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hyperparameters of a training job: typed setters in subclasses validate each value before
 * anything is sent (the message names the parameter, the value and the rule), {@link #raw} sets
 * any other one as a string, and {@link #toMap()} checks required parameters and SageMaker's limits
 * (at most 100 entries, keys and values up to 256 characters).
 */
public abstract class Hyperparameters implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int MAX_ENTRIES = 100;
  public static final int MAX_LENGTH = 256;

  private final Map<String, String> values = new LinkedHashMap<>();

  /** The algorithm these are for, used in messages. */
  protected abstract String algorithm();

  /** Names of the parameters the algorithm requires. */
  protected abstract List<String> required();

  /** Sets any hyperparameter as a string (typed setters are preferable where they exist). */
  public Hyperparameters raw(String name, String value) {
    if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          algorithm() + " hyperparameter name '" + name + "' must have 1 to " + MAX_LENGTH + " characters");
    }
    if (value == null || value.length() > MAX_LENGTH) {
      throw invalid(name, value, "a value of at most " + MAX_LENGTH + " characters");
    }
    values.put(name, value);
    return this;
  }

  /** The hyperparameters as sent to SageMaker, after checking required ones and limits. */
  public Map<String, String> toMap() {
    for (String name : required()) {
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException(
            algorithm() + " hyperparameter " + name + " is required but not set; required: " + required());
      }
    }
    if (values.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          algorithm() + " has " + values.size() + " hyperparameters; SageMaker accepts at most " + MAX_ENTRIES);
    }
    validateTogether(Collections.unmodifiableMap(values));
    return Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Checks rules that involve several parameters; the default has none. */
  protected void validateTogether(Map<String, String> all) {}

  /** A numeric parameter from the map (set typed or raw), or a message naming it. */
  protected final long longValue(Map<String, String> all, String name) {
    String v = all.get(name);
    try {
      return Long.parseLong(v.trim());
    } catch (RuntimeException e) {
      throw invalid(name, v, "an integer");
    }
  }

  protected final void putPositiveInt(String name, long value) {
    if (value < 1 || value > Integer.MAX_VALUE) {
      throw invalid(name, value, "a positive integer");
    }
    values.put(name, Long.toString(value));
  }

  protected final void putNonNegativeInt(String name, long value) {
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw invalid(name, value, "a non-negative integer");
    }
    values.put(name, Long.toString(value));
  }

  protected final void putChoice(String name, String value, List<String> choices) {
    if (!choices.contains(value)) {
      throw invalid(name, value, "one of " + choices);
    }
    values.put(name, value);
  }

  protected final void put(String name, String value) {
    values.put(name, value);
  }

  protected final IllegalArgumentException invalid(String name, Object value, String rule) {
    return new IllegalArgumentException(
        algorithm() + " hyperparameter " + name + " = " + value + " is invalid: it must be " + rule);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + values;
  }
}
