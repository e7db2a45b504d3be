package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;

/**
 * What SageMaker's Linear Learner estimators share ({@link LinearLearnerBinaryClassifier}, {@link
 * LinearLearnerMultiClassClassifier}, {@link LinearLearnerRegressor}): a Spark {@code Param} for
 * every hyperparameter of the catalogue's Linear Learner that all three take, checked by the
 * catalogue's rule when set. Hyperparameters that SageMaker allows to be {@code auto} are String
 * Params (set a number, or {@code "auto"}); unset, SageMaker's default applies. {@code
 * predictorType} is fixed by the subclass.
 *
 * @param <T> the estimator's own type, which the setters return
 */
public abstract class LinearLearnerSageMakerEstimator<T extends LinearLearnerSageMakerEstimator<T>>
    extends LinearLearnerParams<T> {
  private static final long serialVersionUID = 1L;

  protected LinearLearnerSageMakerEstimator(
      String uid, SageMakerEstimatorOptions options, String predictorType) {
    super(uid, options);
    setDefault(predictorType(), predictorType);
  }

  @Override
  protected AlgorithmPreset<?, ?> preset() {
    return AlgorithmPreset.linearLearner();
  }
}
