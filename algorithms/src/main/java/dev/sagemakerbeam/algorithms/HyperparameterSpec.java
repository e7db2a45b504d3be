package dev.sagemakerbeam.algorithms;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One hyperparameter of a built-in algorithm, described once: its SageMaker name, type, bounds or
 * choices, whether it is required, whether SageMaker takes {@code auto}, what the service defaults
 * to, and the name of its Spark {@code Param}. {@link #check} is the one rule every layer applies
 * (the Beam presets, the Spark Params, SageMaker Local), with the same message.
 */
public final class HyperparameterSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The value types SageMaker's built-in algorithms document. */
  public enum Type {
    /** A 32-bit integer within {@link #min()}..{@link #max()}. */
    INTEGER,
    /** A number within {@link #min()}..{@link #max()}. */
    FLOAT,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** One of {@link #choices()}. */
    CATEGORICAL,
    /** A JSON list of one or more of {@link #choices()}, e.g. {@code ["msd","ssd"]}. */
    CATEGORICAL_LIST,
    /**
     * A comma-separated list of one or more words, each matching {@link #wordPattern()}, e.g.
     * XGBoost's {@code eval_metric} {@code rmse,error@0.7}.
     */
    WORD_LIST
  }

  private final String name;
  private final String sparkName;
  private final Type type;
  private final boolean required;
  private final boolean allowsAuto;
  private final String alsoAllows;
  private final boolean sparkNumbersOnly;
  private final String beamName;
  private final Double min;
  private final Double max;
  private final boolean minExclusive;
  private final boolean maxExclusive;
  private final java.util.regex.Pattern wordPattern;
  private final String wordsRule;
  private final String wordsExample;
  private final List<String> choices;
  private final String serviceDefault;
  private final String description;

  private HyperparameterSpec(Builder b) {
    this.name = b.name;
    this.sparkName = b.sparkName;
    this.type = b.type;
    this.required = b.required;
    this.allowsAuto = b.allowsAuto;
    this.alsoAllows = b.alsoAllows;
    this.sparkNumbersOnly = b.sparkNumbersOnly;
    this.beamName = b.beamName != null ? b.beamName : camelCase(b.name);
    this.min = b.min;
    this.max = b.max;
    this.minExclusive = b.minExclusive;
    this.maxExclusive = b.maxExclusive;
    this.wordPattern = b.wordPattern;
    this.wordsRule = b.wordsRule;
    this.wordsExample = b.wordsExample;
    this.choices = List.copyOf(b.choices);
    this.serviceDefault = b.serviceDefault;
    this.description = b.description;
  }

  /** An integer hyperparameter; {@code sparkName} is its Spark Param's name. */
  public static Builder integer(String name, String sparkName) {
    return new Builder(name, sparkName, Type.INTEGER);
  }

  public static Builder number(String name, String sparkName) {
    return new Builder(name, sparkName, Type.FLOAT);
  }

  public static Builder bool(String name, String sparkName) {
    return new Builder(name, sparkName, Type.BOOLEAN);
  }

  public static Builder categorical(String name, String sparkName, String... choices) {
    return new Builder(name, sparkName, Type.CATEGORICAL).choices(choices);
  }

  public static Builder categoricalList(String name, String sparkName, String... choices) {
    return new Builder(name, sparkName, Type.CATEGORICAL_LIST).choices(choices);
  }

  /**
   * A comma-separated list of words, each matching {@code wordPattern} (a regular expression over
   * one word); {@code wordsRule} says in words what they may be, for messages.
   */
  public static Builder wordList(
      String name, String sparkName, String wordPattern, String wordsRule) {
    Builder b = new Builder(name, sparkName, Type.WORD_LIST);
    b.wordPattern = java.util.regex.Pattern.compile(wordPattern);
    b.wordsRule = wordsRule;
    return b;
  }

  /** The name SageMaker takes, e.g. {@code feature_dim}. */
  public String name() {
    return name;
  }

  /** The Spark Param's name, e.g. {@code featureDim}. */
  public String sparkName() {
    return sparkName;
  }

  public Type type() {
    return type;
  }

  public boolean required() {
    return required;
  }

  /** Whether SageMaker takes the word {@code auto} for it. */
  public boolean allowsAuto() {
    return allowsAuto;
  }

  /** The lower bound of a number (inclusive unless {@link #minExclusive()}), or null. */
  /**
   * The name of its setter in the Beam presets' hyperparameters: the name in camel case ({@code
   * feature_dim}: {@code featureDim}) unless {@link Builder#beamName given}.
   */
  public String beamName() {
    return beamName;
  }

  private static String camelCase(String name) {
    StringBuilder s = new StringBuilder();
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        s.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return s.toString();
  }

  /**
   * Whether SageMaker takes a word ({@code auto}, or {@link Builder#alsoAllows}) besides values.
   */
  public boolean takesWords() {
    return allowsAuto || alsoAllows != null;
  }

  /**
   * Whether the Spark Param is a {@code Param<String>} that takes the hyperparameter's words
   * ({@code auto}, or {@link Builder#alsoAllows}) besides its values: true for an integer, number
   * or boolean that takes words, unless marked {@link Builder#sparkNumbersOnly()}; categorical and
   * word-list hyperparameters are String Params anyway.
   */
  public boolean sparkTakesWords() {
    return takesWords() && !sparkNumbersOnly;
  }

  public Double min() {
    return min;
  }

  /** The upper bound of a number (inclusive unless {@link #maxExclusive()}), or null. */
  public Double max() {
    return max;
  }

  public boolean minExclusive() {
    return minExclusive;
  }

  public boolean maxExclusive() {
    return maxExclusive;
  }

  /** The pattern each word of a {@link Type#WORD_LIST} matches, or null. */
  public java.util.regex.Pattern wordPattern() {
    return wordPattern;
  }

  /** The allowed words of a categorical hyperparameter (empty otherwise). */
  public List<String> choices() {
    return choices;
  }

  /** What SageMaker uses when it is not given (as SageMaker writes it), or null for none. */
  public String serviceDefault() {
    return serviceDefault;
  }

  public String description() {
    return description;
  }

  /** The rule in words, as it appears in every message: "an integer of at least 2", ... */
  public String rule() {
    String base;
    switch (type) {
      case INTEGER:
        base = numberRule("an integer", "a positive integer", "a non-negative integer");
        break;
      case FLOAT:
        base = numberRule("a number", "a positive number", "a non-negative number");
        break;
      case BOOLEAN:
        base = "true or false";
        break;
      case CATEGORICAL:
        base = "one of " + choices;
        break;
      case WORD_LIST:
        base = "a comma-separated list of " + wordsRule;
        break;
      default:
        base = "a JSON list of one or more of " + choices + ", e.g. [\"" + choices.get(0) + "\"]";
    }
    if (alsoAllows != null) {
      return base + (allowsAuto ? ", " + alsoAllows + " or auto" : " or " + alsoAllows);
    }
    return allowsAuto ? base + " or auto" : base;
  }

  private String numberRule(String noun, String positive, String nonNegative) {
    if (min != null && max != null) {
      return noun
          + " in "
          + (minExclusive ? "(" : "[")
          + format(min)
          + ", "
          + format(max)
          + (maxExclusive ? ")" : "]");
    }
    if (min != null && minExclusive) {
      return noun + " greater than " + format(min);
    }
    if (max != null && maxExclusive) {
      return noun + " less than " + format(max);
    }
    if (min != null && max == null && type == Type.INTEGER && min == 1) {
      return positive;
    }
    if (min != null && max == null && min == 0) {
      return nonNegative;
    }
    if (min != null) {
      return noun + " of at least " + format(min);
    }
    if (max != null) {
      return noun + " of at most " + format(max);
    }
    return noun;
  }

  private static String format(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /**
   * Checks a value as SageMaker receives it (a string) and returns it as it is sent on (integers
   * and booleans normalised, categorical words in lower case).
   *
   * @param algorithm the algorithm's display name, for the message
   * @throws InvalidHyperparameterException naming the algorithm, the hyperparameter, the value and
   *     {@link #rule()}
   */
  public String check(String algorithm, String value) {
    if (value == null) {
      throw new InvalidHyperparameterException(algorithm, name, null, rule());
    }
    String v = value.trim();
    if (allowsAuto && v.equalsIgnoreCase("auto")) {
      return "auto";
    }
    if (alsoAllows != null && v.equalsIgnoreCase(alsoAllows)) {
      return alsoAllows;
    }
    switch (type) {
      case INTEGER:
        {
          long n;
          try {
            n = Long.parseLong(v);
          } catch (NumberFormatException e) {
            throw invalid(algorithm, value);
          }
          if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE || !inBounds(n)) {
            throw invalid(algorithm, value);
          }
          return Long.toString(n);
        }
      case FLOAT:
        {
          double d;
          try {
            d = Double.parseDouble(v);
          } catch (NumberFormatException e) {
            throw invalid(algorithm, value);
          }
          if (Double.isNaN(d) || Double.isInfinite(d) || !inBounds(d)) {
            throw invalid(algorithm, value);
          }
          return v;
        }
      case BOOLEAN:
        {
          String b = v.toLowerCase(Locale.ROOT);
          if (!b.equals("true") && !b.equals("false")) {
            throw invalid(algorithm, value);
          }
          return b;
        }
      case CATEGORICAL:
        {
          String c = v.toLowerCase(Locale.ROOT);
          for (String choice : choices) {
            if (choice.toLowerCase(Locale.ROOT).equals(c)) {
              return choice;
            }
          }
          throw invalid(algorithm, value);
        }
      case WORD_LIST:
        {
          List<String> words = new ArrayList<>();
          for (String part : v.split(",", -1)) {
            String w = part.trim();
            if (!wordPattern.matcher(w).matches()) {
              throw invalid(algorithm, value);
            }
            words.add(w);
          }
          return String.join(",", words);
        }
      default:
        return formatList(parseList(algorithm, value));
    }
  }

  /** The words of a valid {@link Type#CATEGORICAL_LIST} value. */
  public List<String> parseList(String algorithm, String value) {
    String s = value.trim();
    if (!s.startsWith("[") || !s.endsWith("]")) {
      throw invalid(algorithm, value);
    }
    Set<String> words = new LinkedHashSet<>();
    for (String part : s.substring(1, s.length() - 1).split(",")) {
      // SageMaker's docs write [\"msd\"]; escaped quotes, single quotes and bare words are taken
      String w = part.replace("\\", "").replace("\"", "").replace("'", "").trim();
      if (!choices.contains(w)) {
        throw invalid(algorithm, value);
      }
      words.add(w);
    }
    return new ArrayList<>(words);
  }

  /** A list value as SageMaker expects it: {@code ["msd", "ssd"]}. */
  public static String formatList(List<String> words) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < words.size(); i++) {
      json.append(i > 0 ? ", " : "").append('"').append(words.get(i)).append('"');
    }
    return json.append(']').toString();
  }

  private boolean inBounds(double d) {
    return (min == null || (minExclusive ? d > min : d >= min))
        && (max == null || (maxExclusive ? d < max : d <= max));
  }

  private InvalidHyperparameterException invalid(String algorithm, String value) {
    return new InvalidHyperparameterException(algorithm, name, value, rule());
  }

  /** A value that {@link #check} accepts, for tests that go through every hyperparameter. */
  public String exampleValid() {
    switch (type) {
      case INTEGER:
      case FLOAT:
        if (min != null && minExclusive) {
          return format(max != null ? (maxExclusive ? (min + max) / 2 : max) : min + 1);
        }
        if (max != null && maxExclusive) {
          return format(min != null ? min : max - 1);
        }
        return format(min != null ? min : max != null ? Math.min(0, max) : 1);
      case BOOLEAN:
        return "true";
      case CATEGORICAL:
        return choices.get(0);
      case WORD_LIST:
        return wordsExample;
      default:
        return formatList(List.of(choices.get(0)));
    }
  }

  /** A value that {@link #check} refuses (just outside a bound where there is one). */
  public String exampleInvalid() {
    switch (type) {
      case INTEGER:
        return min != null ? format(min - 1) : max != null ? format(max + 1) : "1.5";
      case FLOAT:
        if (min != null && minExclusive) {
          return format(min);
        }
        return min != null ? format(min - 1) : max != null ? format(max + 1) : "not-a-number";
      case WORD_LIST:
        return "no-such-word";
      case BOOLEAN:
        return "maybe";
      case CATEGORICAL:
        return "no-such-choice";
      default:
        return "[\"no-such-choice\"]";
    }
  }

  @Override
  public String toString() {
    return name
        + " ("
        + rule()
        + (required ? ", required" : "")
        + (serviceDefault == null ? "" : ", default " + serviceDefault)
        + ")";
  }

  /** Builds a {@link HyperparameterSpec}; {@link #build()} checks the description is consistent. */
  public static final class Builder {
    private final String name;
    private final String sparkName;
    private final Type type;
    private boolean required;
    private boolean allowsAuto;
    private String alsoAllows;
    private boolean sparkNumbersOnly;
    private String beamName;
    private Double min;
    private Double max;
    private boolean minExclusive;
    private boolean maxExclusive;
    private java.util.regex.Pattern wordPattern;
    private String wordsRule;
    private String wordsExample;
    private List<String> choices = List.of();
    private String serviceDefault;
    private String description = "";

    private Builder(String name, String sparkName, Type type) {
      this.name = Objects.requireNonNull(name, "name");
      this.sparkName = Objects.requireNonNull(sparkName, "sparkName");
      this.type = type;
    }

    public Builder required() {
      this.required = true;
      return this;
    }

    public Builder allowsAuto() {
      this.allowsAuto = true;
      return this;
    }

    /**
     * A word accepted besides the type's values, such as Linear Learner's {@code
     * positive_example_weight_mult = balanced}.
     */
    public Builder alsoAllows(String word) {
      this.alsoAllows = word;
      return this;
    }

    /**
     * The Spark Param takes numbers only (an {@code IntParam} or {@code DoubleParam}, as in the
     * original SageMaker Spark library) though SageMaker also takes words: unset, SageMaker's
     * default ({@code auto}) applies.
     */
    public Builder sparkNumbersOnly() {
      this.sparkNumbersOnly = true;
      return this;
    }

    /** The Beam setter's name where it is not the name in camel case. */
    public Builder beamName(String name) {
      this.beamName = name;
      return this;
    }

    public Builder min(double min) {
      this.min = min;
      return this;
    }

    public Builder max(double max) {
      this.max = max;
      return this;
    }

    public Builder range(double min, double max) {
      return min(min).max(max);
    }

    /** An exclusive lower bound: values must be greater than {@code bound}. */
    public Builder greaterThan(double bound) {
      this.min = bound;
      this.minExclusive = true;
      return this;
    }

    /** An exclusive upper bound: values must be less than {@code bound}. */
    public Builder lessThan(double bound) {
      this.max = bound;
      this.maxExclusive = true;
      return this;
    }

    /** For a {@link Type#WORD_LIST}: a valid value, for tests and docs. */
    public Builder example(String value) {
      this.wordsExample = value;
      return this;
    }

    public Builder choices(String... choices) {
      this.choices = List.of(choices);
      return this;
    }

    public Builder serviceDefault(String value) {
      this.serviceDefault = value;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public HyperparameterSpec build() {
      if ((type == Type.CATEGORICAL || type == Type.CATEGORICAL_LIST) && choices.isEmpty()) {
        throw new IllegalStateException(name + ": a categorical hyperparameter needs choices");
      }
      if (type == Type.WORD_LIST && wordsExample == null) {
        throw new IllegalStateException(name + ": a word list needs an example value");
      }
      if (min != null && max != null && min > max) {
        throw new IllegalStateException(name + ": min " + min + " > max " + max);
      }
      HyperparameterSpec spec = new HyperparameterSpec(this);
      if (serviceDefault != null && !serviceDefault.equals("auto")) {
        spec.check("catalogue", serviceDefault); // a default must satisfy its own rule
      }
      return spec;
    }
  }
}
