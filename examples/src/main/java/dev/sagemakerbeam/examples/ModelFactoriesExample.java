package dev.sagemakerbeam.examples;

import dev.sagemakerbeam.sdk.EndpointCreationPolicy;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The original README's SageMakerModel factories and teardown: a K-Means model is trained first,
 * then the same model is reached three more ways: {@code fromEndpoint} (its running endpoint;
 * creates nothing), {@code fromModelS3Path} (its model.tar.gz, hosted anew) and {@code
 * fromTrainingJob} (its training job's artifact, hosted anew). Each transforms a few test digits
 * (first 5 rows shown). At the end {@link SageMakerResourceCleanup} deletes every endpoint,
 * endpoint config and model they created, and the endpoints left are listed.
 *
 * <pre>
 * ModelFactoriesExample [--data DIR] [--train-rows N] [--test-rows N] [--aws --role ARN]
 * </pre>
 */
public final class ModelFactoriesExample {
  private ModelFactoriesExample() {}

  public static void main(String[] args) throws Exception {
    try (ExampleSession session = ExampleSession.start("ModelFactoriesExample", args)) {
      SageMakerModel trained = null;
      SageMakerModel fromPath = null;
      SageMakerModel fromJob = null;
      try {
        trained =
            new KMeansSageMakerEstimator(session.options().build())
                .setK(10)
                .setFeatureDim(784)
                .fit(session.train);
        System.out.println(
            "Trained "
                + trained.getTrainingJobName()
                + " -> "
                + trained.getModelPath()
                + ", hosted on endpoint "
                + trained.getEndpointName());
        // the trained model's serializer and deserializer, hosted as soon as a factory builds a
        // model
        SageMakerEstimatorOptions options =
            trained.getOptions().toBuilder()
                .endpointCreationPolicy(EndpointCreationPolicy.CREATE_ON_CONSTRUCT)
                .build();

        SageMakerModel fromEndpoint =
            SageMakerModel.fromEndpoint(trained.getEndpointName(), options);
        System.out.println(
            "fromEndpoint("
                + trained.getEndpointName()
                + "): created "
                + fromEndpoint.getCreatedResources());
        fromEndpoint.transform(session.test).show(5);

        fromPath =
            SageMakerModel.fromModelS3Path(
                trained.getModelPath(), trained.getModelImage(), options);
        System.out.println(
            "fromModelS3Path("
                + trained.getModelPath()
                + "): endpoint "
                + fromPath.getEndpointName());
        fromPath.transform(session.test).show(5);

        fromJob =
            SageMakerModel.fromTrainingJob(
                trained.getTrainingJobName(), trained.getModelImage(), options);
        System.out.println(
            "fromTrainingJob("
                + trained.getTrainingJobName()
                + "): endpoint "
                + fromJob.getEndpointName());
        fromJob.transform(session.test).show(5);
      } finally {
        // tearing down: every endpoint, endpoint config and model the four created
        try (SageMakerClient client = SageMakerClients.sageMaker(session.config)) {
          SageMakerResourceCleanup cleanup = new SageMakerResourceCleanup(client);
          java.util.Set<String> created = new java.util.HashSet<>();
          for (SageMakerModel model : new SageMakerModel[] {fromJob, fromPath, trained}) {
            if (model != null) {
              System.out.println("Deleting " + model.getCreatedResources());
              if (model.getEndpointName() != null) {
                created.add(model.getEndpointName());
              }
              cleanup.deleteResources(model.getCreatedResources());
            }
          }
          long left =
              client.listEndpointsPaginator(r -> {}).endpoints().stream()
                  .filter(e -> created.contains(e.endpointName()))
                  .count();
          System.out.println(
              "Endpoints left of the " + created.size() + " this example created: " + left);
        }
      }
    }
  }
}
