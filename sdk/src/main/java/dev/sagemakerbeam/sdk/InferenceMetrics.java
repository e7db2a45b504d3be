package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.transforms.inference.InferenceStats;
import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * What {@link SageMakerModel#transform} did against its endpoint, counted by the inference engine
 * of every task and summed on the driver as Spark accumulators, named {@code SageMaker <endpoint>
 * requests}, {@code ... retries} and so on (the Spark UI lists them on each stage's page). They
 * count every transform of one model object in one SparkContext, as the results are computed
 * (transform is lazy).
 *
 * <p>Only task attempts that succeed count, as Spark merges accumulators: a task that fails sends
 * requests that no count shows, and a task that Spark runs again (a lost executor, a recomputed
 * stage, a DataFrame computed twice without caching) counts again, as its requests were really sent
 * again.
 */
public final class InferenceMetrics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String endpointName;
  private final LongAccumulator requests;
  private final LongAccumulator retries;
  private final LongAccumulator throttles;
  private final LongAccumulator batches;
  private final LongAccumulator splits;
  private final LongAccumulator successRows;
  private final LongAccumulator failedRows;

  private InferenceMetrics(SparkContext spark, String endpointName) {
    this.endpointName = endpointName;
    String prefix = "SageMaker " + endpointName + " ";
    this.requests = spark.longAccumulator(prefix + "requests");
    this.retries = spark.longAccumulator(prefix + "retries");
    this.throttles = spark.longAccumulator(prefix + "throttles");
    this.batches = spark.longAccumulator(prefix + "batches");
    this.splits = spark.longAccumulator(prefix + "splits");
    this.successRows = spark.longAccumulator(prefix + "success rows");
    this.failedRows = spark.longAccumulator(prefix + "failed rows");
  }

  /** New accumulators for the endpoint, registered with {@code spark}. */
  static InferenceMetrics register(SparkContext spark, String endpointName) {
    return new InferenceMetrics(spark, endpointName);
  }

  /** On an executor: adds one engine's counts at the end of its task. */
  void add(InferenceStats stats) {
    requests.add(stats.requests());
    retries.add(stats.retries());
    throttles.add(stats.throttles());
    batches.add(stats.batchesSent());
    splits.add(stats.splits() + stats.isolationSplits());
    successRows.add(stats.successRows());
    failedRows.add(stats.failedRows());
  }

  public String endpointName() {
    return endpointName;
  }

  /** HTTP requests sent, retries included. */
  public long requests() {
    return requests.value();
  }

  /** Requests sent again after a retryable answer (throttling, 5xx, a lost connection). */
  public long retries() {
    return retries.value();
  }

  /** Answers that were throttling ({@code ThrottlingException}, 429). */
  public long throttles() {
    return throttles.value();
  }

  /** Distinct batches of rows packed and sent (not counting retries and split halves). */
  public long batches() {
    return batches.value();
  }

  /** Batches split in two: too large for the endpoint, or to find the rows a model refused. */
  public long splits() {
    return splits.value();
  }

  /** Rows answered with a prediction. */
  public long successRows() {
    return successRows.value();
  }

  /** Rows that failed (kept with their error, or failing their task). */
  public long failedRows() {
    return failedRows.value();
  }

  @Override
  public String toString() {
    return String.format(
        "InferenceMetrics{endpoint=%s, requests=%d, retries=%d, throttles=%d, batches=%d,"
            + " splits=%d, successRows=%d, failedRows=%d}",
        endpointName,
        requests(),
        retries(),
        throttles(),
        batches(),
        splits(),
        successRows(),
        failedRows());
  }
}
