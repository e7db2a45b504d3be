package dev.sagemakerbeam.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Runs the two-SageMaker-stage Pipeline example end to end on small data: it starts SageMaker Local
 * and Spark itself, trains PCA and K-Means, transforms, and deletes what it created. (The flows
 * themselves are tested in the sdk module; this checks the program as a user runs it.)
 */
class SageMakerPcaThenKMeansExampleTest {

  @Test
  void runsOnSmallDataAndPrintsTheTransformedTableAndPurity() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      SageMakerPcaThenKMeansExample.main(new String[] {"--train-rows", "600", "--test-rows", "40"});
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    original.print(out);
    // K-Means' endpoint does not exist after fit and does after transform (CREATE_ON_TRANSFORM)
    assertThat(out, containsString("K-Means endpoint null (created on transform)"));
    assertThat(out, containsString("After transform: K-Means endpoint sagemaker-beam-endpoint-"));
    assertThat(
        out,
        containsString(
            "|label|            features|     projectionDim20|distance_to_cluster|closest_cluster|"));
    assertThat(out, containsString("Cluster purity on 40 test digits: "));
    // 0.675 when this was written; 10 random clusters of 40 digits average about 0.35
    java.util.regex.Matcher purity =
        java.util.regex.Pattern.compile("Cluster purity on 40 test digits: ([0-9.]+)").matcher(out);
    assertThat(purity.find(), org.hamcrest.Matchers.is(true));
    assertThat(Double.parseDouble(purity.group(1)), org.hamcrest.Matchers.greaterThan(0.5));
  }
}
