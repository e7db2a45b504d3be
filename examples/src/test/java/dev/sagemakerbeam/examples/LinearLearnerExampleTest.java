package dev.sagemakerbeam.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the Linear Learner example as a user runs it (it starts SageMaker Local and Spark itself)
 * and checks the figures it prints: breast-cancer accuracy and diabetes RMSE beside MLlib's.
 */
class LinearLearnerExampleTest {

  @Test
  void printsBreastCancerAccuracyAndDiabetesRmse() throws Exception {
    java.util.Set<java.nio.file.Path> before = LeftoverDirectories.sageMakerLocalDataDirectories();
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LinearLearnerExample.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    java.util.Set<java.nio.file.Path> left = LeftoverDirectories.sageMakerLocalDataDirectories();
    left.removeAll(before);
    assertThat("SageMaker Local's data directory is deleted: " + left, left.isEmpty(), is(true));
    original.print(out);
    Matcher accuracy =
        Pattern.compile("Breast cancer \\(.*\\): accuracy ([0-9.]+) on 100 rows").matcher(out);
    assertThat(out, accuracy.find(), is(true));
    assertThat(Double.parseDouble(accuracy.group(1)), greaterThanOrEqualTo(0.95));
    Matcher rmse = Pattern.compile("Diabetes \\(.*\\): RMSE ([0-9.]+) on 80 rows").matcher(out);
    assertThat(out, rmse.find(), is(true));
    assertThat(Double.parseDouble(rmse.group(1)), lessThanOrEqualTo(55.8 * 1.05));
  }
}
