package dev.sagemakerbeam.transforms.tuning;

import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One hyperparameter a tuning job searches: an integer or continuous interval with SageMaker's
 * scaling, or categorical values. Checked against the algorithm catalogue when the algorithm is a
 * built-in ({@link #checkAgainst}), so a range outside the hyperparameter's bounds fails when the
 * job is built, with the catalogue's rule.
 */
public final class HyperparameterRange implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The three kinds of SageMaker ParameterRanges. */
  public enum Kind {
    INTEGER,
    CONTINUOUS,
    CATEGORICAL
  }

  /** SageMaker's ScalingType. */
  public enum Scaling {
    AUTO("Auto"),
    LINEAR("Linear"),
    LOGARITHMIC("Logarithmic"),
    REVERSE_LOGARITHMIC("ReverseLogarithmic");

    private final String apiName;

    Scaling(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }
  }

  private final String name;
  private final Kind kind;
  private final String min;
  private final String max;
  private final List<String> values;
  private final Scaling scaling;

  private HyperparameterRange(
      String name, Kind kind, String min, String max, List<String> values, Scaling scaling) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a tuning range needs the hyperparameter's name");
    }
    this.name = name;
    this.kind = kind;
    this.min = min;
    this.max = max;
    this.values = values;
    this.scaling = scaling;
  }

  public static HyperparameterRange integer(String name, long min, long max) {
    return integer(name, min, max, Scaling.AUTO);
  }

  public static HyperparameterRange integer(String name, long min, long max, Scaling scaling) {
    checkInterval(name, min, max, scaling);
    return new HyperparameterRange(
        name, Kind.INTEGER, Long.toString(min), Long.toString(max), List.of(), scaling);
  }

  public static HyperparameterRange continuous(String name, double min, double max) {
    return continuous(name, min, max, Scaling.AUTO);
  }

  public static HyperparameterRange continuous(
      String name, double min, double max, Scaling scaling) {
    checkInterval(name, min, max, scaling);
    return new HyperparameterRange(
        name, Kind.CONTINUOUS, Double.toString(min), Double.toString(max), List.of(), scaling);
  }

  public static HyperparameterRange categorical(String name, String... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("categorical range " + name + " needs at least a value");
    }
    return new HyperparameterRange(
        name, Kind.CATEGORICAL, null, null, List.of(values), Scaling.AUTO);
  }

  private static void checkInterval(String name, double min, double max, Scaling scaling) {
    if (!(min < max)) {
      throw new IllegalArgumentException(
          "range " + name + " needs min < max, got [" + min + ", " + max + "]");
    }
    if (scaling == Scaling.LOGARITHMIC && min <= 0) {
      throw new IllegalArgumentException(
          "range " + name + ": Logarithmic scaling needs min > 0, got " + min);
    }
    if (scaling == Scaling.REVERSE_LOGARITHMIC && (min < 0 || max >= 1)) {
      throw new IllegalArgumentException(
          "range "
              + name
              + ": ReverseLogarithmic scaling needs 0 <= min < max < 1, got ["
              + min
              + ", "
              + max
              + "]");
    }
  }

  /**
   * Checks that {@code spec} has this hyperparameter, that SageMaker tunes it, and that it allows
   * the range's ends (or values), with the catalogue's rule in the message.
   */
  public HyperparameterRange checkAgainst(AlgorithmSpec spec) {
    if (!spec.tunableHyperparameters().isEmpty() && !spec.tunableHyperparameters().contains(name)) {
      throw new IllegalArgumentException(
          spec.displayName()
              + " hyperparameter "
              + name
              + " is not tunable; tunable: "
              + String.join(", ", spec.tunableHyperparameters()));
    }
    spec.hyperparameter(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    spec.displayName()
                        + " has no hyperparameter "
                        + name
                        + " to tune; its hyperparameters: "
                        + String.join(", ", spec.hyperparameters().keySet())));
    if (kind == Kind.CATEGORICAL) {
      values.forEach(v -> spec.check(name, v));
    } else {
      spec.check(name, min);
      spec.check(name, max);
    }
    return this;
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  /** The interval's lower end, or null for a categorical range. */
  public String min() {
    return min;
  }

  public String max() {
    return max;
  }

  /** The categorical values, empty for an interval. */
  public List<String> values() {
    return values;
  }

  public Scaling scaling() {
    return scaling;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HyperparameterRange r
        && r.name.equals(name)
        && r.kind == kind
        && Objects.equals(r.min, min)
        && Objects.equals(r.max, max)
        && r.values.equals(values)
        && r.scaling == scaling;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, kind, min, max, values, scaling);
  }

  @Override
  public String toString() {
    return kind == Kind.CATEGORICAL
        ? name + " in " + values
        : name + " in [" + min + ", " + max + "] (" + scaling.apiName() + ")";
  }
}
