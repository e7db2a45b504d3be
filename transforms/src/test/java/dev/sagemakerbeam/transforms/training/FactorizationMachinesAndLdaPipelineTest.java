package dev.sagemakerbeam.transforms.training;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.testing.BarsCorpus;
import dev.sagemakerbeam.io.testing.LibSvmData;
import dev.sagemakerbeam.transforms.algorithms.FactorizationMachinesHyperparameters;
import dev.sagemakerbeam.transforms.algorithms.LdaHyperparameters;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.DeployEndpoint;
import dev.sagemakerbeam.transforms.hosting.HostedEndpoint;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.inference.InvokeEndpoint;
import dev.sagemakerbeam.transforms.inference.PredictedElement;
import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.LdaPrediction;
import dev.sagemakerbeam.transforms.serde.LdaProtobufResponseDeserializer;
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
 * SageMakerTrain.factorizationMachines* and SageMakerTrain.lda -> DeployEndpoint -> InvokeEndpoint
 * on the Direct runner against SageMaker Local: FM on standardized breast-cancer and diabetes, LDA
 * on the bars corpus.
 */
class FactorizationMachinesAndLdaPipelineTest {
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
      out.add(LabeledExample.of(labels == null ? 0 : labels[i], rows.get(i)));
    }
    return out;
  }

  private static <R> void trainHostScore(
      SageMakerTrain train,
      List<LabeledExample> trainRows,
      List<LabeledExample> test,
      ResponseDeserializer<R> deserializer,
      SerializableFunction<List<PredictedElement<LabeledExample, R>>, Void> check) {
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
    InvokeEndpoint.Result<LabeledExample, R> scored =
        p.apply("TestData", Create.of(test))
            .apply("AfterHosting", Wait.on(hosted))
            .apply(
                "Score",
                InvokeEndpoint.create(
                        deploy.endpointName(),
                        RecordIoProtobufRequestSerializer.of(LabeledExample::features),
                        deserializer)
                    .withClientConfiguration(config));
    int rows = test.size();
    PAssert.that(scored.failures()).empty();
    PAssert.that(scored.successes())
        .satisfies(
            results -> {
              List<PredictedElement<LabeledExample, R>> all = new ArrayList<>();
              StreamSupport.stream(results.spliterator(), false).forEach(all::add);
              assertThat(all, hasSize(rows));
              return check.apply(all);
            });
    try {
      p.run().waitUntilFinish();
    } finally {
      new SageMakerResourceCleanup(sageMaker).deleteResources(deploy.plannedResources());
    }
  }

  @Test
  void breastCancerBinaryClassifier() {
    LibSvmData train = LibSvmData.breastCancerTrain();
    LibSvmData trainStd = train.standardizedBy(train);
    LibSvmData testStd = LibSvmData.breastCancerTest().standardizedBy(train);
    trainHostScore(
        SageMakerTrain.factorizationMachinesBinaryClassifier(
            new FactorizationMachinesHyperparameters()
                .featureDim(30)
                .numFactors(4)
                .epochs(30)
                .miniBatchSize(50)
                .linearLr(0.01)
                .factorsLr(0.01)),
        examples(trainStd.rows(), trainStd.labels()),
        examples(testStd.rows(), testStd.labels()),
        new ScoredProtobufResponseDeserializer(),
        (List<PredictedElement<LabeledExample, ScoredPrediction>> all) -> {
          long right =
              all.stream()
                  .filter(r -> r.prediction().predictedLabel() == r.input().labelValue())
                  .count();
          double accuracy = (double) right / all.size();
          System.out.println("Factorization Machines breast-cancer accuracy (Beam): " + accuracy);
          // MLlib FMClassifier: 0.960 (data/breast-cancer/README.md)
          assertThat(accuracy, greaterThanOrEqualTo(0.94));
          return null;
        });
  }

  @Test
  void diabetesRegressorWithNormalizedLabels() {
    LibSvmData train = LibSvmData.diabetesTrain();
    LibSvmData trainStd = train.standardizedBy(train);
    LibSvmData testStd = LibSvmData.diabetesTest().standardizedBy(train);
    double mean = java.util.Arrays.stream(train.labels()).average().orElse(0);
    double std =
        Math.sqrt(
            java.util.Arrays.stream(train.labels()).map(y -> (y - mean) * (y - mean)).sum()
                / train.size());
    double[] y = java.util.Arrays.stream(train.labels()).map(v -> (v - mean) / std).toArray();
    trainHostScore(
        SageMakerTrain.factorizationMachinesRegressor(
            new FactorizationMachinesHyperparameters()
                .featureDim(10)
                .numFactors(2)
                .epochs(40)
                .miniBatchSize(20)
                .linearLr(0.01)
                .factorsLr(0.001)),
        examples(trainStd.rows(), y),
        examples(testStd.rows(), testStd.labels()),
        new ScoredProtobufResponseDeserializer(),
        (List<PredictedElement<LabeledExample, ScoredPrediction>> all) -> {
          double sq = 0;
          for (PredictedElement<LabeledExample, ScoredPrediction> r : all) {
            sq += Math.pow(r.prediction().score() * std + mean - r.input().labelValue(), 2);
          }
          double rmse = Math.sqrt(sq / all.size());
          System.out.println("Factorization Machines diabetes RMSE (Beam): " + rmse);
          assertThat(rmse, lessThanOrEqualTo(55.8 * 1.10));
          return null;
        });
  }

  @Test
  void ldaOnTheBars() {
    BarsCorpus corpus = BarsCorpus.generate(2000, 100, 1.0, 3);
    BarsCorpus held = BarsCorpus.generate(200, 400, 1.0, 4);
    ArrayList<FeatureVector> heldDocuments = new ArrayList<>(held.documents());
    double[][] heldMixtures = held.mixtures();
    trainHostScore(
        SageMakerTrain.lda(
            new LdaHyperparameters()
                .numTopics(10)
                .featureDim(25)
                .miniBatchSize(2000)
                .alpha0(10)
                .maxRestarts(3)
                .maxIterations(200)
                .tol(1e-6)),
        examples(corpus.documents(), null),
        examples(held.documents(), null),
        new LdaProtobufResponseDeserializer(),
        (List<PredictedElement<LabeledExample, LdaPrediction>> all) -> {
          // each served mixture sums to 1; matched to the generating ones by the best topic
          // permutation found greedily, the mean total variation is small
          double[][] inferred = new double[all.size()][];
          double[][] truth = new double[all.size()][];
          for (int d = 0; d < all.size(); d++) {
            inferred[d] = all.get(d).prediction().topicMixture();
            assertThat(java.util.Arrays.stream(inferred[d]).sum(), closeTo(1.0, 1e-4));
            int index = heldDocuments.indexOf(all.get(d).input().features());
            truth[d] = heldMixtures[index];
          }
          int[] match = new int[10];
          for (int t = 0; t < 10; t++) {
            double best = -1;
            for (int l = 0; l < 10; l++) {
              double c = 0;
              for (int d = 0; d < all.size(); d++) {
                c += truth[d][t] * inferred[d][l];
              }
              if (c > best) {
                best = c;
                match[t] = l;
              }
            }
          }
          assertThat(java.util.Arrays.stream(match).distinct().count(), is(10L));
          double distance = 0;
          for (int d = 0; d < all.size(); d++) {
            double tv = 0;
            for (int t = 0; t < 10; t++) {
              tv += Math.abs(inferred[d][match[t]] - truth[d][t]);
            }
            distance += tv / 2 / all.size();
          }
          System.out.println("LDA bars mean total variation (Beam): " + distance);
          assertThat(distance, lessThan(0.12));
          return null;
        });
  }
}
