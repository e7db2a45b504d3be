package dev.sagemakerbeam.transforms.polling;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;

/**
 * Polls a job's Describe call until the job ends, with the SDK's generic {@link Waiter}, {@link
 * AdaptivePolling} delays and an explicit timeout: the one wait loop of the training, tuning and
 * batch transform runners.
 */
public final class JobPolling {
  private JobPolling() {}

  /**
   * Calls {@code describe} until {@code ended} holds for its answer, and returns that answer.
   *
   * @throws RuntimeException what {@code describe} threw, when it failed (not retried here; the SDK
   *     client has its own retries)
   * @throws GaveUpException when the timeout passed or the waiting thread was interrupted first
   */
  public static <R> R untilEnded(
      Class<R> type,
      Supplier<R> describe,
      Predicate<R> ended,
      Duration timeout,
      Duration pollInterval) {
    RuntimeException[] describeFailure = new RuntimeException[1];
    Waiter<R> waiter =
        Waiter.builder(type)
            .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(ended))
            .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(r -> !ended.test(r)))
            .overrideConfiguration(
                WaiterOverrideConfiguration.builder()
                    .waitTimeout(timeout)
                    .maxAttempts(Integer.MAX_VALUE)
                    .backoffStrategyV2(AdaptivePolling.upTo(pollInterval))
                    .build())
            .build();
    try {
      return waiter
          .run(
              () -> {
                try {
                  return describe.get();
                } catch (RuntimeException e) {
                  describeFailure[0] = e;
                  throw e;
                }
              })
          .matched()
          .response()
          .orElseThrow(() -> new IllegalStateException("waiter ended without a response"));
    } catch (SdkClientException e) {
      if (describeFailure[0] != null) {
        throw describeFailure[0]; // the Describe call itself failed: report that, not a timeout
      }
      // the waiter gave up: its time ran out (it stops when the next poll would pass the timeout)
      // or the waiting thread was interrupted
      throw new GaveUpException(Thread.currentThread().isInterrupted(), timeout, e);
    }
  }

  /** The wait ended before the job did. */
  public static final class GaveUpException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean interrupted;

    GaveUpException(boolean interrupted, Duration timeout, Throwable cause) {
      super(
          interrupted ? "the waiting thread was interrupted" : "it did not end within " + timeout,
          cause);
      this.interrupted = interrupted;
    }

    /** True when the waiting thread was interrupted, false when the timeout passed. */
    public boolean interrupted() {
      return interrupted;
    }
  }
}
