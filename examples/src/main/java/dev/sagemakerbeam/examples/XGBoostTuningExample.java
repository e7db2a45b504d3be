package dev.sagemakerbeam.examples;

import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.SageMakerTuner;
import dev.sagemakerbeam.sdk.algorithms.XGBoostSageMakerEstimator;
import dev.sagemakerbeam.transforms.tuning.HyperparameterRange.Scaling;
import dev.sagemakerbeam.transforms.tuning.TuningJobSpec.Direction;
import dev.sagemakerbeam.transforms.tuning.TuningJobSpec.Strategy;
import dev.sagemakerbeam.transforms.tuning.TuningResult;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Tuning SageMaker's XGBoost with a SageMaker hyperparameter tuning job (Bayesian strategy) from
 * Spark ML: eta (log scale) and max_depth searched for the best validation:auc on the breast-cancer
 * set of {@code data/breast-cancer}, 12 trials, 3 at a time. Prints every trial and the best, then
 * scores the test rows with the best model through a batch transform job, so no endpoint is created
 * at all.
 *
 * <pre>
 * XGBoostTuningExample [--data DIR] [--aws --role ARN]
 * </pre>
 */
public final class XGBoostTuningExample {
  private XGBoostTuningExample() {}

  public static void main(String[] args) throws Exception {
    try (ExampleSession session = ExampleSession.start("XGBoostTuningExample", args)) {
      Dataset<Row> train = session.libsvm("breast-cancer", "breast-cancer-train.libsvm", 30);
      Dataset<Row> validation = session.libsvm("breast-cancer", "breast-cancer-test.libsvm", 30);
      XGBoostSageMakerEstimator xgb =
          new XGBoostSageMakerEstimator(session.options().useBatchTransform(true).build())
              .setObjective("binary:logistic")
              .setNumRound(50)
              .setTreeMethod("hist")
              .setEvalMetric("auc");
      SageMakerModel best =
          new SageMakerTuner(xgb)
              .addRange(xgb.eta(), 0.01, 0.5, Scaling.LOGARITHMIC)
              .addRange(xgb.maxDepth(), 1, 8)
              .setObjective("validation:auc", Direction.MAXIMIZE)
              .setStrategy(Strategy.BAYESIAN)
              .setMaxTrainingJobs(12)
              .setMaxParallelTrainingJobs(3)
              .fitWithValidation(train, validation);
      TuningResult result = best.tuningResult();
      for (TuningResult.Trial t : result.trials()) {
        System.out.printf(
            "trial %s: eta %s, max_depth %s -> validation:auc %s (%s)%n",
            t.trainingJobName(),
            t.tunedHyperparameters().get("eta"),
            t.tunedHyperparameters().get("max_depth"),
            t.objectiveValue(),
            t.status());
      }
      System.out.printf(
          "Best of %d trials (%s): %s, validation:auc %.4f%n",
          result.trials().size(),
          result.tuningJobName(),
          result.bestHyperparameters(),
          result.bestObjectiveValue());
      System.out.printf(
          "Best model scored by batch transform: accuracy %.3f on %d rows, %s%n",
          XGBoostExample.accuracy(best.transform(validation), 0.5),
          validation.count(),
          best.getEndpointName() == null
              ? "no endpoint created"
              : "on endpoint " + best.getEndpointName());
    }
  }
}
