package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;

/**
 * Hyperparameters of SageMaker's Factorization Machines ({@link
 * AlgorithmCatalog#FACTORIZATION_MACHINES}): start from {@link #binaryClassifier()} or {@link
 * #regressor()} (which set {@code predictor_type}); {@code feature_dim} and {@code num_factors} are
 * required. Each setter applies the catalogue's rule when called.
 */
public final class FactorizationMachinesHyperparameters extends Hyperparameters {
  private static final long serialVersionUID = 1L;

  public FactorizationMachinesHyperparameters() {
    super(AlgorithmCatalog.FACTORIZATION_MACHINES);
  }

  /** A binary classifier: labels 0 and 1; answers {@code score} and {@code predicted_label}. */
  public static FactorizationMachinesHyperparameters binaryClassifier() {
    return new FactorizationMachinesHyperparameters().predictorType("binary_classifier");
  }

  /** A regressor: answers {@code score}. */
  public static FactorizationMachinesHyperparameters regressor() {
    return new FactorizationMachinesHyperparameters().predictorType("regressor");
  }

  /** Number of features of the input (required). ({@code feature_dim}) */
  public FactorizationMachinesHyperparameters featureDim(long value) {
    put("feature_dim", value);
    return this;
  }

  /**
   * Dimension of the factorization (the length of each factor) (required). ({@code num_factors})
   */
  public FactorizationMachinesHyperparameters numFactors(long value) {
    put("num_factors", value);
    return this;
  }

  /**
   * 0/1 labels (binary_classifier) or real values (regressor) (required). ({@code predictor_type})
   */
  public FactorizationMachinesHyperparameters predictorType(String value) {
    put("predictor_type", value);
    return this;
  }

  /** Passes over the training data. ({@code epochs}) */
  public FactorizationMachinesHyperparameters epochs(long value) {
    put("epochs", value);
    return this;
  }

  /** Rows per mini-batch. ({@code mini_batch_size}) */
  public FactorizationMachinesHyperparameters miniBatchSize(long value) {
    put("mini_batch_size", value);
    return this;
  }

  /** Each gradient value is clipped to [-clip_gradient, clip_gradient]. ({@code clip_gradient}) */
  public FactorizationMachinesHyperparameters clipGradient(double value) {
    put("clip_gradient", value);
    return this;
  }

  /** The optimizer's small value against division by 0. ({@code eps}) */
  public FactorizationMachinesHyperparameters eps(double value) {
    put("eps", value);
    return this;
  }

  /** Gradients are multiplied by this before the update. ({@code rescale_grad}) */
  public FactorizationMachinesHyperparameters rescaleGrad(double value) {
    put("rescale_grad", value);
    return this;
  }

  /** Learning rate of the bias. ({@code bias_lr}) */
  public FactorizationMachinesHyperparameters biasLr(double value) {
    put("bias_lr", value);
    return this;
  }

  /** Learning rate of the linear terms. ({@code linear_lr}) */
  public FactorizationMachinesHyperparameters linearLr(double value) {
    put("linear_lr", value);
    return this;
  }

  /** Learning rate of the factors. ({@code factors_lr}) */
  public FactorizationMachinesHyperparameters factorsLr(double value) {
    put("factors_lr", value);
    return this;
  }

  /** Weight decay of the bias. ({@code bias_wd}) */
  public FactorizationMachinesHyperparameters biasWd(double value) {
    put("bias_wd", value);
    return this;
  }

  /** Weight decay of the linear terms. ({@code linear_wd}) */
  public FactorizationMachinesHyperparameters linearWd(double value) {
    put("linear_wd", value);
    return this;
  }

  /** Weight decay of the factors. ({@code factors_wd}) */
  public FactorizationMachinesHyperparameters factorsWd(double value) {
    put("factors_wd", value);
    return this;
  }

  /** How the bias term is initialised. ({@code bias_init_method}) */
  public FactorizationMachinesHyperparameters biasInitMethod(String value) {
    put("bias_init_method", value);
    return this;
  }

  /** Half-width of the uniform initialisation of the bias term. ({@code bias_init_scale}) */
  public FactorizationMachinesHyperparameters biasInitScale(double value) {
    put("bias_init_scale", value);
    return this;
  }

  /** Standard deviation of the normal initialisation of the bias term. ({@code bias_init_sigma}) */
  public FactorizationMachinesHyperparameters biasInitSigma(double value) {
    put("bias_init_sigma", value);
    return this;
  }

  /** Value of the constant initialisation of the bias term. ({@code bias_init_value}) */
  public FactorizationMachinesHyperparameters biasInitValue(double value) {
    put("bias_init_value", value);
    return this;
  }

  /** How the linear terms are initialised. ({@code linear_init_method}) */
  public FactorizationMachinesHyperparameters linearInitMethod(String value) {
    put("linear_init_method", value);
    return this;
  }

  /** Half-width of the uniform initialisation of the linear terms. ({@code linear_init_scale}) */
  public FactorizationMachinesHyperparameters linearInitScale(double value) {
    put("linear_init_scale", value);
    return this;
  }

  /**
   * Standard deviation of the normal initialisation of the linear terms. ({@code
   * linear_init_sigma})
   */
  public FactorizationMachinesHyperparameters linearInitSigma(double value) {
    put("linear_init_sigma", value);
    return this;
  }

  /** Value of the constant initialisation of the linear terms. ({@code linear_init_value}) */
  public FactorizationMachinesHyperparameters linearInitValue(double value) {
    put("linear_init_value", value);
    return this;
  }

  /** How the factors terms are initialised. ({@code factors_init_method}) */
  public FactorizationMachinesHyperparameters factorsInitMethod(String value) {
    put("factors_init_method", value);
    return this;
  }

  /** Half-width of the uniform initialisation of the factors terms. ({@code factors_init_scale}) */
  public FactorizationMachinesHyperparameters factorsInitScale(double value) {
    put("factors_init_scale", value);
    return this;
  }

  /**
   * Standard deviation of the normal initialisation of the factors terms. ({@code
   * factors_init_sigma})
   */
  public FactorizationMachinesHyperparameters factorsInitSigma(double value) {
    put("factors_init_sigma", value);
    return this;
  }

  /** Value of the constant initialisation of the factors terms. ({@code factors_init_value}) */
  public FactorizationMachinesHyperparameters factorsInitValue(double value) {
    put("factors_init_value", value);
    return this;
  }

  @Override
  public FactorizationMachinesHyperparameters raw(String name, String value) {
    super.raw(name, value);
    return this;
  }
}
