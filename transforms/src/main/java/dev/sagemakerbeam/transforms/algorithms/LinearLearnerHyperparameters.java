package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;

/**
 * Hyperparameters of SageMaker's Linear Learner ({@link AlgorithmCatalog#LINEAR_LEARNER}): start
 * from {@link #binaryClassifier()}, {@link #multiclassClassifier(long)} or {@link #regressor()}
 * (which set {@code predictor_type}); {@code feature_dim} is required. Each setter applies the
 * catalogue's rule when called; hyperparameters of another predictor type are ignored by the
 * service. The setters are generated from the catalogue ({@link
 * LinearLearnerHyperparameterSetters}).
 */
public final class LinearLearnerHyperparameters extends LinearLearnerHyperparameterSetters {
  private static final long serialVersionUID = 1L;

  public LinearLearnerHyperparameters() {}

  /** A binary classifier: labels 0 and 1; answers {@code score} and {@code predicted_label}. */
  public static LinearLearnerHyperparameters binaryClassifier() {
    return new LinearLearnerHyperparameters().predictorType("binary_classifier");
  }

  /**
   * A multiclass classifier of {@code numClasses} classes (labels 0 .. numClasses - 1); answers a
   * {@code score} per class and {@code predicted_label}.
   */
  public static LinearLearnerHyperparameters multiclassClassifier(long numClasses) {
    return new LinearLearnerHyperparameters()
        .predictorType("multiclass_classifier")
        .numClasses(numClasses);
  }

  /** A regressor: answers {@code score}. */
  public static LinearLearnerHyperparameters regressor() {
    return new LinearLearnerHyperparameters().predictorType("regressor");
  }
}
