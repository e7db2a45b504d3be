package dev.sagemakerbeam.transforms.polling;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdaptivePollingTest {
  @Test
  void startsAtOneTenthOfASecondAndDoublesUpToTheInterval() {
    AdaptivePolling polling = AdaptivePolling.upTo(Duration.ofSeconds(5));
    long[] expected = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
    for (int attempt = 1; attempt <= expected.length; attempt++) {
      assertThat(
          "attempt " + attempt,
          polling.computeDelay(attempt).toMillis(),
          is(expected[attempt - 1]));
    }
    assertThat(polling.computeDelay(Integer.MAX_VALUE), is(Duration.ofSeconds(5)));
    // over a 10-minute job: the configured rate plus the ramp's six polls
    long polls = 0;
    long elapsed = 0;
    for (int attempt = 1; elapsed < 600_000; attempt++) {
      elapsed += polling.computeDelay(attempt).toMillis();
      polls++;
    }
    assertThat(polls, is(6L + (600_000 - 6_300 + 4_999) / 5_000));
  }

  @Test
  void aShortIntervalIsKeptAsItIs() {
    assertThat(
        AdaptivePolling.upTo(Duration.ofMillis(50)).computeDelay(1), is(Duration.ofMillis(50)));
    assertThat(
        AdaptivePolling.upTo(Duration.ofMillis(150)).computeDelay(2), is(Duration.ofMillis(150)));
  }

  @Test
  void aNonPositiveIntervalIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AdaptivePolling.upTo(Duration.ZERO));
    assertThat(e.getMessage(), containsString("positive"));
  }
}
