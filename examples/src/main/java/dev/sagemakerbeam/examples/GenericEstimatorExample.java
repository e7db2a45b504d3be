package dev.sagemakerbeam.examples;

import dev.sagemakerbeam.sdk.SageMakerEstimator;
import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.deserializers.KMeansProtobufResponseRowDeserializer;
import dev.sagemakerbeam.sdk.serializers.ProtobufRequestRowSerializer;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The original README's "any algorithm" example: the same K-Means on MNIST, but with the generic
 * {@link SageMakerEstimator}, naming the training and model image, the request serializer, the
 * response deserializer and the hyperparameters by hand. Prints the transformed test table (first
 * 20 rows); deletes the endpoint, endpoint config and model at the end.
 *
 * <pre>
 * GenericEstimatorExample [--data DIR] [--train-rows N] [--test-rows N] [--aws --role ARN]
 * </pre>
 */
public final class GenericEstimatorExample {
  private GenericEstimatorExample() {}

  public static void main(String[] args) throws Exception {
    try (ExampleSession session = ExampleSession.start("GenericEstimatorExample", args)) {
      // SageMaker's K-Means image in the session's region (SageMaker Local serves the same URI)
      String kmeansImage = AlgorithmPreset.kmeans().imageUri(session.region());
      SageMakerEstimator estimator =
          new SageMakerEstimator(
              session
                  .options()
                  .trainingImage(kmeansImage)
                  .modelImage(kmeansImage)
                  .requestRowSerializer(new ProtobufRequestRowSerializer())
                  .responseRowDeserializer(new KMeansProtobufResponseRowDeserializer())
                  .hyperParameters(Map.of("k", "10", "feature_dim", "784"))
                  .build());
      SageMakerModel model = null;
      try {
        model = estimator.fit(session.train);
        System.out.println(
            "Trained "
                + model.getTrainingJobName()
                + " with image "
                + model.getModelImage()
                + ", hosted on endpoint "
                + model.getEndpointName());
        Dataset<Row> transformed = model.transform(session.test);
        transformed.show(20);
      } finally {
        session.deleteCreatedResources(model);
      }
    }
  }
}
