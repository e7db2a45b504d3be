package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;

/**
 * What SageMaker's Factorization Machines estimators share ({@link
 * FactorizationMachinesBinaryClassifier}, {@link FactorizationMachinesRegressor}): a Spark {@code
 * Param} for every hyperparameter of the catalogue's Factorization Machines, checked by the
 * catalogue's rule when set; {@code numFactors} is required, {@code predictorType} fixed by the
 * subclass. Training data is staged as RecordIO-protobuf, sparse vectors staying sparse.
 *
 * @param <T> the estimator's own type, which the setters return
 */
public abstract class FactorizationMachinesSageMakerEstimator<
        T extends FactorizationMachinesSageMakerEstimator<T>>
    extends FactorizationMachinesParams<T> {
  private static final long serialVersionUID = 1L;

  protected FactorizationMachinesSageMakerEstimator(
      String uid, SageMakerEstimatorOptions options, String predictorType) {
    super(uid, options);
    setDefault(predictorType(), predictorType);
  }

  @Override
  protected AlgorithmPreset<?, ?> preset() {
    return AlgorithmPreset.factorizationMachines();
  }
}
