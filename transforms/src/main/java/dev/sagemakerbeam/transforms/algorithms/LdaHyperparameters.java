package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;

/**
 * Hyperparameters of SageMaker's LDA ({@link AlgorithmCatalog#LDA}): {@code num_topics}, {@code
 * feature_dim} (the vocabulary's size) and {@code mini_batch_size} (the number of documents) are
 * required. Each setter applies the catalogue's rule when called. The setters are generated from
 * the catalogue ({@link LdaHyperparameterSetters}).
 */
public final class LdaHyperparameters extends LdaHyperparameterSetters {
  private static final long serialVersionUID = 1L;

  public LdaHyperparameters() {}
}
