package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;

/**
 * Hyperparameters of SageMaker's Linear Learner ({@link AlgorithmCatalog#LINEAR_LEARNER}): start
 * from {@link #binaryClassifier()}, {@link #multiclassClassifier(long)} or {@link #regressor()}
 * (which set {@code predictor_type}); {@code feature_dim} is required. Each setter applies the
 * catalogue's rule when called; hyperparameters of another predictor type are ignored by the
 * service.
 */
public final class LinearLearnerHyperparameters extends Hyperparameters {
  private static final long serialVersionUID = 1L;

  public LinearLearnerHyperparameters() {
    super(AlgorithmCatalog.LINEAR_LEARNER);
  }

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

  /** {@code binary_classifier}, {@code multiclass_classifier} or {@code regressor} (required). */
  public LinearLearnerHyperparameters predictorType(String value) {
    put("predictor_type", value);
    return this;
  }

  /** Number of features of the input. ({@code feature_dim}) */
  public LinearLearnerHyperparameters featureDim(long value) {
    put("feature_dim", value);
    return this;
  }

  /** Rows per mini-batch. ({@code mini_batch_size}) */
  public LinearLearnerHyperparameters miniBatchSize(long value) {
    put("mini_batch_size", value);
    return this;
  }

  /** Maximum passes over the training data. ({@code epochs}) */
  public LinearLearnerHyperparameters epochs(long value) {
    put("epochs", value);
    return this;
  }

  /** Whether the model has a bias (intercept) term. ({@code use_bias}) */
  public LinearLearnerHyperparameters useBias(boolean value) {
    put("use_bias", value);
    return this;
  }

  /**
   * Models trained in parallel with close settings; the best on validation data is kept. Default:
   * auto. ({@code num_models})
   */
  public LinearLearnerHyperparameters numModels(long value) {
    put("num_models", value);
    return this;
  }

  /**
   * Validation rows used to choose the binary classifier's threshold. Default: auto. ({@code
   * num_calibration_samples})
   */
  public LinearLearnerHyperparameters numCalibrationSamples(long value) {
    put("num_calibration_samples", value);
    return this;
  }

  /** The distribution of the initial weights. ({@code init_method}) */
  public LinearLearnerHyperparameters initMethod(String value) {
    put("init_method", value);
    return this;
  }

  /** Initial weights are uniform in [-init_scale, init_scale]. ({@code init_scale}) */
  public LinearLearnerHyperparameters initScale(double value) {
    put("init_scale", value);
    return this;
  }

  /** Standard deviation of normal initial weights. ({@code init_sigma}) */
  public LinearLearnerHyperparameters initSigma(double value) {
    put("init_sigma", value);
    return this;
  }

  /** Initial value of the bias. ({@code init_bias}) */
  public LinearLearnerHyperparameters initBias(double value) {
    put("init_bias", value);
    return this;
  }

  /** The optimization algorithm (auto: adam). ({@code optimizer}) */
  public LinearLearnerHyperparameters optimizer(String value) {
    put("optimizer", value);
    return this;
  }

  /** The loss (auto: logistic, softmax_loss or squared_loss by predictor_type). ({@code loss}) */
  public LinearLearnerHyperparameters loss(String value) {
    put("loss", value);
    return this;
  }

  /** L2 regularization (weight decay); 0 for none. Default: auto. ({@code wd}) */
  public LinearLearnerHyperparameters wd(double value) {
    put("wd", value);
    return this;
  }

  /** L1 regularization; 0 for none. Default: auto. ({@code l1}) */
  public LinearLearnerHyperparameters l1(double value) {
    put("l1", value);
    return this;
  }

  /** Momentum of the sgd optimizer. Default: auto. ({@code momentum}) */
  public LinearLearnerHyperparameters momentum(double value) {
    put("momentum", value);
    return this;
  }

  /**
   * The optimizer's step size (auto: chosen for the optimizer). Default: auto. ({@code
   * learning_rate})
   */
  public LinearLearnerHyperparameters learningRate(double value) {
    put("learning_rate", value);
    return this;
  }

  /** Decay of adam's first-moment estimates. Default: auto. ({@code beta_1}) */
  public LinearLearnerHyperparameters beta1(double value) {
    put("beta_1", value);
    return this;
  }

  /** Decay of adam's (and rmsprop's) second-moment estimates. Default: auto. ({@code beta_2}) */
  public LinearLearnerHyperparameters beta2(double value) {
    put("beta_2", value);
    return this;
  }

  /**
   * The bias's learning rate as a multiple of learning_rate. Default: auto. ({@code bias_lr_mult})
   */
  public LinearLearnerHyperparameters biasLrMult(double value) {
    put("bias_lr_mult", value);
    return this;
  }

  /**
   * The bias's L2 regularization as a multiple of wd (auto: none). Default: auto. ({@code
   * bias_wd_mult})
   */
  public LinearLearnerHyperparameters biasWdMult(double value) {
    put("bias_wd_mult", value);
    return this;
  }

  /** Whether the learning rate decays during training. ({@code use_lr_scheduler}) */
  public LinearLearnerHyperparameters useLrScheduler(boolean value) {
    put("use_lr_scheduler", value);
    return this;
  }

  /**
   * Mini-batches between two decays of the learning rate. Default: auto. ({@code
   * lr_scheduler_step})
   */
  public LinearLearnerHyperparameters lrSchedulerStep(long value) {
    put("lr_scheduler_step", value);
    return this;
  }

  /**
   * Factor applied to the learning rate at each decay. Default: auto. ({@code lr_scheduler_factor})
   */
  public LinearLearnerHyperparameters lrSchedulerFactor(double value) {
    put("lr_scheduler_factor", value);
    return this;
  }

  /** The learning rate never decays below this. Default: auto. ({@code lr_scheduler_minimum_lr}) */
  public LinearLearnerHyperparameters lrSchedulerMinimumLr(double value) {
    put("lr_scheduler_minimum_lr", value);
    return this;
  }

  /** Scale every feature to unit standard deviation before training. ({@code normalize_data}) */
  public LinearLearnerHyperparameters normalizeData(boolean value) {
    put("normalize_data", value);
    return this;
  }

  /**
   * Scale the label to unit standard deviation (auto: for regression only). ({@code
   * normalize_label})
   */
  public LinearLearnerHyperparameters normalizeLabel(boolean value) {
    put("normalize_label", value);
    return this;
  }

  /** Shift every feature to mean 0 (auto: when use_bias). ({@code unbias_data}) */
  public LinearLearnerHyperparameters unbiasData(boolean value) {
    put("unbias_data", value);
    return this;
  }

  /** Shift the label to mean 0 (auto: for regression when use_bias). ({@code unbias_label}) */
  public LinearLearnerHyperparameters unbiasLabel(boolean value) {
    put("unbias_label", value);
    return this;
  }

  /** Rows used to compute the normalization. ({@code num_point_for_scaler}) */
  public LinearLearnerHyperparameters numPointForScaler(long value) {
    put("num_point_for_scaler", value);
    return this;
  }

  /** Epochs without improvement before training stops. ({@code early_stopping_patience}) */
  public LinearLearnerHyperparameters earlyStoppingPatience(long value) {
    put("early_stopping_patience", value);
    return this;
  }

  /** Relative improvement of the loss that counts as one. ({@code early_stopping_tolerance}) */
  public LinearLearnerHyperparameters earlyStoppingTolerance(double value) {
    put("early_stopping_tolerance", value);
    return this;
  }

  /** The margin of hinge_loss. ({@code margin}) */
  public LinearLearnerHyperparameters margin(double value) {
    put("margin", value);
    return this;
  }

  /** The quantile of quantile_loss. ({@code quantile}) */
  public LinearLearnerHyperparameters quantile(double value) {
    put("quantile", value);
    return this;
  }

  /** Errors below this cost nothing in the eps_insensitive losses. ({@code loss_insensitivity}) */
  public LinearLearnerHyperparameters lossInsensitivity(double value) {
    put("loss_insensitivity", value);
    return this;
  }

  /** Huber_loss is squared below this error and linear above. ({@code huber_delta}) */
  public LinearLearnerHyperparameters huberDelta(double value) {
    put("huber_delta", value);
    return this;
  }

  /** Beta of the F-beta score. ({@code f_beta}) */
  public LinearLearnerHyperparameters fBeta(double value) {
    put("f_beta", value);
    return this;
  }

  /**
   * How the binary classifier's model and threshold are chosen on validation data. ({@code
   * binary_classifier_model_selection_criteria})
   */
  public LinearLearnerHyperparameters binaryClassifierModelSelectionCriteria(String value) {
    put("binary_classifier_model_selection_criteria", value);
    return this;
  }

  /** Recall held for precision_at_target_recall. ({@code target_recall}) */
  public LinearLearnerHyperparameters targetRecall(double value) {
    put("target_recall", value);
    return this;
  }

  /** Precision held for recall_at_target_precision. ({@code target_precision}) */
  public LinearLearnerHyperparameters targetPrecision(double value) {
    put("target_precision", value);
    return this;
  }

  /**
   * Weight of positive examples (balanced: as much weight in all positives as in all negatives).
   * Default: auto. ({@code positive_example_weight_mult})
   */
  public LinearLearnerHyperparameters positiveExampleWeightMult(double value) {
    put("positive_example_weight_mult", value);
    return this;
  }

  /**
   * {@code balanced} or {@code auto} instead of a number. ({@code positive_example_weight_mult})
   */
  public LinearLearnerHyperparameters positiveExampleWeightMult(String value) {
    put("positive_example_weight_mult", value);
    return this;
  }

  /**
   * Number of classes, labelled 0 .. num_classes - 1; required by multiclass_classifier. ({@code
   * num_classes})
   */
  public LinearLearnerHyperparameters numClasses(long value) {
    put("num_classes", value);
    return this;
  }

  /** K of the multiclass top-k accuracy metric. ({@code accuracy_top_k}) */
  public LinearLearnerHyperparameters accuracyTopK(long value) {
    put("accuracy_top_k", value);
    return this;
  }

  /** Weigh the classes so each counts equally in the loss. ({@code balance_multiclass_weights}) */
  public LinearLearnerHyperparameters balanceMulticlassWeights(boolean value) {
    put("balance_multiclass_weights", value);
    return this;
  }

  @Override
  public LinearLearnerHyperparameters raw(String name, String value) {
    super.raw(name, value);
    return this;
  }
}
