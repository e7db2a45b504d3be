package dev.sagemakerbeam.local.faults;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * FaultSpec and Latency parsing and draws, and the control API's loopback check, without a server.
 */
class FaultSpecTest {
  @Test
  void optionsRoundTrip() {
    FaultSpec spec =
        FaultSpec.fromOptions(
            Map.of(
                "throttle", "0.1",
                "ModelNotReady", "0.05",
                "error5xx", "0.04",
                "error530", "0.01",
                "modelError", "0.02",
                "modelErrorStatus", "400",
                "maxConcurrency", "3",
                "latency", "lognormal(50ms,0.5)",
                "seed", "-4"));
    assertThat(spec.internalFailureRate(), is(0.02));
    assertThat(spec.serviceUnavailableRate(), is(0.02));
    assertThat(FaultSpec.fromOptions(spec.toOptions()), is(spec));
    assertThat(spec.toBuilder().build(), is(spec));
    assertThrows(
        IllegalArgumentException.class,
        () -> FaultSpec.builder().modelErrorStatusCode(200).build());
    assertThrows(
        IllegalArgumentException.class, () -> FaultSpec.fromOptions(Map.of("throttle", "lots")));
  }

  @Test
  void latencyDraws() {
    SplittableRandom random = new SplittableRandom(1);
    double[] draws = new double[20001];
    Latency logNormal = Latency.logNormal(Duration.ofMillis(50), 0.5);
    for (int i = 0; i < draws.length; i++) {
      draws[i] = logNormal.sampleNanos(random) / 1e6;
    }
    Arrays.sort(draws);
    assertThat(draws[draws.length / 2], closeTo(50, 1.5));
    // 84th percentile of a lognormal is median * exp(sigma)
    assertThat(draws[(int) (draws.length * 0.8413)], closeTo(50 * Math.exp(0.5), 3));

    Latency uniform = Latency.parse("20..80ms");
    double sum = 0;
    for (int i = 0; i < 10000; i++) {
      long nanos = uniform.sampleNanos(random);
      assertThat(nanos >= 20_000_000 && nanos < 80_000_000, is(true));
      sum += nanos / 1e6;
    }
    assertThat(sum / 10000, closeTo(50, 1));
    assertThat(Latency.parse("1s").sampleNanos(random), is(1_000_000_000L));
    assertThat(Latency.parse("500us..2ms").toString(), is("500us..2ms"));
    assertThrows(IllegalArgumentException.class, () -> Latency.parse("20"));
    assertThrows(IllegalArgumentException.class, () -> Latency.parse("20min"));
  }

  @Test
  void controlApiIsLoopbackOnly() {
    assertThat(FaultControlHandler.isLoopback("127.0.0.1"), is(true));
    assertThat(FaultControlHandler.isLoopback("127.3.4.5"), is(true));
    assertThat(FaultControlHandler.isLoopback("::1"), is(true));
    assertThat(FaultControlHandler.isLoopback("[0:0:0:0:0:0:0:1]"), is(true));
    assertThat(FaultControlHandler.isLoopback("10.0.0.7"), is(false));
    assertThat(FaultControlHandler.isLoopback("fe80::1%eth0"), is(false));
    // names are never looked up
    assertThat(FaultControlHandler.isLoopback("localhost"), is(false));
    assertThat(FaultControlHandler.isLoopback(null), is(false));
  }

  @Test
  void copiesStartTheirSequencesAgain() {
    FaultInjector faults = new FaultInjector();
    faults.set("e", FaultSpec.builder().throttleRate(0.5).seed(3).build());
    faults.failTrainingAt("j", "Training");
    StringBuilder first = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      first.append(faults.decide("e", "AllTraffic").outcome().ordinal());
    }
    FaultInjector copy = faults.copy();
    StringBuilder again = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      again.append(copy.decide("e", "v").outcome().ordinal());
    }
    assertThat(again.toString(), is(first.toString()));
    assertThat(copy.trainingFailure("j", "Training").isPresent(), is(true));
    assertThat(copy.trainingFailure("j2", "Training").isPresent(), is(false));
    assertThat(copy.decide("other", "v") == null, is(true));
  }
}
