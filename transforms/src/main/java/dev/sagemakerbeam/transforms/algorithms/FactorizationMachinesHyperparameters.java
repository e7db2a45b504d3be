package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;

/**
 * Hyperparameters of SageMaker's Factorization Machines ({@link
 * AlgorithmCatalog#FACTORIZATION_MACHINES}): start from {@link #binaryClassifier()} or {@link
 * #regressor()} (which set {@code predictor_type}); {@code feature_dim} and {@code num_factors} are
 * required. Each setter applies the catalogue's rule when called. The setters are generated from
 * the catalogue ({@link FactorizationMachinesHyperparameterSetters}).
 */
public final class FactorizationMachinesHyperparameters
    extends FactorizationMachinesHyperparameterSetters {
  private static final long serialVersionUID = 1L;

  public FactorizationMachinesHyperparameters() {}

  /** A binary classifier: labels 0 and 1; answers {@code score} and {@code predicted_label}. */
  public static FactorizationMachinesHyperparameters binaryClassifier() {
    return new FactorizationMachinesHyperparameters().predictorType("binary_classifier");
  }

  /** A regressor: answers {@code score}. */
  public static FactorizationMachinesHyperparameters regressor() {
    return new FactorizationMachinesHyperparameters().predictorType("regressor");
  }
}
