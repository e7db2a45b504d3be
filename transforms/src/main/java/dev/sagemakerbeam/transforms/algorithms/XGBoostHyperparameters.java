package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;

/**
 * Hyperparameters of SageMaker's XGBoost ({@link AlgorithmCatalog#XGBOOST}): {@code num_round} is
 * required, {@code num_class} too for the {@code multi:} objectives; each setter applies the
 * catalogue's rule (the container's) when called. The setters are generated from the catalogue
 * ({@link XGBoostHyperparameterSetters}).
 */
public final class XGBoostHyperparameters extends XGBoostHyperparameterSetters {
  private static final long serialVersionUID = 1L;

  public XGBoostHyperparameters() {}
}
