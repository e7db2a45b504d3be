package dev.sagemakerbeam.examples;

import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.algorithms.LinearLearnerBinaryClassifier;
import dev.sagemakerbeam.sdk.algorithms.LinearLearnerRegressor;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * SageMaker's Linear Learner from Spark ML, on SageMaker Local's Linear Learner: binary
 * classification of the breast-cancer set ({@code data/breast-cancer}, with a validation channel on
 * which the model and its threshold are chosen) and regression of the diabetes set ({@code
 * data/diabetes}), each trained, hosted, scored and its quality printed beside Spark MLlib's figure
 * on the same files. Endpoints are deleted at the end.
 *
 * <pre>
 * LinearLearnerExample [--data DIR] [--aws --role ARN]
 * </pre>
 */
public final class LinearLearnerExample {
  private LinearLearnerExample() {}

  public static void main(String[] args) throws Exception {
    try (ExampleSession session = ExampleSession.start("LinearLearnerExample", args)) {
      SageMakerModel cancer = null;
      SageMakerModel diabetes = null;
      try {
        Dataset<Row> cancerTrain =
            session.libsvm("breast-cancer", "breast-cancer-train.libsvm", 30);
        Dataset<Row> cancerTest = session.libsvm("breast-cancer", "breast-cancer-test.libsvm", 30);
        cancer =
            new LinearLearnerBinaryClassifier(session.options().build())
                .setFeatureDim(30)
                .setMiniBatchSize(50)
                .setBinaryClassifierModelSelectionCriteria("accuracy")
                .fitWithValidation(cancerTrain, cancerTest);
        Dataset<Row> scored = cancer.transform(cancerTest);
        scored.show(5);
        System.out.printf(
            "Breast cancer (%s): accuracy %.3f on %d rows (MLlib LogisticRegression: 1.000);"
                + " validation metrics %s%n",
            cancer.getTrainingJobName(),
            scored.filter(functions.col("predicted_label").equalTo(functions.col("label"))).count()
                / (double) scored.count(),
            scored.count(),
            cancer.trainingMetrics());

        Dataset<Row> diabetesTrain = session.libsvm("diabetes", "diabetes-train.libsvm", 10);
        Dataset<Row> diabetesTest = session.libsvm("diabetes", "diabetes-test.libsvm", 10);
        diabetes =
            new LinearLearnerRegressor(session.options().build())
                .setFeatureDim(10)
                .setMiniBatchSize(20)
                .setEpochs(30)
                .fit(diabetesTrain);
        List<Row> predicted =
            diabetes.transform(diabetesTest).select("label", "score").collectAsList();
        double squares = 0;
        for (Row r : predicted) {
          squares += Math.pow(r.getDouble(0) - r.getDouble(1), 2);
        }
        System.out.printf(
            "Diabetes (%s): RMSE %.1f on %d rows (MLlib LinearRegression: 55.8)%n",
            diabetes.getTrainingJobName(), Math.sqrt(squares / predicted.size()), predicted.size());
      } finally {
        session.deleteCreatedResources(cancer, diabetes);
      }
    }
  }
}
