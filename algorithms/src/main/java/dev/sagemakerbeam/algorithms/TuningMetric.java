package dev.sagemakerbeam.algorithms;

import java.io.Serializable;
import java.util.Objects;

/**
 * A metric a built-in algorithm's training jobs emit that SageMaker accepts as the objective of a
 * hyperparameter tuning job (the algorithm's "tunable metrics"), with the direction SageMaker
 * documents for it.
 *
 * @param name the metric as it appears in FinalMetricDataList, e.g. {@code validation:auc}
 * @param maximize true when larger is better ({@code Maximize}), false for {@code Minimize}
 */
public record TuningMetric(String name, boolean maximize) implements Serializable {
  public TuningMetric {
    Objects.requireNonNull(name, "name");
  }

  /** The HyperParameterTuningJobObjective Type: {@code Maximize} or {@code Minimize}. */
  public String type() {
    return maximize ? "Maximize" : "Minimize";
  }
}
