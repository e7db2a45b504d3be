package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;

/**
 * Hyperparameters of SageMaker's LDA ({@link AlgorithmCatalog#LDA}): {@code num_topics}, {@code
 * feature_dim} (the vocabulary's size) and {@code mini_batch_size} (the number of documents) are
 * required. Each setter applies the catalogue's rule when called.
 */
public final class LdaHyperparameters extends Hyperparameters {
  private static final long serialVersionUID = 1L;

  public LdaHyperparameters() {
    super(AlgorithmCatalog.LDA);
  }

  /** Number of topics (required). ({@code num_topics}) */
  public LdaHyperparameters numTopics(long value) {
    put("num_topics", value);
    return this;
  }

  /** Size of the vocabulary (required). ({@code feature_dim}) */
  public LdaHyperparameters featureDim(long value) {
    put("feature_dim", value);
    return this;
  }

  /** The number of documents in the corpus (required). ({@code mini_batch_size}) */
  public LdaHyperparameters miniBatchSize(long value) {
    put("mini_batch_size", value);
    return this;
  }

  /** Sum of the Dirichlet prior of the topic mixtures (small: sparse mixtures). ({@code alpha0}) */
  public LdaHyperparameters alpha0(double value) {
    put("alpha0", value);
    return this;
  }

  /** Restarts from different starting points; the best is kept. ({@code max_restarts}) */
  public LdaHyperparameters maxRestarts(long value) {
    put("max_restarts", value);
    return this;
  }

  /** Maximum iterations of the fit. ({@code max_iterations}) */
  public LdaHyperparameters maxIterations(long value) {
    put("max_iterations", value);
    return this;
  }

  /** Relative improvement below which the fit stops. ({@code tol}) */
  public LdaHyperparameters tol(double value) {
    put("tol", value);
    return this;
  }

  @Override
  public LdaHyperparameters raw(String name, String value) {
    super.raw(name, value);
    return this;
  }
}
