package dev.sagemakerbeam.algorithms;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything known about one SageMaker built-in algorithm, in one place: its image (repository,
 * default tag, registry account per region), its hyperparameters with their rules, the rules that
 * involve several of them, the training channels and content types it reads, and its inference
 * formats and response keys. The Beam presets, the Spark estimators and SageMaker Local all take
 * their knowledge of the algorithm from here.
 */
public final class AlgorithmSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Names SageMaker and its SDKs add on their own (tuning, distributed training); built-in
   * algorithms accept and ignore them.
   */
  public static final Set<String> PLATFORM_HYPERPARAMETERS =
      Set.of("_tuning_objective_metric", "_kvstore", "_num_gpus", "_num_kv_servers", "_log_level");

  /** A rule over several hyperparameters (values already checked one by one). */
  @FunctionalInterface
  public interface CrossRule extends Serializable {
    /**
     * Throws {@link InvalidHyperparameterException} via {@link AlgorithmSpec#invalid} when broken.
     */
    void check(AlgorithmSpec algorithm, Map<String, String> values);
  }

  private final String name;
  private final String displayName;
  private final String imageRepository;
  private final String defaultImageTag;
  private final RegistryAccounts registry;
  private final Map<String, HyperparameterSpec> hyperparameters;
  private final List<CrossRule> crossRules;
  private final List<String> trainingChannels;
  private final List<String> trainingContentTypes;
  private final List<String> inferenceContentTypes;
  private final List<String> responseKeys;
  private final List<TuningMetric> tuningMetrics;
  private final Set<String> tunableHyperparameters;

  private AlgorithmSpec(Builder b) {
    this.name = b.name;
    this.displayName = b.displayName;
    this.imageRepository = b.imageRepository;
    this.defaultImageTag = b.defaultImageTag;
    this.registry = b.registry;
    this.hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(b.hyperparameters));
    this.crossRules = List.copyOf(b.crossRules);
    this.trainingChannels = List.copyOf(b.trainingChannels);
    this.trainingContentTypes = List.copyOf(b.trainingContentTypes);
    this.inferenceContentTypes = List.copyOf(b.inferenceContentTypes);
    this.responseKeys = List.copyOf(b.responseKeys);
    this.tuningMetrics = List.copyOf(b.tuningMetrics);
    this.tunableHyperparameters =
        Collections.unmodifiableSet(new java.util.LinkedHashSet<>(b.tunableHyperparameters));
  }

  public static Builder builder(String name, String displayName) {
    return new Builder(name, displayName);
  }

  /** Short name, e.g. {@code kmeans}. */
  public String name() {
    return name;
  }

  /** Name for messages, e.g. {@code K-Means}. */
  public String displayName() {
    return displayName;
  }

  /** The ECR repository of its image, e.g. {@code kmeans}; SageMaker Local selects by it. */
  public String imageRepository() {
    return imageRepository;
  }

  public String defaultImageTag() {
    return defaultImageTag;
  }

  public RegistryAccounts registry() {
    return registry;
  }

  /** {@code <account>.dkr.ecr.<region>.<domain>/<repository>:<tag>} in {@code region}. */
  public String imageUri(String region, String tag) {
    return registry.registry(region, imageRepository) + "/" + imageRepository + ":" + tag;
  }

  /** Every hyperparameter, by SageMaker name, in documentation order. */
  public Map<String, HyperparameterSpec> hyperparameters() {
    return hyperparameters;
  }

  public Optional<HyperparameterSpec> hyperparameter(String name) {
    return Optional.ofNullable(hyperparameters.get(name));
  }

  /** The hyperparameter whose Spark Param is named {@code sparkName}. */
  public Optional<HyperparameterSpec> bySparkName(String sparkName) {
    return hyperparameters.values().stream()
        .filter(h -> h.sparkName().equals(sparkName))
        .findFirst();
  }

  public List<String> requiredHyperparameters() {
    List<String> names = new ArrayList<>();
    hyperparameters.values().stream()
        .filter(HyperparameterSpec::required)
        .forEach(h -> names.add(h.name()));
    return names;
  }

  public List<String> trainingChannels() {
    return trainingChannels;
  }

  public List<String> trainingContentTypes() {
    return trainingContentTypes;
  }

  public List<String> inferenceContentTypes() {
    return inferenceContentTypes;
  }

  /** The keys under which its responses carry outputs, in the record's {@code label} map. */
  public List<String> responseKeys() {
    return responseKeys;
  }

  /**
   * The metrics its training jobs emit that a hyperparameter tuning job may take as its objective,
   * as SageMaker documents them for the algorithm (empty: the algorithm cannot be tuned).
   */
  public List<TuningMetric> tuningMetrics() {
    return tuningMetrics;
  }

  /** The tunable metric named {@code name}. */
  public Optional<TuningMetric> tuningMetric(String name) {
    return tuningMetrics.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /**
   * The hyperparameters a tuning job may search over (SageMaker refuses a range for any other), in
   * documentation order.
   */
  public Set<String> tunableHyperparameters() {
    return tunableHyperparameters;
  }

  /** Checks one value; see {@link HyperparameterSpec#check}. Unknown names pass unchanged. */
  public String check(String hyperparameter, String value) {
    HyperparameterSpec spec = hyperparameters.get(hyperparameter);
    return spec == null ? value : spec.check(displayName, value);
  }

  /**
   * Checks a whole set as a training job would send it: every known value against its rule,
   * required ones present, the cross rules, and (when {@code refuseUnknown}, as the algorithm
   * itself does) no name the algorithm does not know.
   *
   * @return the values as sent on (normalised by {@link HyperparameterSpec#check})
   * @throws InvalidHyperparameterException for the first rule broken
   */
  public Map<String, String> validate(Map<String, String> values, boolean refuseUnknown) {
    Map<String, String> checked = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      HyperparameterSpec spec = hyperparameters.get(e.getKey());
      if (spec == null) {
        if (refuseUnknown && !PLATFORM_HYPERPARAMETERS.contains(e.getKey())) {
          throw new InvalidHyperparameterException(
              e.getKey(),
              "a known hyperparameter",
              displayName
                  + " hyperparameter "
                  + e.getKey()
                  + " = "
                  + e.getValue()
                  + " is not a "
                  + displayName
                  + " hyperparameter; remove it. Known: "
                  + String.join(", ", new java.util.TreeSet<>(hyperparameters.keySet())));
        }
        checked.put(e.getKey(), e.getValue());
      } else {
        checked.put(e.getKey(), spec.check(displayName, e.getValue()));
      }
    }
    for (String required : requiredHyperparameters()) {
      if (!checked.containsKey(required)) {
        HyperparameterSpec spec = hyperparameters.get(required);
        throw new InvalidHyperparameterException(
            required,
            spec.rule(),
            displayName
                + " hyperparameter "
                + required
                + " is required but not set: give "
                + spec.rule()
                + "; required: "
                + requiredHyperparameters());
      }
    }
    Map<String, String> view = Collections.unmodifiableMap(checked);
    for (CrossRule rule : crossRules) {
      rule.check(this, view);
    }
    return view;
  }

  /** The exception a {@link CrossRule} throws, with the common message form. */
  public InvalidHyperparameterException invalid(String hyperparameter, String value, String rule) {
    return new InvalidHyperparameterException(displayName, hyperparameter, value, rule);
  }

  /** A value from a validated set, or the service's default for it (null when there is none). */
  public String valueOrDefault(Map<String, String> values, String hyperparameter) {
    String v = values.get(hyperparameter);
    if (v != null) {
      return v;
    }
    HyperparameterSpec spec = hyperparameters.get(hyperparameter);
    return spec == null ? null : spec.serviceDefault();
  }

  /** Whether no two hyperparameters share a Spark Param name. */
  public boolean sparkNamesAreUnique() {
    return hyperparameters.values().stream().map(HyperparameterSpec::sparkName).distinct().count()
        == hyperparameters.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AlgorithmSpec && ((AlgorithmSpec) o).name.equals(name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name);
  }

  @Override
  public String toString() {
    return "AlgorithmSpec("
        + name
        + ", "
        + imageRepository
        + ":"
        + defaultImageTag
        + ", "
        + hyperparameters.size()
        + " hyperparameters)";
  }

  /** Builds an {@link AlgorithmSpec}. */
  public static final class Builder {
    private final String name;
    private final String displayName;
    private String imageRepository;
    private String defaultImageTag = "1";
    private RegistryAccounts registry = RegistryAccounts.FIRST_PARTY;
    private final Map<String, HyperparameterSpec> hyperparameters = new LinkedHashMap<>();
    private final List<CrossRule> crossRules = new ArrayList<>();
    private List<String> trainingChannels = List.of("train");
    private List<String> trainingContentTypes = List.of();
    private List<String> inferenceContentTypes = List.of();
    private List<String> responseKeys = List.of();
    private final List<TuningMetric> tuningMetrics = new ArrayList<>();
    private final List<String> tunableHyperparameters = new ArrayList<>();

    private Builder(String name, String displayName) {
      this.name = name;
      this.displayName = displayName;
      this.imageRepository = name;
    }

    public Builder image(String repository, String defaultTag, RegistryAccounts registry) {
      this.imageRepository = repository;
      this.defaultImageTag = defaultTag;
      this.registry = registry;
      return this;
    }

    public Builder hyperparameter(HyperparameterSpec.Builder spec) {
      HyperparameterSpec h = spec.build();
      if (hyperparameters.put(h.name(), h) != null) {
        throw new IllegalStateException(name + ": hyperparameter " + h.name() + " described twice");
      }
      return this;
    }

    public Builder crossRule(CrossRule rule) {
      crossRules.add(rule);
      return this;
    }

    public Builder trainingChannels(String... channels) {
      this.trainingChannels = List.of(channels);
      return this;
    }

    public Builder trainingContentTypes(String... types) {
      this.trainingContentTypes = List.of(types);
      return this;
    }

    public Builder inferenceContentTypes(String... types) {
      this.inferenceContentTypes = List.of(types);
      return this;
    }

    public Builder responseKeys(String... keys) {
      this.responseKeys = List.of(keys);
      return this;
    }

    /** Tunable metrics whose objective type is {@code Maximize}. */
    public Builder maximizes(String... metrics) {
      for (String metric : metrics) {
        tuningMetrics.add(new TuningMetric(metric, true));
      }
      return this;
    }

    /** Tunable metrics whose objective type is {@code Minimize}. */
    public Builder minimizes(String... metrics) {
      for (String metric : metrics) {
        tuningMetrics.add(new TuningMetric(metric, false));
      }
      return this;
    }

    /** The hyperparameters SageMaker lets a tuning job search over. */
    public Builder tunable(String... names) {
      tunableHyperparameters.addAll(List.of(names));
      return this;
    }

    public AlgorithmSpec build() {
      for (String tunable : tunableHyperparameters) {
        if (!hyperparameters.containsKey(tunable)) {
          throw new IllegalStateException(
              name + ": tunable hyperparameter " + tunable + " is not described");
        }
      }
      if (tuningMetrics.stream().map(TuningMetric::name).distinct().count()
          != tuningMetrics.size()) {
        throw new IllegalStateException(name + ": a tunable metric is listed twice");
      }
      return new AlgorithmSpec(this);
    }
  }
}
