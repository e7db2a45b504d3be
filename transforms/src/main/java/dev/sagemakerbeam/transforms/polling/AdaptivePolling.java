package dev.sagemakerbeam.transforms.polling;

import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * The delay between status polls (DescribeTrainingJob, DescribeEndpoint): starts at {@value
 * #FIRST_DELAY_MILLIS} ms and doubles up to the configured interval, which it then keeps.
 *
 * <p>Why: SageMaker Local trains and hosts in well under a second, so a fixed 5 s interval made a
 * K-Means {@code fit()} there cost 10 s of waiting for 0.2 s of work. Against AWS, where jobs run
 * minutes, the steady interval is the configured one as before; the ramp adds about six polls in
 * the first seconds of each wait (100 ms + 200 + 400 + ... reaches 5 s after 6.3 s).
 */
public final class AdaptivePolling implements BackoffStrategy {
  public static final long FIRST_DELAY_MILLIS = 100;

  private final Duration interval;

  private AdaptivePolling(Duration interval) {
    this.interval = interval;
  }

  /** Delays that start fast and grow to {@code interval} (a positive duration). */
  public static AdaptivePolling upTo(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "poll interval must be a positive duration, was " + interval);
    }
    return new AdaptivePolling(interval);
  }

  /** The steady interval the delays grow to. */
  public Duration interval() {
    return interval;
  }

  /** The delay after poll number {@code attempt} (1 for the first). */
  @Override
  public Duration computeDelay(int attempt) {
    long max = interval.toMillis();
    if (max <= FIRST_DELAY_MILLIS) {
      return interval;
    }
    int doublings = Math.max(0, Math.min(attempt - 1, 30));
    long delay = FIRST_DELAY_MILLIS << doublings;
    return delay >= max ? interval : Duration.ofMillis(delay);
  }

  @Override
  public String toString() {
    return "AdaptivePolling(" + FIRST_DELAY_MILLIS + " ms doubling up to " + interval + ")";
  }
}
