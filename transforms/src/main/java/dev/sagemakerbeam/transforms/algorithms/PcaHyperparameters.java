package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;

/**
 * Hyperparameters of SageMaker's PCA ({@link AlgorithmCatalog#PCA}): {@code feature_dim}, {@code
 * mini_batch_size} and {@code num_components} (at most feature_dim) are required; each setter
 * applies the catalogue's rule when called.
 */
public final class PcaHyperparameters extends Hyperparameters {
  private static final long serialVersionUID = 1L;

  public PcaHyperparameters() {
    super(AlgorithmCatalog.PCA);
  }

  public PcaHyperparameters featureDim(long featureDim) {
    put("feature_dim", featureDim);
    return this;
  }

  public PcaHyperparameters miniBatchSize(long size) {
    put("mini_batch_size", size);
    return this;
  }

  public PcaHyperparameters numComponents(long components) {
    put("num_components", components);
    return this;
  }

  /** {@code regular} or {@code randomized}. */
  public PcaHyperparameters algorithmMode(String mode) {
    put("algorithm_mode", mode);
    return this;
  }

  public PcaHyperparameters subtractMean(boolean subtract) {
    put("subtract_mean", subtract);
    return this;
  }

  /** -1 (the default: max(10, num_components)) or a non-negative count; randomized mode only. */
  public PcaHyperparameters extraComponents(long extra) {
    put("extra_components", extra);
    return this;
  }

  @Override
  public PcaHyperparameters raw(String name, String value) {
    super.raw(name, value);
    return this;
  }
}
