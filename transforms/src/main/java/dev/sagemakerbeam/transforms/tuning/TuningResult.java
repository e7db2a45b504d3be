package dev.sagemakerbeam.transforms.tuning;

import com.google.auto.value.AutoValue;
import dev.sagemakerbeam.transforms.training.TrainedModel;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A finished tuning job: its best trial's model and every trial. */
@AutoValue
public abstract class TuningResult implements Serializable {
  private static final long serialVersionUID = 1L;

  TuningResult() {}

  public static TuningResult of(
      String tuningJobName,
      String status,
      String objectiveMetric,
      TrainedModel best,
      Map<String, String> bestHyperparameters,
      double bestObjectiveValue,
      List<Trial> trials) {
    return new AutoValue_TuningResult(
        tuningJobName,
        status,
        objectiveMetric,
        best,
        Map.copyOf(bestHyperparameters),
        bestObjectiveValue,
        List.copyOf(trials));
  }

  public abstract String tuningJobName();

  /** Completed, or Stopped when stopped after a trial finished. */
  public abstract String status();

  public abstract String objectiveMetric();

  /** The best trial's model: its training job, artifact and image. */
  public abstract TrainedModel bestModel();

  /** The best trial's tuned hyperparameters (the static ones are the same for every trial). */
  public abstract Map<String, String> bestHyperparameters();

  public abstract double bestObjectiveValue();

  /** Every trial, in the order SageMaker started them. */
  public abstract List<Trial> trials();

  /** One training job of the tuning job. */
  @AutoValue
  public abstract static class Trial implements Serializable {
    private static final long serialVersionUID = 1L;

    Trial() {}

    public static Trial of(
        String trainingJobName,
        String status,
        Map<String, String> tunedHyperparameters,
        @Nullable Double objectiveValue,
        @Nullable String failureReason) {
      return new AutoValue_TuningResult_Trial(
          trainingJobName, status, Map.copyOf(tunedHyperparameters), objectiveValue, failureReason);
    }

    public abstract String trainingJobName();

    /** The training job's status: Completed, Failed, Stopped. */
    public abstract String status();

    public abstract Map<String, String> tunedHyperparameters();

    /** The objective metric's final value, or null when the job reported none. */
    public abstract @Nullable Double objectiveValue();

    public abstract @Nullable String failureReason();
  }
}
