package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;

/**
 * Hyperparameters of SageMaker's K-Means ({@link AlgorithmCatalog#KMEANS}): {@code feature_dim} and
 * {@code k} are required; each setter applies the catalogue's rule when called. The setters are
 * generated from the catalogue ({@link KMeansHyperparameterSetters}).
 */
public final class KMeansHyperparameters extends KMeansHyperparameterSetters {
  private static final long serialVersionUID = 1L;

  public KMeansHyperparameters() {}
}
