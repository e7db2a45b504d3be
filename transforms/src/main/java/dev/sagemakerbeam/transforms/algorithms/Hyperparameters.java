package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.algorithms.HyperparameterSpec;
import dev.sagemakerbeam.transforms.training.TrainingJobSpec;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Hyperparameters of a training job, checked by the algorithm catalogue ({@link AlgorithmSpec}):
 * every value of a hyperparameter the catalogue knows is checked when it is set, with the rule and
 * message SageMaker Local and the Spark Params use too; {@link #toMap()} adds the required ones,
 * the rules over several, and SageMaker's limits ({@link TrainingJobSpec#validateHyperparameters}).
 * Names the catalogue does not know pass as given: SageMaker decides.
 */
public abstract class Hyperparameters implements Serializable {
  private static final long serialVersionUID = 1L;

  private final AlgorithmSpec spec;
  private final Map<String, String> values = new LinkedHashMap<>();

  protected Hyperparameters(AlgorithmSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  /** The catalogue's description of the algorithm. */
  public final AlgorithmSpec spec() {
    return spec;
  }

  /**
   * Sets any hyperparameter by its SageMaker name, checked against the catalogue when it knows the
   * name (typed setters in subclasses are preferable where they exist).
   *
   * @throws IllegalArgumentException naming the value and the rule it breaks
   */
  public Hyperparameters raw(String name, String value) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          spec.displayName() + " hyperparameter name must not be empty");
    }
    values.put(name, spec.check(name, value));
    return this;
  }

  /** The value given for {@code name} (checked and normalised), or null. */
  public final String given(String name) {
    return values.get(name);
  }

  /**
   * The hyperparameters as sent to SageMaker, after checking required ones, cross rules and limits.
   */
  public Map<String, String> toMap() {
    Map<String, String> checked = spec.validate(values, false);
    TrainingJobSpec.validateHyperparameters(checked);
    return Collections.unmodifiableMap(new LinkedHashMap<>(checked));
  }

  /** Sets a typed value of a hyperparameter the catalogue describes. */
  protected final void put(String name, Object value) {
    raw(name, value instanceof Iterable<?> ? list(value) : String.valueOf(value));
  }

  private static String list(Object words) {
    java.util.List<String> list = new java.util.ArrayList<>();
    ((Iterable<?>) words).forEach(w -> list.add(String.valueOf(w)));
    return HyperparameterSpec.formatList(list);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + values;
  }
}
