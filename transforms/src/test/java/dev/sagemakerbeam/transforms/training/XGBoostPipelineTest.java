package dev.sagemakerbeam.transforms.training;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.beam.TrainingDataFormat;
import dev.sagemakerbeam.io.testing.LibSvmData;
import dev.sagemakerbeam.io.testing.MnistSample;
import dev.sagemakerbeam.transforms.algorithms.XGBoostHyperparameters;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.DeployEndpoint;
import dev.sagemakerbeam.transforms.hosting.HostedEndpoint;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.inference.InvokeEndpoint;
import dev.sagemakerbeam.transforms.inference.PredictedElement;
import dev.sagemakerbeam.transforms.inference.RequestSerializer;
import dev.sagemakerbeam.transforms.serde.CsvResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.LibSvmRequestSerializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * SageMakerTrain.xgboost -> DeployEndpoint -> InvokeEndpoint on the Direct runner against SageMaker
 * Local's real XGBoost: breast-cancer (binary:logistic, LibSVM staging) and MNIST (multi:softmax,
 * RecordIO-protobuf staging), accuracy beside xgboost4j's figures on the same files.
 */
class XGBoostPipelineTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";

  private static SageMakerClientConfiguration config;
  private static SageMakerClient sageMaker;

  @BeforeAll
  static void start() {
    config = LOCAL.config();
    sageMaker = SageMakerClients.sageMaker(config);
  }

  @AfterAll
  static void stop() {
    sageMaker.close();
  }

  private static List<LabeledExample> examples(
      List<dev.sagemakerbeam.io.FeatureVector> rows, double[] labels) {
    List<LabeledExample> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(LabeledExample.of(labels[i], rows.get(i)));
    }
    return out;
  }

  private static List<LabeledExample> examples(LibSvmData data) {
    return examples(data.rows(), data.labels());
  }

  private static List<LabeledExample> examples(MnistSample data) {
    double[] labels = new double[data.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = data.labels()[i];
    }
    return examples(data.rows(), labels);
  }

  /**
   * Trains, hosts and scores {@code test}; asserts the accuracy of {@code toLabel(prediction)} and
   * that the job reported {@code metric}.
   */
  private static void trainHostScore(
      SageMakerTrain train,
      List<LabeledExample> trainRows,
      List<LabeledExample> test,
      RequestSerializer<LabeledExample> requests,
      SerializableFunction<Double, Double> toLabel,
      double expectedAccuracy,
      String metric) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    DeployEndpoint deploy =
        DeployEndpoint.create(config)
            .withRole(ROLE)
            .withInstances("ml.m5.large", 1)
            .withTimeout(Duration.ofMinutes(1), Duration.ofMillis(200));
    PCollection<TrainedModel> model =
        p.apply("TrainData", Create.of(trainRows))
            .apply(
                "Train",
                train
                    .withClientConfiguration(config)
                    .withRole(ROLE)
                    .withInstanceType("ml.m5.large")
                    .withDeleteStagingData(true)
                    .withTimeout(Duration.ofMinutes(4), Duration.ofMillis(200)));
    PCollection<HostedEndpoint> hosted = model.apply("Host", deploy);
    InvokeEndpoint.Result<LabeledExample, Double> scored =
        p.apply("TestData", Create.of(test))
            .apply("AfterHosting", Wait.on(hosted))
            .apply(
                "Score",
                InvokeEndpoint.create(
                        deploy.endpointName(), requests, new CsvResponseDeserializer())
                    .withClientConfiguration(config));
    int rows = test.size();
    PAssert.that(scored.failures()).empty();
    PAssert.that(scored.successes())
        .satisfies(
            results -> {
              List<PredictedElement<LabeledExample, Double>> all = new ArrayList<>();
              StreamSupport.stream(results.spliterator(), false).forEach(all::add);
              assertThat(all, hasSize(rows));
              long right =
                  all.stream()
                      .filter(r -> toLabel.apply(r.prediction()) == r.input().labelValue())
                      .count();
              assertThat((double) right / all.size(), closeTo(expectedAccuracy, 0.01 + 1e-9));
              return null;
            });
    PAssert.that(model)
        .satisfies(
            models -> {
              assertThat(models.iterator().next().finalMetrics().keySet(), hasItem(metric));
              return null;
            });
    try {
      p.run().waitUntilFinish();
    } finally {
      new SageMakerResourceCleanup(sageMaker).deleteResources(deploy.plannedResources());
    }
  }

  @Test
  void breastCancerStagedAsLibSvm() {
    // xgboost4j on these files with these hyperparameters: 0.980 (data/breast-cancer/README.md)
    trainHostScore(
        SageMakerTrain.xgboost(
            new XGBoostHyperparameters()
                .objective("binary:logistic")
                .numRound(100)
                .maxDepth(4)
                .eta(0.1)
                .treeMethod("hist")
                .evalMetric("error", "auc")),
        examples(LibSvmData.breastCancerTrain()),
        examples(LibSvmData.breastCancerTest()),
        LibSvmRequestSerializer.unlabelled(LabeledExample::features),
        p -> p > 0.5 ? 1.0 : 0.0,
        0.980,
        "train:auc");
  }

  @Test
  void mnistMultiSoftmaxStagedAsRecordIoProtobuf() {
    // xgboost4j 2.1.4 on these files, same hyperparameters: 0.940 (data/mnist/README.md)
    trainHostScore(
        SageMakerTrain.xgboost(
                new XGBoostHyperparameters()
                    .objective("multi:softmax")
                    .numClass(10)
                    .numRound(50)
                    .maxDepth(6)
                    .eta(0.3)
                    .treeMethod("hist"))
            .withTrainingFormat(TrainingDataFormat.RECORDIO_PROTOBUF),
        examples(MnistSample.train()),
        examples(MnistSample.test()),
        RecordIoProtobufRequestSerializer.of(LabeledExample::features),
        p -> p,
        0.940,
        "train:mlogloss");
  }
}
