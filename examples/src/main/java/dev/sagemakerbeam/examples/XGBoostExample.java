package dev.sagemakerbeam.examples;

import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.algorithms.XGBoostSageMakerEstimator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * SageMaker's XGBoost ({@code sagemaker-xgboost:1.7-1}) from Spark ML, on SageMaker Local's real
 * XGBoost: MNIST digits (multi:softmax, 10 classes) and the breast-cancer set of {@code
 * data/breast-cancer} (binary:logistic, with a validation channel whose metrics the job reports),
 * each trained, hosted, scored and its accuracy printed. Endpoints are deleted at the end.
 *
 * <pre>
 * XGBoostExample [--data DIR] [--train-rows N] [--test-rows N] [--aws --role ARN]
 * </pre>
 */
public final class XGBoostExample {
  private XGBoostExample() {}

  public static void main(String[] args) throws Exception {
    try (ExampleSession session = ExampleSession.start("XGBoostExample", args)) {
      SageMakerModel digits = null;
      SageMakerModel cancer = null;
      try {
        digits =
            new XGBoostSageMakerEstimator(session.options().build())
                .setObjective("multi:softmax")
                .setNumClasses(10)
                .setNumRound(50)
                .setMaxDepth(6)
                .setEta(0.3)
                .setTreeMethod("hist")
                .fit(session.train);
        System.out.printf(
            "MNIST (%s, %s): accuracy %.3f on %d test digits%n",
            digits.getTrainingJobName(),
            digits.trainingMetrics(),
            accuracy(digits.transform(session.test), 0),
            session.test.count());

        Dataset<Row> train = session.libsvm("breast-cancer", "breast-cancer-train.libsvm", 30);
        Dataset<Row> test = session.libsvm("breast-cancer", "breast-cancer-test.libsvm", 30);
        cancer =
            new XGBoostSageMakerEstimator(session.options().build())
                .setObjective("binary:logistic")
                .setNumRound(100)
                .setMaxDepth(4)
                .setEta(0.1)
                .setTreeMethod("hist")
                .setEvalMetric("error,auc")
                .fitWithValidation(train, test);
        // scoring needs no label column
        cancer.transform(test.drop("label")).show(5);
        System.out.printf(
            "Breast cancer (%s): validation metrics %s, accuracy %.3f on %d rows%n",
            cancer.getTrainingJobName(),
            cancer.trainingMetrics(),
            accuracy(cancer.transform(test), 0.5),
            test.count());
      } finally {
        session.deleteCreatedResources(digits, cancer);
      }
    }
  }

  /** Share of rows whose prediction (thresholded when {@code threshold > 0}) is their label. */
  static double accuracy(Dataset<Row> scored, double threshold) {
    Column prediction =
        threshold > 0
            ? functions.when(functions.col("prediction").gt(threshold), 1.0).otherwise(0.0)
            : functions.col("prediction");
    return scored.filter(prediction.equalTo(functions.col("label"))).count()
        / (double) scored.count();
  }
}
