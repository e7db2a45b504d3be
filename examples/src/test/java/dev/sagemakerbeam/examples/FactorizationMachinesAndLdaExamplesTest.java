package dev.sagemakerbeam.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the Factorization Machines and LDA examples as a user runs them (each starts SageMaker Local
 * and Spark itself) and checks what they print.
 */
class FactorizationMachinesAndLdaExamplesTest {

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
  void factorizationMachinesExamplePrintsBreastCancerAccuracy() throws Exception {
    String out = run(() -> FactorizationMachinesExample.main(new String[0]));
    Matcher accuracy =
        Pattern.compile("Factorization Machines accuracy ([0-9.]+) on 100 rows").matcher(out);
    assertThat(out, accuracy.find(), is(true));
    assertThat(Double.parseDouble(accuracy.group(1)), greaterThanOrEqualTo(0.94));
  }

  @Test
  void ldaExampleFindsEveryBar() throws Exception {
    String out = run(() -> LdaExample.main(new String[0]));
    assertThat(out, containsString("The 10 bars map to 10 distinct topics"));
    Matcher share = Pattern.compile("holds ([0-9.]+) of its mixture").matcher(out);
    int bars = 0;
    while (share.find()) {
      assertThat(Double.parseDouble(share.group(1)), greaterThanOrEqualTo(0.8));
      bars++;
    }
    assertThat(bars, is(10));
    assertThat(out, containsString("document topic_mixture ["));
  }
}
