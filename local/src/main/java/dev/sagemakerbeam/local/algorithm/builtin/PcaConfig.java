package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import java.util.Map;
import java.util.Set;

/** PCA hyperparameters, named, typed and defaulted as SageMaker's PCA documents them. */
record PcaConfig(
    int numComponents,
    int featureDim,
    int miniBatchSize,
    boolean randomized,
    boolean subtractMean,
    int extraComponents) {

  static final Set<String> NAMES =
      Set.of("num_components", "feature_dim", "mini_batch_size", "algorithm_mode",
          "subtract_mean", "extra_components");

  static PcaConfig parse(Map<String, String> values) throws AlgorithmException {
    Hyperparameters h = Hyperparameters.of("PCA", values, NAMES);
    int featureDim = h.requiredPositiveInt("feature_dim");
    int miniBatchSize = h.requiredPositiveInt("mini_batch_size");
    int numComponents = h.requiredPositiveInt("num_components");
    if (numComponents > featureDim) {
      throw h.invalid("num_components", values.get("num_components"),
          "must be at most feature_dim (" + featureDim + ")");
    }
    String mode = h.choice("algorithm_mode", "regular", "regular", "randomized");
    boolean subtractMean = h.bool("subtract_mean", true);
    int extra = h.intAtLeast("extra_components", -1, -1, "must be a non-negative integer or -1");
    return new PcaConfig(numComponents, featureDim, miniBatchSize, mode.equals("randomized"),
        subtractMean, extra);
  }

  /**
   * Columns of the randomized sketch: num_components plus extra_components, where -1 means
   * max(10, num_components) as SageMaker documents; never more than feature_dim.
   */
  int sketchSize() {
    int extra = extraComponents < 0 ? Math.max(10, numComponents) : extraComponents;
    return (int) Math.min(featureDim, (long) numComponents + extra);
  }
}
