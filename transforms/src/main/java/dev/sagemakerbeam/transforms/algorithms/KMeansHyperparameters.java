package dev.sagemakerbeam.transforms.algorithms;

import java.util.List;
import java.util.Map;

/**
 * Hyperparameters of SageMaker's K-Means: {@code feature_dim} and {@code k} are required; the rest
 * follow SageMaker's documented ranges.
 */
public final class KMeansHyperparameters extends Hyperparameters {
  private static final long serialVersionUID = 1L;
  private static final List<String> INIT_METHODS = List.of("random", "kmeans++");
  private static final List<String> EVAL_METRICS = List.of("msd", "ssd");

  @Override
  protected String algorithm() {
    return "K-Means";
  }

  @Override
  protected List<String> required() {
    return List.of("feature_dim", "k");
  }

  /** Number of features of the input (required). */
  public KMeansHyperparameters featureDim(long featureDim) {
    putPositiveInt("feature_dim", featureDim);
    return this;
  }

  /** Number of clusters (required). */
  /** At least 2, as the original SageMaker Spark library's K-Means estimator required. */
  public KMeansHyperparameters k(long k) {
    putPositiveInt("k", k);
    checkK(k);
    return this;
  }

  private void checkK(long k) {
    if (k < 2) {
      throw invalid("k", k, "at least 2 (one cluster is not a clustering)");
    }
  }

  public KMeansHyperparameters miniBatchSize(long size) {
    putPositiveInt("mini_batch_size", size);
    return this;
  }

  public KMeansHyperparameters epochs(long epochs) {
    putPositiveInt("epochs", epochs);
    return this;
  }

  /** {@code random} or {@code kmeans++}. */
  public KMeansHyperparameters initMethod(String method) {
    putChoice("init_method", method, INIT_METHODS);
    return this;
  }

  /** Iterations of the final local Lloyd's step ({@code local_lloyd_max_iter}). */
  public KMeansHyperparameters maxIterations(long iterations) {
    putPositiveInt("local_lloyd_max_iter", iterations);
    return this;
  }

  /** Tolerance of the local Lloyd's step ({@code local_lloyd_tol}), in [0, 1]. */
  public KMeansHyperparameters tolerance(double tol) {
    if (!(tol >= 0 && tol <= 1)) {
      throw invalid("local_lloyd_tol", tol, "a number in [0, 1]");
    }
    put("local_lloyd_tol", Double.toString(tol));
    return this;
  }

  /** {@code random} or {@code kmeans++} for the local Lloyd's step. */
  public KMeansHyperparameters localInitMethod(String method) {
    putChoice("local_lloyd_init_method", method, INIT_METHODS);
    return this;
  }

  /** Trials of the local Lloyd's step ({@code local_lloyd_num_trials}). */
  public KMeansHyperparameters trialNum(long trials) {
    putPositiveInt("local_lloyd_num_trials", trials);
    return this;
  }

  /** Weight decay half-life in points ({@code half_life_time_size}). */
  public KMeansHyperparameters halfLifeTimeSize(long points) {
    putNonNegativeInt("half_life_time_size", points);
    return this;
  }

  /** Extra centres factor ({@code extra_center_factor}): a positive integer. */
  public KMeansHyperparameters extraCenterFactor(long factor) {
    putPositiveInt("extra_center_factor", factor);
    return this;
  }

  /** Metrics reported on the test channel: {@code msd} and/or {@code ssd}. */
  public KMeansHyperparameters evalMetrics(String... metrics) {
    if (metrics.length == 0) {
      throw invalid("eval_metrics", "[]", "a non-empty list of " + EVAL_METRICS);
    }
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < metrics.length; i++) {
      if (!EVAL_METRICS.contains(metrics[i])) {
        throw invalid("eval_metrics", metrics[i], "one of " + EVAL_METRICS);
      }
      json.append(i > 0 ? ", " : "").append('"').append(metrics[i]).append('"');
    }
    put("eval_metrics", json.append(']').toString());
    return this;
  }

  @Override
  public KMeansHyperparameters raw(String name, String value) {
    super.raw(name, value);
    return this;
  }

  @Override
  protected void validateTogether(Map<String, String> all) {
    checkK(longValue(all, "k"));
  }
}
