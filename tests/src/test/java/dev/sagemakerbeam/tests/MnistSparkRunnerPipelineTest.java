package dev.sagemakerbeam.tests;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.testing.MnistSample;
import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.transforms.algorithms.PcaHyperparameters;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.DeployEndpoint;
import dev.sagemakerbeam.transforms.hosting.HostedEndpoint;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.inference.InvokeEndpoint;
import dev.sagemakerbeam.transforms.inference.PredictedElement;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.PcaPrediction;
import dev.sagemakerbeam.transforms.serde.PcaProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import dev.sagemakerbeam.transforms.testing.ShippedOptions;
import dev.sagemakerbeam.transforms.training.SageMakerTrain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Train, host and score MNIST with K-Means and PCA on Beam's Spark runner against SageMaker Local:
 * the same transforms the Direct-runner tests use, in a provided Spark context.
 */
class MnistSparkRunnerPipelineTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";

  private static JavaSparkContext spark;
  private static SageMakerLocal local;
  private static SageMakerClientConfiguration config;
  private static SageMakerClient sageMaker;
  private static List<LabeledExample> train;
  private static List<LabeledExample> test;

  @BeforeAll
  static void start() throws Exception {
    spark = SparkRunnerPipelines.startSpark("MnistSparkRunnerPipelineTest");
    local = LOCAL.local();
    config = LOCAL.config();
    sageMaker = SageMakerClients.sageMaker(config);
    train = SparkRunnerPipelines.labelled(MnistSample.train(), Integer.MAX_VALUE);
    test = SparkRunnerPipelines.labelled(MnistSample.test(), Integer.MAX_VALUE);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      sageMaker.close();
    } finally {
      spark.stop(); // other test classes in this JVM need to start their own
    }
  }

  private static DeployEndpoint deploy() {
    return SparkRunnerPipelines.deploy(config, ROLE);
  }

  @Test
  void kmeansTrainsHostsAndScoresOnTheSparkRunner() {
    Pipeline p = SparkRunnerPipelines.pipeline(spark);
    DeployEndpoint deploy = deploy();
    InvokeEndpoint.Result<LabeledExample, KMeansPrediction> scored =
        SparkRunnerPipelines.kmeansTrainHostScore(p, config, ROLE, deploy, train, test);
    PAssert.that(scored.failures()).empty();
    PAssert.that(scored.successes())
        .satisfies(
            results -> {
              List<PredictedElement<LabeledExample, KMeansPrediction>> all =
                  StreamSupport.stream(results.spliterator(), false).collect(Collectors.toList());
              assertThat(all, hasSize(test.size()));
              int[] clusters = new int[all.size()];
              int[] digits = new int[all.size()];
              double distance = 0;
              for (int i = 0; i < all.size(); i++) {
                clusters[i] = (int) all.get(i).prediction().closestCluster();
                digits[i] = (int) all.get(i).input().labelValue();
                distance += all.get(i).prediction().distanceToCluster();
              }
              assertThat(MnistSample.purity(clusters, digits), greaterThanOrEqualTo(0.55));
              assertThat(distance / all.size(), closeTo(1593, 300));
              return null;
            });
    SparkRunnerPipelines.runAndCheckAssertions(p, 2);
    // the options the Spark runner shipped to its executors hold no credential
    String secret = config.credentials().resolve().resolveCredentials().secretAccessKey();
    assertThat(ShippedOptions.of(p.getOptions()), not(containsString(secret)));
    assertThat(p.getOptions().as(S3Options.class).getEndpoint(), nullValue());

    // rows with the wrong feature count among good ones, on the Spark runner: only they fail, each
    // with its own error, and the good rows of their batch succeed
    Pipeline again = SparkRunnerPipelines.pipeline(spark);
    List<LabeledExample> mixed = new java.util.ArrayList<>(test.subList(0, 300));
    mixed.add(
        100,
        LabeledExample.of(1, dev.sagemakerbeam.io.FeatureVector.dense(new double[] {1, 2, 3})));
    mixed.add(
        250,
        LabeledExample.of(
            2, dev.sagemakerbeam.io.FeatureVector.dense(new double[] {1, 2, 3, 4, 5})));
    InvokeEndpoint.Result<LabeledExample, KMeansPrediction> rescored =
        again
            .apply("Mixed", Create.of(mixed))
            .apply(
                "ScoreMixed",
                InvokeEndpoint.create(
                        deploy.endpointName(),
                        RecordIoProtobufRequestSerializer.of(LabeledExample::features),
                        new KMeansProtobufResponseDeserializer())
                    .withClientConfiguration(config));
    PAssert.that(rescored.successes())
        .satisfies(
            results -> {
              assertThat(StreamSupport.stream(results.spliterator(), false).count(), is(300L));
              return null;
            });
    PAssert.that(rescored.failures())
        .satisfies(
            results -> {
              List<String> messages = new java.util.ArrayList<>();
              results.forEach(
                  f ->
                      messages.add(
                          f.input().features().size() + ": " + f.failure().originalMessage()));
              java.util.Collections.sort(messages);
              assertThat(messages, hasSize(2));
              assertThat(messages.get(0), org.hamcrest.Matchers.containsString("has 3 features"));
              assertThat(messages.get(1), org.hamcrest.Matchers.containsString("has 5 features"));
              return null;
            });
    SparkRunnerPipelines.runAndCheckAssertions(again, 2);
    cleanUp(deploy);
  }

  @Test
  void pcaTrainsHostsAndProjectsOnTheSparkRunner() {
    Pipeline p = SparkRunnerPipelines.pipeline(spark);
    DeployEndpoint deploy = deploy();
    PCollection<HostedEndpoint> hosted =
        p.apply("TrainData", Create.of(train.subList(0, 2000)))
            .apply(
                "Train",
                SageMakerTrain.pca(
                        new PcaHyperparameters()
                            .numComponents(50)
                            .featureDim(784)
                            .miniBatchSize(500))
                    .withClientConfiguration(config)
                    .withRole(ROLE)
                    .withInstanceType("ml.m5.large")
                    .withTimeout(Duration.ofMinutes(3), Duration.ofMillis(200)))
            .apply("Host", deploy);
    InvokeEndpoint.Result<LabeledExample, PcaPrediction> projected =
        p.apply("TestData", Create.of(test.subList(0, 100)))
            .apply(Wait.on(hosted))
            .apply(
                "Project",
                InvokeEndpoint.create(
                        deploy.endpointName(),
                        RecordIoProtobufRequestSerializer.of(LabeledExample::features),
                        new PcaProtobufResponseDeserializer())
                    .withClientConfiguration(config));
    PAssert.that(projected.failures()).empty();
    PAssert.that(projected.successes())
        .satisfies(
            results -> {
              List<Integer> lengths = new ArrayList<>();
              results.forEach(r -> lengths.add(r.prediction().projection().length));
              assertThat(lengths, hasSize(100));
              assertThat(lengths, everyItem(is(50)));
              return null;
            });
    SparkRunnerPipelines.runAndCheckAssertions(p, 2);
    cleanUp(deploy);
  }

  private static void cleanUp(DeployEndpoint deploy) {
    new SageMakerResourceCleanup(sageMaker).deleteResources(deploy.plannedResources());
    assertThat(
        sageMaker.listEndpoints(r -> r.nameContains(deploy.endpointName())).endpoints(), empty());
    assertThat(
        sageMaker.listModels(r -> r.nameContains(deploy.plannedResources().modelName())).models(),
        empty());
  }
}
