package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;
import java.util.List;

/**
 * Hyperparameters of SageMaker's K-Means ({@link AlgorithmCatalog#KMEANS}): {@code feature_dim} and
 * {@code k} are required; each setter applies the catalogue's rule when called.
 */
public final class KMeansHyperparameters extends Hyperparameters {
  private static final long serialVersionUID = 1L;

  public KMeansHyperparameters() {
    super(AlgorithmCatalog.KMEANS);
  }

  /** Number of features of the input (required). */
  public KMeansHyperparameters featureDim(long featureDim) {
    put("feature_dim", featureDim);
    return this;
  }

  /** Number of clusters (required), at least 2. */
  public KMeansHyperparameters k(long k) {
    put("k", k);
    return this;
  }

  public KMeansHyperparameters miniBatchSize(long size) {
    put("mini_batch_size", size);
    return this;
  }

  public KMeansHyperparameters epochs(long epochs) {
    put("epochs", epochs);
    return this;
  }

  /** {@code random} or {@code kmeans++}. */
  public KMeansHyperparameters initMethod(String method) {
    put("init_method", method);
    return this;
  }

  /** Iterations of the final local Lloyd's step ({@code local_lloyd_max_iter}). */
  public KMeansHyperparameters maxIterations(long iterations) {
    put("local_lloyd_max_iter", iterations);
    return this;
  }

  /** Tolerance of the local Lloyd's step ({@code local_lloyd_tol}), in [0, 1]. */
  public KMeansHyperparameters tolerance(double tol) {
    put("local_lloyd_tol", tol);
    return this;
  }

  /** {@code random} or {@code kmeans++} for the local Lloyd's step. */
  public KMeansHyperparameters localInitMethod(String method) {
    put("local_lloyd_init_method", method);
    return this;
  }

  /** Trials of the local Lloyd's step ({@code local_lloyd_num_trials}). */
  public KMeansHyperparameters trialNum(long trials) {
    put("local_lloyd_num_trials", trials);
    return this;
  }

  /** Weight decay half-life in points ({@code half_life_time_size}). */
  public KMeansHyperparameters halfLifeTimeSize(long points) {
    put("half_life_time_size", points);
    return this;
  }

  /** Extra centres factor ({@code extra_center_factor}): a positive integer. */
  public KMeansHyperparameters extraCenterFactor(long factor) {
    put("extra_center_factor", factor);
    return this;
  }

  /** Metrics reported on the test channel: {@code msd} and/or {@code ssd}. */
  public KMeansHyperparameters evalMetrics(String... metrics) {
    put("eval_metrics", List.of(metrics));
    return this;
  }

  /** Whether sparse input is made dense ({@code force_dense}). */
  public KMeansHyperparameters forceDense(boolean dense) {
    put("force_dense", dense);
    return this;
  }

  @Override
  public KMeansHyperparameters raw(String name, String value) {
    super.raw(name, value);
    return this;
  }
}
