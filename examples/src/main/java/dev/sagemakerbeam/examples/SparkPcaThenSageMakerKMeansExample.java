package dev.sagemakerbeam.examples;

import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.sdk.serializers.ProtobufRequestRowSerializer;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The original README's Pipeline example: Spark's own PCA reduces the 784 pixels to 50 components
 * ({@code projectedFeatures}), and SageMaker K-Means clusters those, in one {@code
 * org.apache.spark.ml.Pipeline}. Prints the transformed test table (first 20 rows) and the cluster
 * purity; deletes what K-Means created at the end.
 *
 * <pre>
 * SparkPcaThenSageMakerKMeansExample [--data DIR] [--train-rows N] [--test-rows N] [--aws --role ARN]
 * </pre>
 */
public final class SparkPcaThenSageMakerKMeansExample {
  private SparkPcaThenSageMakerKMeansExample() {}

  public static void main(String[] args) throws Exception {
    try (ExampleSession session =
        ExampleSession.start("SparkPcaThenSageMakerKMeansExample", args)) {
      PCA pcaEstimator =
          new PCA().setInputCol("features").setOutputCol("projectedFeatures").setK(50);
      // K-Means trains on and is asked about the projected column, as in the original
      KMeansSageMakerEstimator kMeansSageMakerEstimator =
          new KMeansSageMakerEstimator(
                  session
                      .options()
                      .requestRowSerializer(new ProtobufRequestRowSerializer("projectedFeatures"))
                      .trainingSparkDataFormatOptions(
                          Map.of("featuresColumnName", "projectedFeatures"))
                      .build())
              .setK(10)
              .setFeatureDim(50);
      Pipeline pipeline =
          new Pipeline().setStages(new PipelineStage[] {pcaEstimator, kMeansSageMakerEstimator});

      PipelineModel pipelineModel = null;
      try {
        pipelineModel = pipeline.fit(session.train);
        Dataset<Row> transformedData = pipelineModel.transform(session.test).cache();
        transformedData.show(20);
        System.out.printf(
            "Cluster purity on %d test digits: %.3f%n",
            transformedData.count(), ExampleSession.purity(transformedData.collectAsList()));
      } finally {
        if (pipelineModel != null) {
          session.deleteCreatedResources((SageMakerModel) pipelineModel.stages()[1]);
        }
      }
    }
  }
}
