package dev.sagemakerbeam.transforms.inference;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Counters of one engine, updated from HTTP threads. Beam metrics can only be updated on the
 * processing thread, so the DoFn reads these and reports the differences there.
 */
public final class InferenceStats {
  final LongAdder requests = new LongAdder();
  final LongAdder requestBytes = new LongAdder();
  final LongAdder requestRows = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder throttles = new LongAdder();
  final LongAdder splits = new LongAdder();
  final LongAdder isolationSplits = new LongAdder();
  final LongAdder isolatedRows = new LongAdder();
  final LongAdder successRows = new LongAdder();
  final LongAdder failedRows = new LongAdder();
  final LongAdder batchesSent = new LongAdder();
  final LongAdder batchBytesSent = new LongAdder();
  private final ConcurrentLinkedQueue<Long> latenciesMillis = new ConcurrentLinkedQueue<>();

  /** HTTP requests made, retries included. */
  public long requests() {
    return requests.sum();
  }

  /** Request body bytes sent, retries included. */
  public long requestBytes() {
    return requestBytes.sum();
  }

  /** Rows sent, retries included. */
  public long requestRows() {
    return requestRows.sum();
  }

  public long retries() {
    return retries.sum();
  }

  /** Responses that were throttling (ThrottlingException or 429). */
  public long throttles() {
    return throttles.sum();
  }

  /** Batches split in two after a payload-too-large answer. */
  public long splits() {
    return splits.sum();
  }

  /** Batches split because the model refused their content, to find the rows at fault. */
  public long isolationSplits() {
    return isolationSplits.sum();
  }

  /** Rows that failed alone after isolation: each carries its own error. */
  public long isolatedRows() {
    return isolatedRows.sum();
  }

  public long successRows() {
    return successRows.sum();
  }

  public long failedRows() {
    return failedRows.sum();
  }

  /** Distinct batches packed and sent (not counting retries or split halves). */
  public long batchesSent() {
    return batchesSent.sum();
  }

  /** Body bytes of the batches counted by {@link #batchesSent()}. */
  public long batchBytesSent() {
    return batchBytesSent.sum();
  }

  void recordLatency(long millis) {
    latenciesMillis.add(millis);
  }

  /**
   * Hands each request latency recorded since the last call to {@code sink}: from the call on the
   * client to its answer, so a batch that waited at the client for a free connection counts that
   * wait too.
   */
  public void drainLatencies(LongConsumer sink) {
    Long v;
    while ((v = latenciesMillis.poll()) != null) {
      sink.accept(v);
    }
  }
}
