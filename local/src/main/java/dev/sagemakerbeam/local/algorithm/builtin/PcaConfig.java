package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import java.util.Map;

/** PCA hyperparameters, checked and defaulted by the algorithm catalogue. */
record PcaConfig(
    int numComponents,
    int featureDim,
    int miniBatchSize,
    boolean randomized,
    boolean subtractMean,
    int extraComponents) {

  static PcaConfig parse(Map<String, String> values) throws AlgorithmException {
    CheckedHyperparameters h = CheckedHyperparameters.of(AlgorithmCatalog.PCA, values);
    return new PcaConfig(
        h.intValue("num_components"),
        h.intValue("feature_dim"),
        h.intValue("mini_batch_size"),
        h.string("algorithm_mode").equals("randomized"),
        h.bool("subtract_mean"),
        h.intValue("extra_components"));
  }

  /**
   * Columns of the randomized sketch: num_components plus extra_components, where -1 means max(10,
   * num_components) as SageMaker documents; never more than feature_dim.
   */
  int sketchSize() {
    int extra = extraComponents < 0 ? Math.max(10, numComponents) : extraComponents;
    return (int) Math.min(featureDim, (long) numComponents + extra);
  }
}
