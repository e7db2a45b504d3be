package dev.sagemakerbeam.local.tuning;

import static dev.sagemakerbeam.local.server.RequestFields.checkEnum;
import static dev.sagemakerbeam.local.server.RequestFields.optionalString;
import static dev.sagemakerbeam.local.server.RequestFields.requireList;
import static dev.sagemakerbeam.local.server.RequestFields.requireString;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.algorithms.HyperparameterSpec;
import dev.sagemakerbeam.algorithms.InvalidHyperparameterException;
import dev.sagemakerbeam.local.server.ApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ParameterRanges of a tuning job as a search space: every range maps a point of the unit
 * interval to a hyperparameter value (through its ScalingType), categoricals are encoded one-hot,
 * so the strategies search in [0,1]^n whatever the ranges are.
 */
final class ParameterSpace {
  /** The most ranges SageMaker takes per kind. */
  private static final int MAX_RANGES = 30;

  /** One tuned hyperparameter. */
  sealed interface Range permits NumericRange, CategoricalRange {
    String name();

    /** Coordinates this range takes in the encoded vector. */
    int width();

    /** The value for coordinates {@code x[offset .. offset + width)}. */
    String decode(double[] x, int offset);

    /** Writes the coordinates of {@code value} into {@code x[offset ..]}. */
    void encode(String value, double[] x, int offset);
  }

  /**
   * An IntegerParameterRange or ContinuousParameterRange.
   *
   * @param scaling Linear, Logarithmic or ReverseLogarithmic (Auto is searched as Linear)
   */
  record NumericRange(String name, boolean integer, double min, double max, String scaling)
      implements Range {
    @Override
    public int width() {
      return 1;
    }

    @Override
    public String decode(double[] x, int offset) {
      return format(valueAt(x[offset]));
    }

    @Override
    public void encode(String value, double[] x, int offset) {
      x[offset] = positionOf(Double.parseDouble(value));
    }

    /** The value at position {@code t} of [0,1]. */
    double valueAt(double t) {
      t = Math.min(1, Math.max(0, t));
      double v;
      switch (scaling) {
        case "Logarithmic":
          v = Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min)));
          break;
        case "ReverseLogarithmic":
          v = 1 - Math.exp(Math.log(1 - min) - t * (Math.log(1 - min) - Math.log(1 - max)));
          break;
        default:
          v = integer ? min - 0.5 + t * (max - min + 1) : min + t * (max - min);
      }
      if (integer) {
        v = Math.rint(v);
      }
      return Math.min(max, Math.max(min, v));
    }

    /** Where {@code v} lies in [0,1]. */
    double positionOf(double v) {
      double t;
      switch (scaling) {
        case "Logarithmic":
          t = max == min ? 0 : (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min));
          break;
        case "ReverseLogarithmic":
          t = (Math.log(1 - min) - Math.log(1 - v)) / (Math.log(1 - min) - Math.log(1 - max));
          break;
        default:
          t = max == min ? 0 : (v - min) / (max - min);
      }
      return Math.min(1, Math.max(0, t));
    }

    String format(double v) {
      if (integer) {
        return Long.toString((long) v);
      }
      return BigDecimal.valueOf(v)
          .round(new java.math.MathContext(10))
          .stripTrailingZeros()
          .toPlainString();
    }
  }

  /** A CategoricalParameterRange, one-hot encoded. */
  record CategoricalRange(String name, List<String> values) implements Range {
    @Override
    public int width() {
      return values.size();
    }

    @Override
    public String decode(double[] x, int offset) {
      int best = 0;
      for (int i = 1; i < values.size(); i++) {
        if (x[offset + i] > x[offset + best]) {
          best = i;
        }
      }
      return values.get(best);
    }

    @Override
    public void encode(String value, double[] x, int offset) {
      for (int i = 0; i < values.size(); i++) {
        x[offset + i] = values.get(i).equals(value) ? 1 : 0;
      }
    }
  }

  private final List<Range> ranges;
  private final int dimensions;

  private ParameterSpace(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
    this.dimensions = ranges.stream().mapToInt(Range::width).sum();
  }

  List<Range> ranges() {
    return ranges;
  }

  /** The length of an encoded point. */
  int dimensions() {
    return dimensions;
  }

  /** The names of the tuned hyperparameters. */
  Set<String> names() {
    Set<String> names = new java.util.LinkedHashSet<>();
    ranges.forEach(r -> names.add(r.name()));
    return names;
  }

  /** The hyperparameter values of an encoded point. */
  Map<String, String> decode(double[] x) {
    Map<String, String> values = new LinkedHashMap<>();
    int offset = 0;
    for (Range range : ranges) {
      values.put(range.name(), range.decode(x, offset));
      offset += range.width();
    }
    return values;
  }

  /** The encoded point of some hyperparameter values (snapped to what the ranges produce). */
  double[] encode(Map<String, String> values) {
    double[] x = new double[dimensions];
    int offset = 0;
    for (Range range : ranges) {
      range.encode(values.get(range.name()), x, offset);
      offset += range.width();
    }
    return x;
  }

  /** A uniform point of the scaled space: uniform in [0,1] per numeric range, one category each. */
  double[] randomPoint(java.util.Random random) {
    double[] x = new double[dimensions];
    int offset = 0;
    for (Range range : ranges) {
      if (range instanceof CategoricalRange c) {
        x[offset + random.nextInt(c.values().size())] = 1;
      } else {
        x[offset] = random.nextDouble();
      }
      offset += range.width();
    }
    // snap integers and categories so that equal hyperparameters have equal points
    return encode(decode(x));
  }

  /** Whether every range is discrete (integer or categorical). */
  boolean isDiscrete() {
    return ranges.stream()
        .allMatch(r -> r instanceof CategoricalRange || ((NumericRange) r).integer());
  }

  /** The number of distinct combinations of a discrete space (saturating at Long.MAX_VALUE). */
  long combinations() {
    long n = 1;
    for (Range range : ranges) {
      long k =
          range instanceof CategoricalRange c
              ? c.values().size()
              : (long) (((NumericRange) range).max() - ((NumericRange) range).min()) + 1;
      n = n > Long.MAX_VALUE / Math.max(1, k) ? Long.MAX_VALUE : n * k;
    }
    return n;
  }

  /**
   * Reads and checks ParameterRanges.
   *
   * @param algorithm the built-in algorithm's description, or null for a user algorithm
   * @param staticHyperparameters the definition's StaticHyperParameters (a tuned name may not be
   *     among them)
   */
  static ParameterSpace parse(
      JsonNode parameterRanges,
      String path,
      AlgorithmSpec algorithm,
      Map<String, String> staticHyperparameters) {
    List<Range> ranges = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    if (parameterRanges != null) {
      for (String kind :
          new String[] {
            "IntegerParameterRanges", "ContinuousParameterRanges", "CategoricalParameterRanges"
          }) {
        JsonNode list = parameterRanges.get(kind);
        if (list == null || list.isNull()) {
          continue;
        }
        requireList(parameterRanges, kind, path + "." + kind, 0, MAX_RANGES);
        for (int i = 0; i < list.size(); i++) {
          String at = path + "." + kind + "." + (i + 1);
          JsonNode node = list.get(i);
          String name = requireString(node, "Name", at + ".Name");
          if (!seen.add(name)) {
            throw ApiException.validation(
                "The hyperparameter tuning job that you requested has more than one range for"
                    + " hyperparameter ["
                    + name
                    + "]. Give each hyperparameter one range.");
          }
          if (staticHyperparameters.containsKey(name)) {
            throw ApiException.validation(
                "Hyperparameter ["
                    + name
                    + "] is both static (TrainingJobDefinition.StaticHyperParameters) and tuned ("
                    + at
                    + "). Remove it from one of them.");
          }
          HyperparameterSpec spec = checkTunable(algorithm, name, at);
          Range range =
              kind.equals("CategoricalParameterRanges")
                  ? categorical(node, at, name, algorithm, spec)
                  : numeric(node, at, name, kind.equals("IntegerParameterRanges"), algorithm, spec);
          ranges.add(range);
        }
      }
    }
    if (parameterRanges != null && parameterRanges.has("AutoParameters")) {
      throw ApiException.validation(
          "ParameterRanges.AutoParameters (Autotune) is not supported by SageMaker Local; give"
              + " Integer, Continuous or Categorical parameter ranges");
    }
    if (ranges.isEmpty()) {
      throw ApiException.validation(
          "The hyperparameter tuning job has no hyperparameter ranges. Provide at least one"
              + " range in HyperParameterTuningJobConfig.ParameterRanges.");
    }
    return new ParameterSpace(ranges);
  }

  private static HyperparameterSpec checkTunable(AlgorithmSpec algorithm, String name, String at) {
    if (algorithm == null) {
      return null;
    }
    HyperparameterSpec spec = algorithm.hyperparameters().get(name);
    if (spec == null) {
      throw ApiException.validation(
          "The hyperparameter ["
              + name
              + "] at '"
              + at
              + ".Name' is not a "
              + algorithm.displayName()
              + " hyperparameter. Tunable "
              + algorithm.displayName()
              + " hyperparameters: "
              + algorithm.tunableHyperparameters());
    }
    if (!algorithm.tunableHyperparameters().contains(name)) {
      throw ApiException.validation(
          "Hyperparameter: '"
              + name
              + "' is not tunable. Tunable "
              + algorithm.displayName()
              + " hyperparameters: "
              + algorithm.tunableHyperparameters());
    }
    return spec;
  }

  private static Range categorical(
      JsonNode node, String at, String name, AlgorithmSpec algorithm, HyperparameterSpec spec) {
    JsonNode values = requireList(node, "Values", at + ".Values", 1, 30);
    List<String> list = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      if (!values.get(i).isTextual()) {
        throw ApiException.validation(
            "Value at '" + at + ".Values." + (i + 1) + "' must be a string");
      }
      String value = values.get(i).asText();
      if (spec != null) {
        value = checkValue(algorithm, spec, value, at + ".Values." + (i + 1));
      }
      if (list.contains(value)) {
        throw ApiException.validation(
            "The categorical range for hyperparameter ["
                + name
                + "] lists the value ["
                + value
                + "] more than once.");
      }
      list.add(value);
    }
    return new CategoricalRange(name, list);
  }

  private static Range numeric(
      JsonNode node,
      String at,
      String name,
      boolean integer,
      AlgorithmSpec algorithm,
      HyperparameterSpec spec) {
    String minText = requireString(node, "MinValue", at + ".MinValue");
    String maxText = requireString(node, "MaxValue", at + ".MaxValue");
    String scaling = optionalString(node, "ScalingType", at + ".ScalingType");
    scaling =
        scaling == null
            ? "Auto"
            : checkEnum(
                at + ".ScalingType",
                scaling,
                "Auto",
                "Linear",
                "Logarithmic",
                "ReverseLogarithmic");
    double min = parseBound(minText, integer, at + ".MinValue");
    double max = parseBound(maxText, integer, at + ".MaxValue");
    if (min > max) {
      throw ApiException.validation(
          "The MinValue ["
              + minText
              + "] of the range for hyperparameter ["
              + name
              + "] is greater than its MaxValue ["
              + maxText
              + "].");
    }
    if (spec != null) {
      if (integer && spec.type() != HyperparameterSpec.Type.INTEGER) {
        throw ApiException.validation(
            "Hyperparameter ["
                + name
                + "] of "
                + algorithm.displayName()
                + " takes "
                + spec.rule()
                + "; give it a "
                + (spec.type() == HyperparameterSpec.Type.FLOAT
                    ? "ContinuousParameterRange"
                    : "CategoricalParameterRange")
                + ", not an IntegerParameterRange.");
      }
      if (!integer
          && spec.type() != HyperparameterSpec.Type.FLOAT
          && spec.type() != HyperparameterSpec.Type.INTEGER) {
        throw ApiException.validation(
            "Hyperparameter ["
                + name
                + "] of "
                + algorithm.displayName()
                + " takes "
                + spec.rule()
                + "; give it a CategoricalParameterRange, not a ContinuousParameterRange.");
      }
      checkValue(algorithm, spec, minText, at + ".MinValue");
      checkValue(algorithm, spec, maxText, at + ".MaxValue");
    }
    if (scaling.equals("Logarithmic") && min <= 0) {
      throw ApiException.validation(
          "The hyperparameter tuning job that you requested has a range for hyperparameter ["
              + name
              + "] with ScalingType Logarithmic and MinValue ["
              + minText
              + "]. Logarithmic scaling works only for ranges that have values greater than 0.");
    }
    if (scaling.equals("ReverseLogarithmic")) {
      if (integer) {
        throw ApiException.validation(
            "ScalingType ReverseLogarithmic at '"
                + at
                + ".ScalingType' is only supported for ContinuousParameterRanges.");
      }
      if (!(min >= 0 && max < 1)) {
        throw ApiException.validation(
            "The hyperparameter tuning job that you requested has a range for hyperparameter ["
                + name
                + "] with ScalingType ReverseLogarithmic and values ["
                + minText
                + ", "
                + maxText
                + "]. Reverse logarithmic scaling works only for ranges that are entirely within"
                + " 0 <= x < 1.0.");
      }
    }
    return new NumericRange(name, integer, min, max, scaling.equals("Auto") ? "Linear" : scaling);
  }

  private static String checkValue(
      AlgorithmSpec algorithm, HyperparameterSpec spec, String value, String at) {
    try {
      return spec.check(algorithm.displayName(), value);
    } catch (InvalidHyperparameterException e) {
      throw ApiException.validation(
          "The value [" + value + "] at '" + at + "' is outside the range: " + e.getMessage());
    }
  }

  private static double parseBound(String text, boolean integer, String at) {
    try {
      double v = integer ? Long.parseLong(text.trim()) : Double.parseDouble(text.trim());
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.validation(
          "Value '" + text + "' at '" + at + "' is not " + (integer ? "an integer" : "a number"));
    }
  }
}
