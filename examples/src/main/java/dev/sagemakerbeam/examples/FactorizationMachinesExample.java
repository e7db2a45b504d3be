package dev.sagemakerbeam.examples;

import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.algorithms.FactorizationMachinesBinaryClassifier;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * SageMaker's Factorization Machines from Spark ML on SageMaker Local: a Pipeline of Spark's
 * StandardScaler and a FactorizationMachinesBinaryClassifier, fitted on the breast-cancer set of
 * {@code data/breast-cancer} and scored on its test rows, the accuracy printed beside Spark MLlib's
 * FMClassifier's on the same files. The endpoint is deleted at the end.
 *
 * <pre>
 * FactorizationMachinesExample [--data DIR] [--aws --role ARN]
 * </pre>
 */
public final class FactorizationMachinesExample {
  private FactorizationMachinesExample() {}

  public static void main(String[] args) throws Exception {
    try (ExampleSession session = ExampleSession.start("FactorizationMachinesExample", args)) {
      Dataset<Row> train = session.libsvm("breast-cancer", "breast-cancer-train.libsvm", 30);
      Dataset<Row> test = session.libsvm("breast-cancer", "breast-cancer-test.libsvm", 30);
      StandardScaler scaler =
          new StandardScaler()
              .setWithMean(true)
              .setWithStd(true)
              .setInputCol("features")
              .setOutputCol("scaled");
      FactorizationMachinesBinaryClassifier fm =
          new FactorizationMachinesBinaryClassifier(
                  session
                      .options()
                      .trainingSparkDataFormatOptions(
                          java.util.Map.of("featuresColumnName", "scaled"))
                      .build())
              .setFeatureDim(30)
              .setNumFactors(4)
              .setEpochs(30)
              .setMiniBatchSize(50)
              .setLinearLr(0.01)
              .setFactorsLr(0.01);
      PipelineModel pipeline = null;
      try {
        pipeline = new Pipeline().setStages(new PipelineStage[] {scaler, fm}).fit(train);
        Dataset<Row> scored = pipeline.transform(test);
        scored.select("label", "score", "predicted_label").show(5);
        System.out.printf(
            "Breast cancer: Factorization Machines accuracy %.3f on %d rows (MLlib FMClassifier:"
                + " 0.960)%n",
            scored.filter(functions.col("predicted_label").equalTo(functions.col("label"))).count()
                / (double) scored.count(),
            scored.count());
      } finally {
        if (pipeline != null) {
          session.deleteCreatedResources((SageMakerModel) pipeline.stages()[1]);
        }
      }
    }
  }
}
