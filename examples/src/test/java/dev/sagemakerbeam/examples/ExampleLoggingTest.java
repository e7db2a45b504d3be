package dev.sagemakerbeam.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The examples' logging as their users see it, through slf4j as the library logs: Spark's INFO
 * chatter off, the library's progress lines on, SageMaker Local's embedded servers quiet.
 */
class ExampleLoggingTest {
  @Test
  void sparkSaysOnlyWarningsAndTheLibrarysProgressStaysVisible() {
    assertThat(LoggerFactory.getLogger("org.apache.spark.SparkContext").isInfoEnabled(), is(false));
    assertThat(LoggerFactory.getLogger("org.apache.spark.SparkContext").isWarnEnabled(), is(true));
    assertThat(
        LoggerFactory.getLogger("org.sparkproject.jetty.server.Server").isInfoEnabled(), is(false));
    assertThat(
        LoggerFactory.getLogger("dev.sagemakerbeam.transforms.training.TrainingJobRunner")
            .isInfoEnabled(),
        is(true));
    assertThat(
        LoggerFactory.getLogger("dev.sagemakerbeam.sdk.SageMakerEstimator").isInfoEnabled(),
        is(true));
    assertThat(
        LoggerFactory.getLogger("dev.sagemakerbeam.local.shaded.org.eclipse.jetty.server.Server")
            .isInfoEnabled(),
        is(false));
  }
}
