package dev.sagemakerbeam.examples;

import dev.sagemakerbeam.sdk.EndpointCreationPolicy;
import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.sdk.algorithms.PCASageMakerEstimator;
import dev.sagemakerbeam.sdk.deserializers.KMeansProtobufResponseRowDeserializer;
import dev.sagemakerbeam.sdk.deserializers.PCAProtobufResponseRowDeserializer;
import dev.sagemakerbeam.sdk.serializers.ProtobufRequestRowSerializer;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The original README's two-SageMaker-stage Pipeline: SageMaker PCA projects the 784 pixels onto 20
 * components ({@code projectionDim20}), and SageMaker K-Means clusters the projections. Both use
 * {@link EndpointCreationPolicy#CREATE_ON_TRANSFORM}: an endpoint is created only when a stage's
 * model first transforms (PCA's while the pipeline is fit, since K-Means trains on its output;
 * K-Means' at the pipeline's own transform). Prints the transformed test table (first 20 rows) and
 * the cluster purity; deletes both stages' resources at the end.
 *
 * <pre>
 * SageMakerPcaThenKMeansExample [--data DIR] [--train-rows N] [--test-rows N] [--aws --role ARN]
 * </pre>
 */
public final class SageMakerPcaThenKMeansExample {
  private SageMakerPcaThenKMeansExample() {}

  public static void main(String[] args) throws Exception {
    try (ExampleSession session = ExampleSession.start("SageMakerPcaThenKMeansExample", args)) {
      PCASageMakerEstimator pcaEstimator =
          new PCASageMakerEstimator(
                  session
                      .options()
                      .requestRowSerializer(new ProtobufRequestRowSerializer("features"))
                      .responseRowDeserializer(
                          new PCAProtobufResponseRowDeserializer("projectionDim20"))
                      .endpointCreationPolicy(EndpointCreationPolicy.CREATE_ON_TRANSFORM)
                      .build())
              .setNumComponents(20)
              .setFeatureDim(784);
      KMeansSageMakerEstimator kMeansEstimator =
          new KMeansSageMakerEstimator(
                  session
                      .options()
                      .trainingSparkDataFormatOptions(
                          Map.of("featuresColumnName", "projectionDim20"))
                      .requestRowSerializer(new ProtobufRequestRowSerializer("projectionDim20"))
                      .responseRowDeserializer(new KMeansProtobufResponseRowDeserializer())
                      .endpointCreationPolicy(EndpointCreationPolicy.CREATE_ON_TRANSFORM)
                      .build())
              .setK(10)
              .setFeatureDim(20);
      Pipeline pipeline =
          new Pipeline().setStages(new PipelineStage[] {pcaEstimator, kMeansEstimator});

      PipelineModel pipelineModel = null;
      try {
        pipelineModel = pipeline.fit(session.train);
        SageMakerModel kmeansModel = (SageMakerModel) pipelineModel.stages()[1];
        System.out.println(
            "After fit: PCA endpoint "
                + ((SageMakerModel) pipelineModel.stages()[0]).getEndpointName()
                + ", K-Means endpoint "
                + kmeansModel.getEndpointName()
                + " (created on transform)");
        Dataset<Row> transformedData = pipelineModel.transform(session.test).cache();
        transformedData.show(20);
        System.out.println("After transform: K-Means endpoint " + kmeansModel.getEndpointName());
        System.out.printf(
            "Cluster purity on %d test digits: %.3f%n",
            transformedData.count(), ExampleSession.purity(transformedData.collectAsList()));
      } finally {
        if (pipelineModel != null) {
          session.deleteCreatedResources(
              (SageMakerModel) pipelineModel.stages()[0],
              (SageMakerModel) pipelineModel.stages()[1]);
        }
      }
    }
  }
}
