package dev.sagemakerbeam.transforms.training;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.testing.LibSvmData;
import dev.sagemakerbeam.io.testing.MnistSample;
import dev.sagemakerbeam.transforms.algorithms.LinearLearnerHyperparameters;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.DeployEndpoint;
import dev.sagemakerbeam.transforms.hosting.HostedEndpoint;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.inference.InvokeEndpoint;
import dev.sagemakerbeam.transforms.inference.PredictedElement;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import dev.sagemakerbeam.transforms.serde.ScoredPrediction;
import dev.sagemakerbeam.transforms.serde.ScoredProtobufResponseDeserializer;
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
 * SageMakerTrain.linearLearner* -> DeployEndpoint -> InvokeEndpoint on the Direct runner against
 * SageMaker Local's Linear Learner, on the repository's data sets beside Spark MLlib's figures on
 * the same files: breast-cancer accuracy at least 0.95, diabetes RMSE within 5% of 55.8, MNIST
 * accuracy within 2 points of 0.892.
 */
class LinearLearnerPipelineTest {
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

  private static List<LabeledExample> examples(List<FeatureVector> rows, double[] labels) {
    List<LabeledExample> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(LabeledExample.of(labels[i], rows.get(i)));
    }
    return out;
  }

  private static List<LabeledExample> examples(MnistSample data) {
    double[] labels = new double[data.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = data.labels()[i];
    }
    return examples(data.rows(), labels);
  }

  /** Trains, hosts and scores {@code test}; returns nothing, asserting {@code check} on results. */
  private static void trainHostScore(
      SageMakerTrain train,
      List<LabeledExample> trainRows,
      List<LabeledExample> test,
      SerializableFunction<List<PredictedElement<LabeledExample, ScoredPrediction>>, Void> check,
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
    InvokeEndpoint.Result<LabeledExample, ScoredPrediction> scored =
        p.apply("TestData", Create.of(test))
            .apply("AfterHosting", Wait.on(hosted))
            .apply(
                "Score",
                InvokeEndpoint.create(
                        deploy.endpointName(),
                        RecordIoProtobufRequestSerializer.of(LabeledExample::features),
                        new ScoredProtobufResponseDeserializer())
                    .withClientConfiguration(config));
    int rows = test.size();
    PAssert.that(scored.failures()).empty();
    PAssert.that(scored.successes())
        .satisfies(
            results -> {
              List<PredictedElement<LabeledExample, ScoredPrediction>> all = new ArrayList<>();
              StreamSupport.stream(results.spliterator(), false).forEach(all::add);
              assertThat(all, hasSize(rows));
              return check.apply(all);
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

  private static double accuracy(List<PredictedElement<LabeledExample, ScoredPrediction>> all) {
    long right =
        all.stream().filter(r -> r.prediction().predictedLabel() == r.input().labelValue()).count();
    return (double) right / all.size();
  }

  @Test
  void breastCancerBinaryClassifier() {
    trainHostScore(
        SageMakerTrain.linearLearnerBinaryClassifier(
            new LinearLearnerHyperparameters().featureDim(30).miniBatchSize(50)),
        examples(LibSvmData.breastCancerTrain().rows(), LibSvmData.breastCancerTrain().labels()),
        examples(LibSvmData.breastCancerTest().rows(), LibSvmData.breastCancerTest().labels()),
        all -> {
          double accuracy = accuracy(all);
          System.out.println("Linear Learner breast-cancer accuracy (Beam): " + accuracy);
          assertThat(accuracy, greaterThanOrEqualTo(0.95));
          // one threshold (tuned by the job for accuracy) separates the predicted labels
          double highestZero = Double.NEGATIVE_INFINITY;
          double lowestOne = Double.POSITIVE_INFINITY;
          for (PredictedElement<LabeledExample, ScoredPrediction> r : all) {
            assertThat(r.prediction().scores().length, is(1));
            if (r.prediction().predictedLabel() == 1) {
              lowestOne = Math.min(lowestOne, r.prediction().score());
            } else {
              assertThat(r.prediction().predictedLabel(), is(0.0));
              highestZero = Math.max(highestZero, r.prediction().score());
            }
          }
          assertThat(highestZero, lessThanOrEqualTo(lowestOne));
          return null;
        },
        "train:objective_loss");
  }

  @Test
  void diabetesRegressor() {
    LibSvmData train = LibSvmData.diabetesTrain();
    LibSvmData test = LibSvmData.diabetesTest();
    trainHostScore(
        SageMakerTrain.linearLearnerRegressor(
            new LinearLearnerHyperparameters().featureDim(10).miniBatchSize(20).epochs(30)),
        examples(train.rows(), train.labels()),
        examples(test.rows(), test.labels()),
        all -> {
          double sq = 0;
          for (PredictedElement<LabeledExample, ScoredPrediction> r : all) {
            sq += Math.pow(r.prediction().score() - r.input().labelValue(), 2);
            assertThat(r.prediction().hasPredictedLabel(), is(false));
          }
          double rmse = Math.sqrt(sq / all.size());
          System.out.println("Linear Learner diabetes RMSE (Beam): " + rmse);
          // Spark MLlib's LinearRegression: 55.8 (data/diabetes/README.md)
          assertThat(rmse, lessThanOrEqualTo(55.8 * 1.05));
          return null;
        },
        "train:objective_loss");
  }

  @Test
  void mnistMultiClassClassifier() {
    trainHostScore(
        SageMakerTrain.linearLearnerMultiClassClassifier(
            new LinearLearnerHyperparameters().featureDim(784).numClasses(10)),
        examples(MnistSample.train()),
        examples(MnistSample.test()),
        all -> {
          double accuracy = accuracy(all);
          System.out.println("Linear Learner MNIST accuracy (Beam): " + accuracy);
          // Spark MLlib's multinomial LogisticRegression: 0.892 (data/mnist/README.md)
          assertThat(accuracy, greaterThanOrEqualTo(0.892 - 0.02));
          assertThat(all.get(0).prediction().scores().length, is(10));
          return null;
        },
        "train:objective_loss");
  }

  @Test
  void aFactoryRefusesHyperparametersOfAnotherPredictorType() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SageMakerTrain.linearLearnerRegressor(
                    LinearLearnerHyperparameters.binaryClassifier().featureDim(3)));
    assertThat(
        e.getMessage(),
        containsString("predictor_type = binary_classifier but this factory trains a regressor"));
    IllegalArgumentException noClasses =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SageMakerTrain.linearLearnerMultiClassClassifier(
                    new LinearLearnerHyperparameters().featureDim(3)));
    assertThat(noClasses.getMessage(), containsString("num_classes is required"));
  }
}
