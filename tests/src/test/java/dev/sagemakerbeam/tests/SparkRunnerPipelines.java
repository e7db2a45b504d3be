package dev.sagemakerbeam.tests;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

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
}
