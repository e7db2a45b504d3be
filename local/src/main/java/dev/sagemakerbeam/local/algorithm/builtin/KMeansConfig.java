package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * K-Means hyperparameters, checked and defaulted by the algorithm catalogue.
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

  static KMeansConfig parse(Map<String, String> values) throws AlgorithmException {
    CheckedHyperparameters h = CheckedHyperparameters.of(AlgorithmCatalog.KMEANS, values);
    return new KMeansConfig(
        h.intValue("k"),
        h.intValue("feature_dim"),
        h.intValue("mini_batch_size"),
        h.string("init_method"),
        h.intValue("epochs"),
        h.intValue("extra_center_factor"),
        h.intValue("local_lloyd_max_iter"),
        h.doubleValue("local_lloyd_tol"),
        h.intValue("local_lloyd_num_trials"),
        h.string("local_lloyd_init_method"),
        h.intValue("half_life_time_size"),
        h.list("eval_metrics"));
  }

  /**
   * The number of centers the mini-batch phase keeps. SageMaker does not document what {@code auto}
   * picks; here it is 10 for up to 100 clusters, falling to 2 as {@code k} grows so that the
   * centers stay cheap to keep and to reduce.
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
