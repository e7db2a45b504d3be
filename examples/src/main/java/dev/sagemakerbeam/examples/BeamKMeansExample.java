package dev.sagemakerbeam.examples;

import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.beam.TextTrainingData;
import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.transforms.algorithms.KMeansHyperparameters;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.DeployEndpoint;
import dev.sagemakerbeam.transforms.hosting.HostedEndpoint;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.inference.InvokeEndpoint;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import dev.sagemakerbeam.transforms.training.SageMakerTrain;
import dev.sagemakerbeam.transforms.training.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The README's "Using it from Beam" pipeline, as written there (the body of {@link #run} between
 * the README markers is the README's snippet, held to it by a test): MNIST K-Means trained, hosted
 * and scored on Beam's Direct runner against SageMaker Local started here, then cleaned up.
 *
 * <pre>
 * BeamKMeansExample [--data DIR] [Beam pipeline options ...]
 * </pre>
 */
public final class BeamKMeansExample {
  private BeamKMeansExample() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of("data", "mnist");
    java.util.List<String> beamArgs = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--data") && i + 1 < args.length) {
        data = Path.of(args[++i]);
      } else if (!args[i].isBlank()) {
        beamArgs.add(args[i]);
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); !Files.isDirectory(data) && dir != null; ) {
      data = dir.resolve("data").resolve("mnist");
      dir = dir.getParent();
    }
    try (SageMakerLocal local =
        SageMakerLocal.builder().temporaryDataDirectory().port(0).s3Port(0).build()) {
      SageMakerClientConfiguration config =
          SageMakerClientConfiguration.forLocal(
              local.apiEndpoint(),
              local.runtimeEndpoint(),
              local.s3Endpoint(),
              local.stsEndpoint(),
              local.region(),
              local.credentials().accessKeyId(),
              local.credentials().secretAccessKey());
      Pipeline p =
          Pipeline.create(
              PipelineOptionsFactory.fromArgs(beamArgs.toArray(new String[0])).create());
      run(
          p,
          config,
          "arn:aws:iam::" + SageMakerLocal.ACCOUNT_ID + ":role/SageMakerRole",
          data.resolve("mnist-train.libsvm.gz").toString(),
          data.resolve("mnist-test.libsvm.gz").toString());
    }
  }

  static void run(
      Pipeline p, SageMakerClientConfiguration config, String role, String train, String test) {
    // README:begin
    PCollection<TrainedModel> model =
        p.apply("ReadTrain", TextTrainingData.libSvm(784).from(train))
            .apply(
                SageMakerTrain.kmeans(new KMeansHyperparameters().k(10).featureDim(784))
                    .withClientConfiguration(config)
                    .withRole(role)
                    .withInstanceType("ml.m5.xlarge")
                    .withDeleteStagingData(true));

    DeployEndpoint deploy =
        DeployEndpoint.create(config).withRole(role).withInstances("ml.m5.xlarge", 1);
    PCollection<HostedEndpoint> hosted = model.apply(deploy);

    InvokeEndpoint.Result<LabeledExample, KMeansPrediction> scored =
        p.apply("ReadTest", TextTrainingData.libSvm(784).from(test))
            .apply(Wait.on(hosted))
            .apply(
                InvokeEndpoint.create(
                        deploy.endpointName(),
                        RecordIoProtobufRequestSerializer.of(LabeledExample::features),
                        new KMeansProtobufResponseDeserializer())
                    .withClientConfiguration(config));
    // scored.successes(): each input with its prediction; scored.failures(): each with its error
    scored
        .successes()
        .apply("CountScored", Count.globally())
        .apply(MapElements.into(TypeDescriptors.strings()).via(n -> "scored " + n + " rows"))
        .apply(
            MapElements.into(TypeDescriptors.voids())
                .via(
                    line -> {
                      System.out.println(line);
                      return null;
                    }));

    p.run().waitUntilFinish();
    // after the run: it made them
    try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
      new SageMakerResourceCleanup(client).deleteResources(deploy.plannedResources());
    }
    // README:end
  }
}
