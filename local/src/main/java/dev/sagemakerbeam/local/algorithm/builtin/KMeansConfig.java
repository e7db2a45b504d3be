package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * K-Means hyperparameters, named, typed and defaulted as SageMaker's K-Means documents them.
 *
 * @param extraCenterFactor 0 for {@code auto}
 * @param localLloydNumTrials 0 for {@code auto}
 */
record KMeansConfig(
    int k,
    int featureDim,
    int miniBatchSize,
    String initMethod,
    int epochs,
    int extraCenterFactor,
    int localLloydMaxIter,
    double localLloydTol,
    int localLloydNumTrials,
    String localLloydInitMethod,
    int halfLifeTimeSize,
    List<String> evalMetrics) {

  static final Set<String> NAMES =
      Set.of(
          "k", "feature_dim", "mini_batch_size", "init_method", "epochs", "extra_center_factor",
          "local_lloyd_max_iter", "local_lloyd_tol", "local_lloyd_num_trials",
          "local_lloyd_init_method", "half_life_time_size", "eval_metrics",
          // set by the SageMaker Python SDK's KMeans estimator on every job
          "force_dense");

  static KMeansConfig parse(Map<String, String> values) throws AlgorithmException {
    Hyperparameters h = Hyperparameters.of("K-Means", values, NAMES);
    int featureDim = h.requiredPositiveInt("feature_dim");
    int k = h.requiredPositiveInt("k");
    h.bool("force_dense", true);
    return new KMeansConfig(
        k,
        featureDim,
        h.positiveInt("mini_batch_size", 5000),
        h.choice("init_method", "random", "random", "kmeans++"),
        h.positiveInt("epochs", 1),
        h.positiveIntOrAuto("extra_center_factor"),
        h.positiveInt("local_lloyd_max_iter", 300),
        h.doubleInRange("local_lloyd_tol", 0.0, 1.0, 0.0001),
        h.positiveIntOrAuto("local_lloyd_num_trials"),
        h.choice("local_lloyd_init_method", "kmeans++", "random", "kmeans++"),
        h.intAtLeast("half_life_time_size", 0, 0, "must be a non-negative integer"),
        h.wordList("eval_metrics", List.of("msd"), Set.of("msd", "ssd")));
  }

  /**
   * The number of centers the mini-batch phase keeps. SageMaker does not document what {@code
   * auto} picks; here it is 10 for up to 100 clusters, falling to 2 as {@code k} grows so that
   * the centers stay cheap to keep and to reduce.
   */
  int centersDuringTraining() {
    int factor =
        extraCenterFactor > 0 ? extraCenterFactor : Math.max(2, Math.min(10, (1000 + k - 1) / k));
    long total = (long) k * factor;
    return (int) Math.min(total, Integer.MAX_VALUE / 2);
  }

  /**
   * The number of local Lloyd runs. For {@code auto}: 10 when the reduction is cheap, fewer as
   * centers times clusters times dimensions grows.
   */
  int lloydTrials(int centers) {
    if (localLloydNumTrials > 0) {
      return localLloydNumTrials;
    }
    double work = (double) centers * k * featureDim;
    return (int) Math.max(1, Math.min(10, Math.ceil(5e7 / work)));
  }
}
