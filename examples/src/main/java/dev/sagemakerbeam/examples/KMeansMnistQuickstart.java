package dev.sagemakerbeam.examples;

import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The getting-started example of the original SageMaker Spark library: K-Means on MNIST digits,
 * trained and hosted on SageMaker Local (started in this process), then the transformed test table
 * (first 20 rows) and the cluster purity. The endpoint is deleted at the end.
 *
 * <pre>
 * KMeansMnistQuickstart [--data DIR] [--train-rows N] [--test-rows N] [--aws --role ARN]
 * </pre>
 *
 * {@code --data} is a directory with {@code mnist-train.libsvm.gz} and {@code mnist-test.libsvm.gz}
 * (default: the project's {@code data/mnist}); {@code --aws} uses the default AWS credential and
 * region chains and SageMaker's own K-Means image instead of SageMaker Local.
 */
public final class KMeansMnistQuickstart {
  private KMeansMnistQuickstart() {}

  public static void main(String[] args) throws Exception {
    try (ExampleSession session = ExampleSession.start("KMeansMnistQuickstart", args)) {
      SageMakerModel model = null;
      try {
        KMeansSageMakerEstimator estimator =
            new KMeansSageMakerEstimator(session.options().build()).setK(10).setFeatureDim(784);
        model = estimator.fit(session.train);
        System.out.println(
            "Trained "
                + model.getTrainingJobName()
                + " -> "
                + model.getModelPath()
                + ", hosted on endpoint "
                + model.getEndpointName());

        Dataset<Row> transformed = model.transform(session.test).cache();
        transformed.show(20);
        System.out.printf(
            "Cluster purity on %d test digits: %.3f%n",
            transformed.count(), ExampleSession.purity(transformed.collectAsList()));
      } finally {
        session.deleteCreatedResources(model);
      }
    }
  }
}
