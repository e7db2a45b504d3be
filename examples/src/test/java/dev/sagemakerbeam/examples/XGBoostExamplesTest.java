package dev.sagemakerbeam.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the XGBoost examples as a user runs them (each starts SageMaker Local and Spark itself) and
 * checks the figures they print.
 */
class XGBoostExamplesTest {

  private static String run(ThrowingMain main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    original.print(out);
    return out;
  }

  interface ThrowingMain {
    void run() throws Exception;
  }

  @Test
  void xgboostExamplePrintsMnistAndBreastCancerAccuracy() throws Exception {
    String out =
        run(() -> XGBoostExample.main(new String[] {"--train-rows", "2000", "--test-rows", "300"}));
    Matcher mnist =
        Pattern.compile("MNIST \\(.*\\): accuracy ([0-9.]+) on 300 test digits").matcher(out);
    assertThat(out, mnist.find(), is(true));
    assertThat(Double.parseDouble(mnist.group(1)), greaterThanOrEqualTo(0.85));
    Matcher cancer =
        Pattern.compile("Breast cancer \\(.*\\): validation metrics .*, accuracy ([0-9.]+) on 100")
            .matcher(out);
    assertThat(out, cancer.find(), is(true));
    // xgboost4j on these files with these hyperparameters: 0.980 (data/breast-cancer/README.md)
    assertThat(Double.parseDouble(cancer.group(1)), greaterThanOrEqualTo(0.97));
  }

  @Test
  void tuningExamplePrintsTwelveTrialsAndTheBestScoredWithoutAnEndpoint() throws Exception {
    String out = run(() -> XGBoostTuningExample.main(new String[0]));
    assertThat(out, Pattern.compile("(?m)^trial ").matcher(out).results().count() == 12, is(true));
    Matcher best =
        Pattern.compile("Best of 12 trials \\(.*\\): .*, validation:auc ([0-9.]+)").matcher(out);
    assertThat(out, best.find(), is(true));
    assertThat(Double.parseDouble(best.group(1)), greaterThanOrEqualTo(0.98));
    Matcher scored =
        Pattern.compile("accuracy ([0-9.]+) on 100 rows, no endpoint created").matcher(out);
    assertThat(out, scored.find(), is(true));
    assertThat(Double.parseDouble(scored.group(1)), greaterThanOrEqualTo(0.95));
  }
}
