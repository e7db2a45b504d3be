package dev.sagemakerbeam.transforms.tuning;

import com.google.auto.value.AutoValue;
import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.checkerframework.checker.nullness.qual.Nullable;
import software.amazon.awssdk.services.sagemaker.model.CategoricalParameterRange;
import software.amazon.awssdk.services.sagemaker.model.ContinuousParameterRange;
import software.amazon.awssdk.services.sagemaker.model.CreateHyperParameterTuningJobRequest;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterAlgorithmSpecification;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobDefinition;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobConfig;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobObjective;
import software.amazon.awssdk.services.sagemaker.model.IntegerParameterRange;
import software.amazon.awssdk.services.sagemaker.model.ParameterRanges;
import software.amazon.awssdk.services.sagemaker.model.ResourceLimits;

/**
 * What a hyperparameter tuning job searches and how: the strategy, the objective metric and its
 * direction, the ranges and the budget. {@link #toRequest} turns it and the training job every
 * trial runs (the request the training path would send) into SageMaker's
 * CreateHyperParameterTuningJob request; the training job's hyperparameters that are not tuned
 * become the static ones.
 */
@AutoValue
public abstract class TuningJobSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** SageMaker's tuning strategies. */
  public enum Strategy {
    BAYESIAN("Bayesian"),
    RANDOM("Random"),
    GRID("Grid");

    private final String apiName;

    Strategy(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }
  }

  /** Whether the objective is to be maximized or minimized. */
  public enum Direction {
    MAXIMIZE("Maximize"),
    MINIMIZE("Minimize");

    private final String apiName;

    Direction(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }
  }

  TuningJobSpec() {}

  public static Builder builder() {
    return new AutoValue_TuningJobSpec.Builder()
        .strategy(Strategy.BAYESIAN)
        .maxTrainingJobs(10)
        .maxParallelTrainingJobs(1)
        .ranges(List.of());
  }

  public abstract Builder toBuilder();

  public abstract Strategy strategy();

  /** The objective, e.g. {@code validation:auc}. */
  public abstract String objectiveMetric();

  public abstract Direction direction();

  public abstract int maxTrainingJobs();

  public abstract int maxParallelTrainingJobs();

  public abstract List<HyperparameterRange> ranges();

  /** SageMaker's RandomSeed, for repeatable searches; null: none. */
  public abstract @Nullable Integer randomSeed();

  /**
   * Checks against a built-in algorithm's catalogue entry: the objective is one of its tunable
   * metrics, in that metric's direction, and every range is of a tunable hyperparameter within its
   * bounds.
   */
  public TuningJobSpec checkAgainst(AlgorithmSpec spec) {
    if (!spec.tuningMetrics().isEmpty()) {
      var metric =
          spec.tuningMetric(objectiveMetric())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          spec.displayName()
                              + " does not emit the objective metric "
                              + objectiveMetric()
                              + "; its tunable metrics: "
                              + spec.tuningMetrics().stream()
                                  .map(m -> m.name() + " (" + m.type() + ")")
                                  .collect(Collectors.joining(", "))));
      if (!metric.type().equals(direction().apiName())) {
        throw new IllegalArgumentException(
            spec.displayName()
                + "'s "
                + objectiveMetric()
                + " is tuned with "
                + metric.type()
                + ", not "
                + direction().apiName());
      }
    }
    ranges().forEach(r -> r.checkAgainst(spec));
    return this;
  }

  /**
   * How long a tuning job of this spec may take when each trial may take {@code trainingTimeout}:
   * the trials run {@link #maxParallelTrainingJobs()} at a time.
   */
  public Duration defaultTimeout(Duration trainingTimeout) {
    int rounds = (maxTrainingJobs() + maxParallelTrainingJobs() - 1) / maxParallelTrainingJobs();
    return trainingTimeout.multipliedBy(rounds);
  }

  /** The request tuning {@code trainingJob}'s hyperparameters over {@link #ranges()}. */
  public CreateHyperParameterTuningJobRequest toRequest(
      String tuningJobName, CreateTrainingJobRequest trainingJob) {
    Set<String> tuned =
        ranges().stream().map(HyperparameterRange::name).collect(Collectors.toSet());
    Map<String, String> statics = new LinkedHashMap<>(trainingJob.hyperParameters());
    tuned.forEach(statics::remove);
    List<IntegerParameterRange> integers = new ArrayList<>();
    List<ContinuousParameterRange> continuous = new ArrayList<>();
    List<CategoricalParameterRange> categorical = new ArrayList<>();
    for (HyperparameterRange r : ranges()) {
      switch (r.kind()) {
        case INTEGER ->
            integers.add(
                IntegerParameterRange.builder()
                    .name(r.name())
                    .minValue(r.min())
                    .maxValue(r.max())
                    .scalingType(r.scaling().apiName())
                    .build());
        case CONTINUOUS ->
            continuous.add(
                ContinuousParameterRange.builder()
                    .name(r.name())
                    .minValue(r.min())
                    .maxValue(r.max())
                    .scalingType(r.scaling().apiName())
                    .build());
        case CATEGORICAL ->
            categorical.add(
                CategoricalParameterRange.builder().name(r.name()).values(r.values()).build());
      }
    }
    HyperParameterTuningJobConfig.Builder config =
        HyperParameterTuningJobConfig.builder()
            .strategy(strategy().apiName())
            .hyperParameterTuningJobObjective(
                HyperParameterTuningJobObjective.builder()
                    .type(direction().apiName())
                    .metricName(objectiveMetric())
                    .build())
            .resourceLimits(
                strategy() == Strategy.GRID
                    // Grid runs every combination once: SageMaker derives the number of jobs
                    ? ResourceLimits.builder()
                        .maxParallelTrainingJobs(maxParallelTrainingJobs())
                        .build()
                    : ResourceLimits.builder()
                        .maxNumberOfTrainingJobs(maxTrainingJobs())
                        .maxParallelTrainingJobs(maxParallelTrainingJobs())
                        .build())
            .parameterRanges(
                ParameterRanges.builder()
                    .integerParameterRanges(integers)
                    .continuousParameterRanges(continuous)
                    .categoricalParameterRanges(categorical)
                    .build());
    if (randomSeed() != null) {
      config.randomSeed(randomSeed());
    }
    HyperParameterTrainingJobDefinition.Builder definition =
        HyperParameterTrainingJobDefinition.builder()
            .algorithmSpecification(
                HyperParameterAlgorithmSpecification.builder()
                    .trainingImage(trainingJob.algorithmSpecification().trainingImage())
                    .trainingInputMode(trainingJob.algorithmSpecification().trainingInputMode())
                    .metricDefinitions(
                        trainingJob.algorithmSpecification().metricDefinitions().stream()
                            .map(
                                m ->
                                    software.amazon.awssdk.services.sagemaker.model.MetricDefinition
                                        .builder()
                                        .name(m.name())
                                        .regex(m.regex())
                                        .build())
                            .collect(Collectors.toList()))
                    .build())
            .roleArn(trainingJob.roleArn())
            .inputDataConfig(trainingJob.inputDataConfig())
            .outputDataConfig(trainingJob.outputDataConfig())
            .resourceConfig(trainingJob.resourceConfig())
            .stoppingCondition(trainingJob.stoppingCondition())
            .staticHyperParameters(statics);
    if (trainingJob.vpcConfig() != null) {
      definition.vpcConfig(trainingJob.vpcConfig());
    }
    if (trainingJob.hasEnvironment() && !trainingJob.environment().isEmpty()) {
      definition.environment(trainingJob.environment());
    }
    CreateHyperParameterTuningJobRequest.Builder request =
        CreateHyperParameterTuningJobRequest.builder()
            .hyperParameterTuningJobName(tuningJobName)
            .hyperParameterTuningJobConfig(config.build())
            .trainingJobDefinition(definition.build());
    if (trainingJob.hasTags() && !trainingJob.tags().isEmpty()) {
      request.tags(trainingJob.tags());
    }
    return request.build();
  }

  /** Builder; the objective is required, the rest has defaults (Bayesian, 10 jobs, 1 at a time). */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder strategy(Strategy v);

    public abstract Builder objectiveMetric(String v);

    public abstract Builder direction(Direction v);

    /** The metric and its direction at once. */
    public Builder objective(String metric, Direction direction) {
      return objectiveMetric(metric).direction(direction);
    }

    public abstract Builder maxTrainingJobs(int v);

    public abstract Builder maxParallelTrainingJobs(int v);

    public abstract Builder ranges(List<HyperparameterRange> v);

    abstract List<HyperparameterRange> ranges();

    /** Adds a range. */
    public Builder range(HyperparameterRange range) {
      List<HyperparameterRange> all = new ArrayList<>(ranges());
      all.add(range);
      return ranges(all);
    }

    public abstract Builder randomSeed(@Nullable Integer v);

    abstract TuningJobSpec autoBuild();

    public final TuningJobSpec build() {
      ranges(List.copyOf(ranges()));
      TuningJobSpec spec;
      try {
        spec = autoBuild();
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(
            "a tuning job needs an objective: objective(\"validation:auc\", Direction.MAXIMIZE)",
            e);
      }
      if (spec.ranges().isEmpty()) {
        throw new IllegalArgumentException("a tuning job needs at least one range to search");
      }
      Set<String> names = new java.util.HashSet<>();
      for (HyperparameterRange r : spec.ranges()) {
        if (!names.add(r.name())) {
          throw new IllegalArgumentException("hyperparameter " + r.name() + " has two ranges");
        }
      }
      if (spec.strategy() == Strategy.GRID) {
        for (HyperparameterRange r : spec.ranges()) {
          if (r.kind() != HyperparameterRange.Kind.CATEGORICAL) {
            throw new IllegalArgumentException(
                "the Grid strategy searches categorical values only, but "
                    + r
                    + " is an interval; list its values with HyperparameterRange.categorical");
          }
        }
      }
      if (spec.maxTrainingJobs() < 1) {
        throw new IllegalArgumentException(
            "maxTrainingJobs must be at least 1, was " + spec.maxTrainingJobs());
      }
      if (spec.maxParallelTrainingJobs() < 1
          || spec.maxParallelTrainingJobs() > spec.maxTrainingJobs()) {
        throw new IllegalArgumentException(
            "maxParallelTrainingJobs must be between 1 and maxTrainingJobs ("
                + spec.maxTrainingJobs()
                + "), was "
                + spec.maxParallelTrainingJobs());
      }
      return spec;
    }
  }
}
