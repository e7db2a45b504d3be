package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;

/**
 * Hyperparameters of SageMaker's PCA ({@link AlgorithmCatalog#PCA}): {@code feature_dim}, {@code
 * mini_batch_size} and {@code num_components} (at most feature_dim) are required; each setter
 * applies the catalogue's rule when called. The setters are generated from the catalogue ({@link
 * PcaHyperparameterSetters}).
 */
public final class PcaHyperparameters extends PcaHyperparameterSetters {
  private static final long serialVersionUID = 1L;

  public PcaHyperparameters() {}
}
