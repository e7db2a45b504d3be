package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;

/**
 * Hyperparameters of SageMaker's XGBoost ({@link AlgorithmCatalog#XGBOOST}): {@code num_round} is
 * required, {@code num_class} too for the {@code multi:} objectives; each setter applies the
 * catalogue's rule (the container's) when called.
 */
public final class XGBoostHyperparameters extends Hyperparameters {
  private static final long serialVersionUID = 1L;

  public XGBoostHyperparameters() {
    super(AlgorithmCatalog.XGBOOST);
  }

  /** Boosting rounds (required). ({@code num_round}) */
  public XGBoostHyperparameters numRound(long value) {
    put("num_round", value);
    return this;
  }

  /**
   * Number of classes; required by {@code multi:softmax} and {@code multi:softprob}. ({@code
   * num_class})
   */
  public XGBoostHyperparameters numClass(long value) {
    put("num_class", value);
    return this;
  }

  /** {@code gbtree}, {@code gblinear} or {@code dart}. ({@code booster}) */
  public XGBoostHyperparameters booster(String value) {
    put("booster", value);
    return this;
  }

  /** 1: log nothing (XGBoost before 1.0; see {@link #verbosity}). ({@code silent}) */
  public XGBoostHyperparameters silent(long value) {
    put("silent", value);
    return this;
  }

  /** 0 (silent) to 3 (debug). ({@code verbosity}) */
  public XGBoostHyperparameters verbosity(long value) {
    put("verbosity", value);
    return this;
  }

  /** Threads XGBoost uses (default: all cores). ({@code nthread}) */
  public XGBoostHyperparameters nthread(long value) {
    put("nthread", value);
    return this;
  }

  /** Learning rate, in [0, 1]. ({@code eta}) */
  public XGBoostHyperparameters eta(double value) {
    put("eta", value);
    return this;
  }

  /** Minimum loss reduction to split a leaf. ({@code gamma}) */
  public XGBoostHyperparameters gamma(double value) {
    put("gamma", value);
    return this;
  }

  /** Maximum tree depth (0: no limit, lossguide only). ({@code max_depth}) */
  public XGBoostHyperparameters maxDepth(long value) {
    put("max_depth", value);
    return this;
  }

  /** Minimum sum of hessian in a child. ({@code min_child_weight}) */
  public XGBoostHyperparameters minChildWeight(double value) {
    put("min_child_weight", value);
    return this;
  }

  /** Maximum delta step of a leaf output (0: none). ({@code max_delta_step}) */
  public XGBoostHyperparameters maxDeltaStep(double value) {
    put("max_delta_step", value);
    return this;
  }

  /** Fraction of rows sampled per tree, in (0, 1]. ({@code subsample}) */
  public XGBoostHyperparameters subsample(double value) {
    put("subsample", value);
    return this;
  }

  /** Fraction of columns per tree, in (0, 1]. ({@code colsample_bytree}) */
  public XGBoostHyperparameters colsampleByTree(double value) {
    put("colsample_bytree", value);
    return this;
  }

  /** Fraction of columns per level, in (0, 1]. ({@code colsample_bylevel}) */
  public XGBoostHyperparameters colsampleByLevel(double value) {
    put("colsample_bylevel", value);
    return this;
  }

  /** Fraction of columns per split, in (0, 1]. ({@code colsample_bynode}) */
  public XGBoostHyperparameters colsampleByNode(double value) {
    put("colsample_bynode", value);
    return this;
  }

  /** L2 regularization of the weights. ({@code lambda}) */
  public XGBoostHyperparameters lambda(double value) {
    put("lambda", value);
    return this;
  }

  /** L1 regularization of the weights. ({@code alpha}) */
  public XGBoostHyperparameters alpha(double value) {
    put("alpha", value);
    return this;
  }

  /**
   * {@code auto}, {@code exact}, {@code approx}, {@code hist} or {@code gpu_hist}. ({@code
   * tree_method})
   */
  public XGBoostHyperparameters treeMethod(String value) {
    put("tree_method", value);
    return this;
  }

  /** Approximation of {@code approx} (no effect since XGBoost 1.6). ({@code sketch_eps}) */
  public XGBoostHyperparameters sketchEps(double value) {
    put("sketch_eps", value);
    return this;
  }

  /** Weight of positive examples. ({@code scale_pos_weight}) */
  public XGBoostHyperparameters scalePosWeight(double value) {
    put("scale_pos_weight", value);
    return this;
  }

  /** Comma-separated tree updaters, e.g. {@code grow_colmaker,prune}. ({@code updater}) */
  public XGBoostHyperparameters updater(String value) {
    put("updater", value);
    return this;
  }

  /** 1: the refresh updater updates leaf values too. ({@code refresh_leaf}) */
  public XGBoostHyperparameters refreshLeaf(long value) {
    put("refresh_leaf", value);
    return this;
  }

  /** {@code default} or {@code update}. ({@code process_type}) */
  public XGBoostHyperparameters processType(String value) {
    put("process_type", value);
    return this;
  }

  /** {@code depthwise} or {@code lossguide}. ({@code grow_policy}) */
  public XGBoostHyperparameters growPolicy(String value) {
    put("grow_policy", value);
    return this;
  }

  /** Maximum number of leaves (lossguide; 0: no limit). ({@code max_leaves}) */
  public XGBoostHyperparameters maxLeaves(long value) {
    put("max_leaves", value);
    return this;
  }

  /** Maximum number of bins per feature (hist, approx). ({@code max_bin}) */
  public XGBoostHyperparameters maxBin(long value) {
    put("max_bin", value);
    return this;
  }

  /** Dart: {@code uniform} or {@code weighted}. ({@code sample_type}) */
  public XGBoostHyperparameters sampleType(String value) {
    put("sample_type", value);
    return this;
  }

  /** Dart: {@code tree} or {@code forest}. ({@code normalize_type}) */
  public XGBoostHyperparameters normalizeType(String value) {
    put("normalize_type", value);
    return this;
  }

  /** Dart: fraction of trees dropped, in [0, 1]. ({@code rate_drop}) */
  public XGBoostHyperparameters rateDrop(double value) {
    put("rate_drop", value);
    return this;
  }

  /** Dart: 1 to always drop at least one tree. ({@code one_drop}) */
  public XGBoostHyperparameters oneDrop(long value) {
    put("one_drop", value);
    return this;
  }

  /** Dart: probability of skipping the dropout, in [0, 1]. ({@code skip_drop}) */
  public XGBoostHyperparameters skipDrop(double value) {
    put("skip_drop", value);
    return this;
  }

  /** Gblinear: L2 regularization of the bias, in [0, 1]. ({@code lambda_bias}) */
  public XGBoostHyperparameters lambdaBias(double value) {
    put("lambda_bias", value);
    return this;
  }

  /** reg:tweedie's variance power, in (1, 2). ({@code tweedie_variance_power}) */
  public XGBoostHyperparameters tweedieVariancePower(double value) {
    put("tweedie_variance_power", value);
    return this;
  }

  /**
   * The learning objective, e.g. {@code binary:logistic}, {@code multi:softmax}. ({@code
   * objective})
   */
  public XGBoostHyperparameters objective(String value) {
    put("objective", value);
    return this;
  }

  /** The initial prediction of every row. ({@code base_score}) */
  public XGBoostHyperparameters baseScore(double value) {
    put("base_score", value);
    return this;
  }

  /** Random seed. ({@code seed}) */
  public XGBoostHyperparameters seed(long value) {
    put("seed", value);
    return this;
  }

  /**
   * Stop when the validation metric has not improved for this many rounds. ({@code
   * early_stopping_rounds})
   */
  public XGBoostHyperparameters earlyStoppingRounds(long value) {
    put("early_stopping_rounds", value);
    return this;
  }

  /** Metrics on the train and validation channels, e.g. {@code "auc", "error@0.7"}. */
  public XGBoostHyperparameters evalMetric(String... metrics) {
    put("eval_metric", String.join(",", metrics));
    return this;
  }

  @Override
  public XGBoostHyperparameters raw(String name, String value) {
    super.raw(name, value);
    return this;
  }
}
