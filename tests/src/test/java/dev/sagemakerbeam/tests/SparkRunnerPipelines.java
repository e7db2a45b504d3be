package dev.sagemakerbeam.tests;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.testing.MnistSample;
import dev.sagemakerbeam.transforms.algorithms.KMeansHyperparameters;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.hosting.DeployEndpoint;
import dev.sagemakerbeam.transforms.hosting.HostedEndpoint;
import dev.sagemakerbeam.transforms.inference.InvokeEndpoint;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import dev.sagemakerbeam.transforms.training.SageMakerTrain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.spark.SparkContextOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Beam pipelines on the Spark runner in a test's own (provided) Spark context. */
final class SparkRunnerPipelines {
  private SparkRunnerPipelines() {}

  /** A local[2] context without UI, to share across a test class. */
  static JavaSparkContext startSpark(String appName) {
    return new JavaSparkContext(
        new SparkConf().setMaster("local[2]").setAppName(appName).set("spark.ui.enabled", "false"));
  }

  static Pipeline pipeline(JavaSparkContext spark) {
    SparkContextOptions options = PipelineOptionsFactory.as(SparkContextOptions.class);
    options.setRunner(SparkRunner.class);
    options.setUsesProvidedSparkContext(true);
    options.setProvidedSparkContext(spark);
    return Pipeline.create(options);
  }

  /**
   * Runs the pipeline and checks that its PAssert assertions ran: the plain Spark runner does not
   * check that itself, so a pipeline whose assertions were never reached would pass silently.
   */
  static void runAndCheckAssertions(Pipeline pipeline, long expectedAssertions) {
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(PAssert.class, PAssert.SUCCESS_COUNTER))
                    .build());
    long successes = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      successes += counter.getAttempted();
    }
    assertThat(successes, greaterThanOrEqualTo(expectedAssertions));
  }

  /** The first {@code rows} digits of an MNIST sample as labelled examples. */
  static List<LabeledExample> labelled(MnistSample sample, int rows) {
    List<LabeledExample> out = new ArrayList<>();
    for (int i = 0; i < Math.min(rows, sample.size()); i++) {
      out.add(LabeledExample.of(sample.labels()[i], sample.rows().get(i)));
    }
    return out;
  }

  /** Hosting on one ml.m5.large, waiting at most a minute or two. */
  static DeployEndpoint deploy(SageMakerClientConfiguration config, String role) {
    return DeployEndpoint.create(config)
        .withRole(role)
        .withInstances("ml.m5.large", 1)
        .withTimeout(Duration.ofMinutes(2), Duration.ofMillis(200));
  }

  /**
   * The Beam train-host-score chain on MNIST: K-Means (k = 10) trained on {@code train}, hosted by
   * {@code deploy}, and {@code test} scored against the endpoint once it is in service.
   */
  static InvokeEndpoint.Result<LabeledExample, KMeansPrediction> kmeansTrainHostScore(
      Pipeline p,
      SageMakerClientConfiguration config,
      String role,
      DeployEndpoint deploy,
      List<LabeledExample> train,
      List<LabeledExample> test) {
    PCollection<HostedEndpoint> hosted =
        p.apply("TrainData", Create.of(train))
            .apply(
                "Train",
                SageMakerTrain.kmeans(
                        new KMeansHyperparameters().k(10).featureDim(784).miniBatchSize(500))
                    .withClientConfiguration(config)
                    .withRole(role)
                    .withInstanceType("ml.m5.large")
                    .withDeleteStagingData(true)
                    .withTimeout(Duration.ofMinutes(3), Duration.ofMillis(200)))
            .apply("Host", deploy);
    return p.apply("TestData", Create.of(test))
        .apply(Wait.on(hosted))
        .apply(
            "Score",
            InvokeEndpoint.create(
                    deploy.endpointName(),
                    RecordIoProtobufRequestSerializer.of(LabeledExample::features),
                    new KMeansProtobufResponseDeserializer())
                .withClientConfiguration(config));
  }
}
