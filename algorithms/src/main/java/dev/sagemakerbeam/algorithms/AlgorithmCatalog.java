package dev.sagemakerbeam.algorithms;

import static dev.sagemakerbeam.algorithms.HyperparameterSpec.bool;
import static dev.sagemakerbeam.algorithms.HyperparameterSpec.categorical;
import static dev.sagemakerbeam.algorithms.HyperparameterSpec.categoricalList;
import static dev.sagemakerbeam.algorithms.HyperparameterSpec.integer;
import static dev.sagemakerbeam.algorithms.HyperparameterSpec.number;
import static dev.sagemakerbeam.algorithms.HyperparameterSpec.wordList;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The built-in algorithms this project knows, each described once ({@link AlgorithmSpec}), as
 * SageMaker documents them. Where this project is stricter than the service it says so.
 *
 * <p>Adding an algorithm: its description here; its trainer and model in SageMaker Local ({@code
 * local/.../algorithm/builtin}, registered by image repository in {@code BuiltInAlgorithms}); a
 * Beam preset and typed hyperparameters in {@code transforms/.../algorithms}; and a thin Spark
 * estimator in {@code sdk/.../algorithms} whose Params come from this description. The catalogue
 * test then checks every hyperparameter through all three layers.
 */
public final class AlgorithmCatalog {
  private static final String RECORDIO_PROTOBUF = "application/x-recordio-protobuf";

  /** SageMaker K-Means ({@code kmeans:1}). */
  public static final AlgorithmSpec KMEANS =
      AlgorithmSpec.builder("kmeans", "K-Means")
          .image("kmeans", "1", RegistryAccounts.FIRST_PARTY)
          .hyperparameter(
              integer("feature_dim", "featureDim")
                  .required()
                  .min(1)
                  .description("number of features of the input"))
          // the service documents a positive integer; the original SageMaker Spark library (and
          // this
          // project) refuse one cluster
          .hyperparameter(integer("k", "k").required().min(2).description("number of clusters"))
          .hyperparameter(
              integer("mini_batch_size", "miniBatchSize")
                  .min(1)
                  .serviceDefault("5000")
                  .description("rows per mini-batch"))
          .hyperparameter(
              integer("epochs", "epochs")
                  .min(1)
                  .serviceDefault("1")
                  .description("passes over the data"))
          .hyperparameter(
              categorical("init_method", "initMethod", "random", "kmeans++")
                  .serviceDefault("random")
                  .description("how the initial centers are chosen"))
          .hyperparameter(
              integer("extra_center_factor", "centerFactor")
                  .min(1)
                  .allowsAuto()
                  .sparkNumbersOnly()
                  .serviceDefault("auto")
                  .description("centers kept during training, as a multiple of k"))
          .hyperparameter(
              integer("local_lloyd_max_iter", "maxIter")
                  .beamName("maxIterations")
                  .min(1)
                  .serviceDefault("300")
                  .description("iterations of the final local Lloyd's step"))
          .hyperparameter(
              number("local_lloyd_tol", "tol")
                  .beamName("tolerance")
                  .range(0, 1)
                  .serviceDefault("0.0001")
                  .description("tolerance of the final local Lloyd's step"))
          .hyperparameter(
              integer("local_lloyd_num_trials", "trialNum")
                  .beamName("trialNum")
                  .min(1)
                  .allowsAuto()
                  .sparkNumbersOnly()
                  .serviceDefault("auto")
                  .description("trials of the final local Lloyd's step"))
          .hyperparameter(
              categorical("local_lloyd_init_method", "localInitMethod", "random", "kmeans++")
                  .beamName("localInitMethod")
                  .serviceDefault("kmeans++")
                  .description("initialisation of the final local Lloyd's step"))
          .hyperparameter(
              integer("half_life_time_size", "halfLifeTimeSize")
                  .min(0)
                  .serviceDefault("0")
                  .description("points after which an observation's weight halves (0: no decay)"))
          .hyperparameter(
              categoricalList("eval_metrics", "evalMetrics", "msd", "ssd")
                  .serviceDefault("[\"msd\"]")
                  .description("metrics reported on the test channel"))
          // set by the SageMaker Python SDK's KMeans estimator on every job
          .hyperparameter(
              bool("force_dense", "forceDense")
                  .serviceDefault("true")
                  .description("densify sparse input"))
          .trainingChannels("train", "test")
          .trainingContentTypes(RECORDIO_PROTOBUF, "text/csv")
          .inferenceContentTypes(RECORDIO_PROTOBUF, "text/csv", "application/json")
          // https://docs.aws.amazon.com/sagemaker/latest/dg/k-means-tuning.html
          .minimizes("test:msd", "test:ssd")
          .tunable("epochs", "extra_center_factor", "init_method", "mini_batch_size")
          .responseKeys("closest_cluster", "distance_to_cluster")
          .build();

  /** SageMaker PCA ({@code pca:1}). */
  public static final AlgorithmSpec PCA =
      AlgorithmSpec.builder("pca", "PCA")
          .image("pca", "1", RegistryAccounts.FIRST_PARTY)
          .hyperparameter(
              integer("feature_dim", "featureDim")
                  .required()
                  .min(1)
                  .description("number of features of the input"))
          .hyperparameter(
              integer("mini_batch_size", "miniBatchSize")
                  .required()
                  .min(1)
                  .description("rows per mini-batch"))
          .hyperparameter(
              integer("num_components", "numComponents")
                  .required()
                  .min(1)
                  .description("number of principal components"))
          .hyperparameter(
              categorical("algorithm_mode", "algorithmMode", "regular", "randomized")
                  .serviceDefault("regular")
                  .description("exact (regular) or randomized computation"))
          .hyperparameter(
              bool("subtract_mean", "subtractMean")
                  .serviceDefault("true")
                  .description("subtract the mean before projecting"))
          .hyperparameter(
              integer("extra_components", "extraComponents")
                  .min(-1)
                  .serviceDefault("-1")
                  .description(
                      "extra sketch columns in randomized mode; -1: max(10, num_components)"))
          .crossRule(
              (algorithm, values) -> {
                long features = Long.parseLong(values.get("feature_dim"));
                long components = Long.parseLong(values.get("num_components"));
                if (components > features) {
                  throw algorithm.invalid(
                      "num_components",
                      values.get("num_components"),
                      "at most feature_dim (" + features + ")");
                }
              })
          .trainingChannels("train", "test")
          .trainingContentTypes(RECORDIO_PROTOBUF, "text/csv")
          .inferenceContentTypes(RECORDIO_PROTOBUF, "text/csv", "application/json")
          // PCA has no tunable metrics: SageMaker does not tune it
          .responseKeys("projection")
          .build();

  /**
   * The registry accounts of SageMaker's framework images ({@code sagemaker-xgboost}, versions
   * 0.90-1 onwards; the sagemaker-python-sdk's {@code image_uri_config/xgboost.json}), which are
   * not the first-party algorithms' accounts.
   */
  public static final RegistryAccounts XGBOOST_ACCOUNTS;

  static {
    Map<String, String> m = new TreeMap<>();
    m.put("af-south-1", "510948584623");
    m.put("ap-east-1", "651117190479");
    m.put("ap-northeast-1", "354813040037");
    m.put("ap-northeast-2", "366743142698");
    m.put("ap-northeast-3", "867004704886");
    m.put("ap-south-1", "720646828776");
    m.put("ap-south-2", "628508329040");
    m.put("ap-southeast-1", "121021644041");
    m.put("ap-southeast-2", "783357654285");
    m.put("ap-southeast-3", "951798379941");
    m.put("ap-southeast-4", "106583098589");
    m.put("ca-central-1", "341280168497");
    m.put("ca-west-1", "190319476487");
    m.put("cn-north-1", "450853457545");
    m.put("cn-northwest-1", "451049120500");
    m.put("eu-central-1", "492215442770");
    m.put("eu-central-2", "680994064768");
    m.put("eu-north-1", "662702820516");
    m.put("eu-south-1", "978288397137");
    m.put("eu-south-2", "104374241257");
    m.put("eu-west-1", "141502667606");
    m.put("eu-west-2", "764974769150");
    m.put("eu-west-3", "659782779980");
    m.put("il-central-1", "898809789911");
    m.put("me-central-1", "272398656194");
    m.put("me-south-1", "801668240914");
    m.put("sa-east-1", "737474898029");
    m.put("us-east-1", "683313688378");
    m.put("us-east-2", "257758044811");
    m.put("us-gov-east-1", "237065988967");
    m.put("us-gov-west-1", "414596584902");
    m.put("us-iso-east-1", "833128469047");
    m.put("us-isob-east-1", "281123927165");
    m.put("us-west-1", "746614075791");
    m.put("us-west-2", "246618743249");
    XGBOOST_ACCOUNTS = RegistryAccounts.of(m);
  }

  /** The {@code sagemaker-xgboost} image tags SageMaker publishes; the first is the default. */
  public static final List<String> XGBOOST_TAGS =
      List.of("1.7-1", "1.5-1", "1.3-1", "1.2-2", "1.2-1", "1.0-1", "0.90-2", "0.90-1");

  /** The learning objectives of the XGBoost 1.7 container. */
  public static final List<String> XGBOOST_OBJECTIVES =
      List.of(
          "reg:squarederror",
          "reg:squaredlogerror",
          "reg:logistic",
          "reg:pseudohubererror",
          "reg:absoluteerror",
          "binary:logistic",
          "binary:logitraw",
          "binary:hinge",
          "count:poisson",
          "survival:cox",
          "survival:aft",
          "multi:softmax",
          "multi:softprob",
          "rank:pairwise",
          "rank:ndcg",
          "rank:map",
          "reg:gamma",
          "reg:tweedie");

  private static final String XGBOOST_METRIC =
      "rmse|rmsle|mae|mape|mphe|logloss|error(@\\d+(\\.\\d+)?)?|merror|mlogloss|auc|aucpr"
          + "|(ndcg|map|pre)(@\\d+)?-?|poisson-nloglik|gamma-nloglik|cox-nloglik|gamma-deviance"
          + "|tweedie-nloglik(@\\d+(\\.\\d+)?)?|aft-nloglik|interval-regression-accuracy";

  private static final String XGBOOST_UPDATER =
      "grow_colmaker|distcol|grow_histmaker|grow_local_histmaker|grow_skmaker"
          + "|grow_quantile_histmaker|grow_gpu_hist|grow_gpu_approx|sync|refresh|prune"
          + "|shotgun|coord_descent";

  /**
   * SageMaker's XGBoost, the open-source framework container ({@code sagemaker-xgboost:1.7-1},
   * which runs XGBoost 1.7). The hyperparameters are the original SageMaker Spark library's
   * XGBoostSageMakerEstimator's (Spark Param names as there) plus {@code verbosity}, {@code
   * colsample_bynode} and {@code early_stopping_rounds}, with the container's rules.
   */
  public static final AlgorithmSpec XGBOOST =
      AlgorithmSpec.builder("xgboost", "XGBoost")
          .image("sagemaker-xgboost", XGBOOST_TAGS.get(0), XGBOOST_ACCOUNTS)
          .hyperparameter(
              integer("num_round", "numRound")
                  .required()
                  .min(1)
                  .description("number of boosting rounds"))
          .hyperparameter(
              integer("num_class", "numClasses")
                  .min(2)
                  .description(
                      "number of classes; required by the multi:softmax and"
                          + " multi:softprob objectives"))
          .hyperparameter(
              categorical("booster", "booster", "gbtree", "gblinear", "dart")
                  .serviceDefault("gbtree")
                  .description("the booster"))
          .hyperparameter(
              integer("silent", "silent")
                  .range(0, 1)
                  .serviceDefault("0")
                  .description(
                      "1 to log nothing while training (XGBoost before 1.0; see verbosity)"))
          .hyperparameter(
              integer("verbosity", "verbosity")
                  .range(0, 3)
                  .serviceDefault("1")
                  .description("how much XGBoost logs: 0 silent, 1 warnings, 2 info, 3 debug"))
          .hyperparameter(
              integer("nthread", "nThread")
                  .min(1)
                  .description("threads XGBoost uses (default: all cores)"))
          .hyperparameter(
              number("eta", "eta").range(0, 1).serviceDefault("0.3").description("learning rate"))
          .hyperparameter(
              number("gamma", "gamma")
                  .min(0)
                  .serviceDefault("0")
                  .description("minimum loss reduction to split a leaf"))
          .hyperparameter(
              integer("max_depth", "maxDepth")
                  .min(0)
                  .serviceDefault("6")
                  .description("maximum depth of a tree (0: no limit, lossguide only)"))
          .hyperparameter(
              number("min_child_weight", "minChildWeight")
                  .min(0)
                  .serviceDefault("1")
                  .description("minimum sum of instance weight (hessian) in a child"))
          .hyperparameter(
              number("max_delta_step", "maxDeltaStep")
                  .min(0)
                  .serviceDefault("0")
                  .description("maximum delta step of each leaf output (0: no constraint)"))
          .hyperparameter(
              number("subsample", "subsample")
                  .greaterThan(0)
                  .max(1)
                  .serviceDefault("1")
                  .description("fraction of rows sampled per tree"))
          .hyperparameter(
              number("colsample_bytree", "colSampleByTree")
                  .beamName("colsampleByTree")
                  .greaterThan(0)
                  .max(1)
                  .serviceDefault("1")
                  .description("fraction of columns sampled per tree"))
          .hyperparameter(
              number("colsample_bylevel", "colSampleByLevel")
                  .beamName("colsampleByLevel")
                  .greaterThan(0)
                  .max(1)
                  .serviceDefault("1")
                  .description("fraction of columns sampled per level"))
          .hyperparameter(
              number("colsample_bynode", "colSampleByNode")
                  .beamName("colsampleByNode")
                  .greaterThan(0)
                  .max(1)
                  .serviceDefault("1")
                  .description("fraction of columns sampled per split"))
          .hyperparameter(
              number("lambda", "lambda")
                  .min(0)
                  .serviceDefault("1")
                  .description("L2 regularization of the weights"))
          .hyperparameter(
              number("alpha", "alpha")
                  .min(0)
                  .serviceDefault("0")
                  .description("L1 regularization of the weights"))
          .hyperparameter(
              categorical(
                      "tree_method", "treeMethod", "auto", "exact", "approx", "hist", "gpu_hist")
                  .serviceDefault("auto")
                  .description("the tree construction algorithm"))
          .hyperparameter(
              number("sketch_eps", "sketchEps")
                  .greaterThan(0)
                  .lessThan(1)
                  .serviceDefault("0.03")
                  .description(
                      "approximation of the approx tree method (no effect since XGBoost"
                          + " 1.6, which takes max_bin)"))
          .hyperparameter(
              number("scale_pos_weight", "scalePosWeight")
                  .greaterThan(0)
                  .serviceDefault("1")
                  .description("weight of positive examples, for unbalanced classes"))
          .hyperparameter(
              wordList(
                      "updater",
                      "updater",
                      XGBOOST_UPDATER,
                      "tree updaters (" + XGBOOST_UPDATER.replace("|", ", ") + ")")
                  .example("grow_colmaker,prune")
                  .description("the sequence of tree updaters to run"))
          .hyperparameter(
              integer("refresh_leaf", "refreshLeaf")
                  .range(0, 1)
                  .serviceDefault("1")
                  .description("1: the refresh updater updates leaf values as well as node stats"))
          .hyperparameter(
              categorical("process_type", "processType", "default", "update")
                  .serviceDefault("default")
                  .description("build new trees (default) or update existing ones"))
          .hyperparameter(
              categorical("grow_policy", "growPolicy", "depthwise", "lossguide")
                  .serviceDefault("depthwise")
                  .description("how new nodes are added to a tree"))
          .hyperparameter(
              integer("max_leaves", "maxLeaves")
                  .min(0)
                  .serviceDefault("0")
                  .description("maximum number of leaves (lossguide; 0: no limit)"))
          .hyperparameter(
              integer("max_bin", "maxBin")
                  .min(2)
                  .serviceDefault("256")
                  .description("maximum number of bins of a feature (hist, approx)"))
          .hyperparameter(
              categorical("sample_type", "sampleType", "uniform", "weighted")
                  .serviceDefault("uniform")
                  .description("how dart samples the trees to drop"))
          .hyperparameter(
              categorical("normalize_type", "normalizeType", "tree", "forest")
                  .serviceDefault("tree")
                  .description("how dart weighs new trees"))
          .hyperparameter(
              number("rate_drop", "rateDrop")
                  .range(0, 1)
                  .serviceDefault("0")
                  .description("fraction of trees dart drops"))
          .hyperparameter(
              integer("one_drop", "oneDrop")
                  .range(0, 1)
                  .serviceDefault("0")
                  .description("1: dart always drops at least one tree"))
          .hyperparameter(
              number("skip_drop", "skipDrop")
                  .range(0, 1)
                  .serviceDefault("0")
                  .description("probability that dart skips dropping in a round"))
          .hyperparameter(
              number("lambda_bias", "lambdaBias")
                  .range(0, 1)
                  .serviceDefault("0")
                  .description("L2 regularization of the bias (gblinear)"))
          .hyperparameter(
              number("tweedie_variance_power", "tweedieVariancePower")
                  .greaterThan(1)
                  .lessThan(2)
                  .serviceDefault("1.5")
                  .description("variance power of the reg:tweedie objective"))
          .hyperparameter(
              categorical("objective", "objective", XGBOOST_OBJECTIVES.toArray(new String[0]))
                  .serviceDefault("reg:squarederror")
                  .description("the learning objective"))
          .hyperparameter(
              number("base_score", "baseScore")
                  .serviceDefault("0.5")
                  .description("the initial prediction of every row"))
          .hyperparameter(
              wordList(
                      "eval_metric",
                      "evalMetric",
                      XGBOOST_METRIC,
                      "XGBoost metrics (rmse, rmsle, mae, mape, logloss, error, error@t, merror,"
                          + " mlogloss, auc, aucpr, ndcg, ndcg@n, map, map@n, poisson-nloglik,"
                          + " gamma-nloglik, gamma-deviance, tweedie-nloglik, cox-nloglik, ...)")
                  .example("rmse")
                  .description(
                      "metrics evaluated on the train and validation channels (default:"
                          + " the objective's)"))
          .hyperparameter(integer("seed", "seed").serviceDefault("0").description("random seed"))
          .hyperparameter(
              integer("early_stopping_rounds", "earlyStoppingRounds")
                  .min(1)
                  .description(
                      "stop when the validation metric has not improved for this many"
                          + " rounds (needs a validation channel)"))
          .crossRule(
              (algorithm, values) -> {
                String objective = values.getOrDefault("objective", "reg:squarederror");
                if (objective.startsWith("multi:") && !values.containsKey("num_class")) {
                  throw new InvalidHyperparameterException(
                      "num_class",
                      "required by " + objective,
                      "XGBoost hyperparameter num_class is required by objective = "
                          + objective
                          + " but not set: give the number of classes (labels 0 .. num_class - 1)");
                }
              })
          .trainingChannels("train", "validation")
          .trainingContentTypes("text/libsvm", "text/csv", RECORDIO_PROTOBUF)
          .inferenceContentTypes("text/csv", "text/libsvm", RECORDIO_PROTOBUF, "application/json")
          // https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost-tuning.html
          .maximizes(
              "validation:accuracy",
              "validation:auc",
              "validation:f1",
              "validation:map",
              "validation:ndcg")
          .minimizes(
              "validation:error",
              "validation:logloss",
              "validation:mae",
              "validation:merror",
              "validation:mlogloss",
              "validation:mse",
              "validation:rmse")
          .tunable(
              "alpha",
              "colsample_bylevel",
              "colsample_bynode",
              "colsample_bytree",
              "eta",
              "gamma",
              "lambda",
              "max_delta_step",
              "max_depth",
              "min_child_weight",
              "num_round",
              "subsample")
          .responseKeys("score")
          .build();

  /** Linear Learner's tunable metrics of each of its channels that are better when larger. */
  private static final String[] LINEAR_LEARNER_MAXIMIZED =
      linearLearnerMetrics(
          "binary_classification_accuracy",
          "binary_f_beta",
          "dcg",
          "macro_f_beta",
          "macro_precision",
          "macro_recall",
          "multiclass_accuracy",
          "multiclass_top_k_accuracy",
          "precision",
          "recall");

  /** Linear Learner's tunable metrics of each of its channels that are better when smaller. */
  private static final String[] LINEAR_LEARNER_MINIMIZED =
      linearLearnerMetrics("absolute_loss", "mse", "objective_loss", "rmse");

  /** {@code test:<metric>} and {@code validation:<metric>} for each metric. */
  private static String[] linearLearnerMetrics(String... metrics) {
    List<String> names = new java.util.ArrayList<>();
    for (String channel : new String[] {"test", "validation"}) {
      for (String metric : metrics) {
        names.add(channel + ":" + metric);
      }
    }
    return names.toArray(new String[0]);
  }

  /** Linear Learner's predictor types. */
  public static final List<String> LINEAR_LEARNER_PREDICTOR_TYPES =
      List.of("binary_classifier", "multiclass_classifier", "regressor");

  /** The losses Linear Learner accepts for each predictor type; {@code auto} is the first. */
  public static final Map<String, List<String>> LINEAR_LEARNER_LOSSES =
      Map.of(
          "binary_classifier",
          List.of("logistic", "hinge_loss"),
          "multiclass_classifier",
          List.of("softmax_loss"),
          "regressor",
          List.of(
              "squared_loss",
              "absolute_loss",
              "eps_insensitive_squared_loss",
              "eps_insensitive_absolute_loss",
              "quantile_loss",
              "huber_loss"));

  /**
   * SageMaker's Linear Learner ({@code linear-learner:1}): a binary classifier, a multiclass
   * classifier or a regressor, by {@code predictor_type}. The hyperparameters are the original
   * SageMaker Spark library's LinearLearnerSageMakerEstimator family's (Spark Param names as
   * there), with the service's rules. Binary-only and multiclass-only hyperparameters are ignored
   * by the other predictor types, as the service ignores them.
   */
  public static final AlgorithmSpec LINEAR_LEARNER =
      AlgorithmSpec.builder("linear-learner", "Linear Learner")
          .image("linear-learner", "1", RegistryAccounts.FIRST_PARTY)
          .hyperparameter(
              integer("feature_dim", "featureDim")
                  .required()
                  .min(1)
                  .description("number of features of the input"))
          .hyperparameter(
              categorical(
                      "predictor_type",
                      "predictorType",
                      LINEAR_LEARNER_PREDICTOR_TYPES.toArray(new String[0]))
                  .required()
                  .description("what the label is: 0/1, a class number or a real value"))
          .hyperparameter(
              integer("mini_batch_size", "miniBatchSize")
                  .min(1)
                  .serviceDefault("1000")
                  .description("rows per mini-batch"))
          .hyperparameter(
              integer("epochs", "epochs")
                  .min(1)
                  .serviceDefault("15")
                  .description("maximum passes over the training data"))
          .hyperparameter(
              bool("use_bias", "useBias")
                  .serviceDefault("true")
                  .description("whether the model has a bias (intercept) term"))
          .hyperparameter(
              integer("num_models", "numModels")
                  .min(1)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description(
                      "models trained in parallel with close settings; the best on validation"
                          + " data is kept"))
          .hyperparameter(
              integer("num_calibration_samples", "numCalibrationSamples")
                  .min(1)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("validation rows used to choose the binary classifier's threshold"))
          .hyperparameter(
              categorical("init_method", "initMethod", "uniform", "normal")
                  .serviceDefault("uniform")
                  .description("the distribution of the initial weights"))
          .hyperparameter(
              number("init_scale", "initScale")
                  .greaterThan(0)
                  .serviceDefault("0.07")
                  .description("initial weights are uniform in [-init_scale, init_scale]"))
          .hyperparameter(
              number("init_sigma", "initSigma")
                  .greaterThan(0)
                  .serviceDefault("0.01")
                  .description("standard deviation of normal initial weights"))
          .hyperparameter(
              number("init_bias", "initBias")
                  .serviceDefault("0")
                  .description("initial value of the bias"))
          .hyperparameter(
              categorical("optimizer", "optimizer", "auto", "sgd", "adam", "rmsprop")
                  .serviceDefault("auto")
                  .description("the optimization algorithm (auto: adam)"))
          .hyperparameter(
              categorical(
                      "loss",
                      "loss",
                      "auto",
                      "logistic",
                      "squared_loss",
                      "absolute_loss",
                      "hinge_loss",
                      "eps_insensitive_squared_loss",
                      "eps_insensitive_absolute_loss",
                      "quantile_loss",
                      "huber_loss",
                      "softmax_loss")
                  .serviceDefault("auto")
                  .description(
                      "the loss (auto: logistic, softmax_loss or squared_loss by predictor_type)"))
          .hyperparameter(
              number("wd", "wd")
                  .min(0)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("L2 regularization (weight decay); 0 for none"))
          .hyperparameter(
              number("l1", "l1")
                  .min(0)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("L1 regularization; 0 for none"))
          .hyperparameter(
              number("momentum", "momentum")
                  .min(0)
                  .lessThan(1)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("momentum of the sgd optimizer"))
          .hyperparameter(
              number("learning_rate", "learningRate")
                  .greaterThan(0)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("the optimizer's step size (auto: chosen for the optimizer)"))
          .hyperparameter(
              number("beta_1", "beta1")
                  .min(0)
                  .lessThan(1)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("decay of adam's first-moment estimates"))
          .hyperparameter(
              number("beta_2", "beta2")
                  .min(0)
                  .lessThan(1)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("decay of adam's (and rmsprop's) second-moment estimates"))
          .hyperparameter(
              number("bias_lr_mult", "biasLrMult")
                  .greaterThan(0)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("the bias's learning rate as a multiple of learning_rate"))
          .hyperparameter(
              number("bias_wd_mult", "biasWdMult")
                  .min(0)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("the bias's L2 regularization as a multiple of wd (auto: none)"))
          .hyperparameter(
              bool("use_lr_scheduler", "useLrScheduler")
                  .serviceDefault("true")
                  .description("whether the learning rate decays during training"))
          .hyperparameter(
              integer("lr_scheduler_step", "lrSchedulerStep")
                  .min(1)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("mini-batches between two decays of the learning rate"))
          .hyperparameter(
              number("lr_scheduler_factor", "lrSchedulerFactor")
                  .greaterThan(0)
                  .lessThan(1)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("factor applied to the learning rate at each decay"))
          .hyperparameter(
              number("lr_scheduler_minimum_lr", "lrSchedulerMinimumLr")
                  .greaterThan(0)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("the learning rate never decays below this"))
          .hyperparameter(
              bool("normalize_data", "normalizeData")
                  .allowsAuto()
                  .serviceDefault("true")
                  .description("scale every feature to unit standard deviation before training"))
          .hyperparameter(
              bool("normalize_label", "normalizeLabel")
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description(
                      "scale the label to unit standard deviation (auto: for regression only)"))
          .hyperparameter(
              bool("unbias_data", "unbiasData")
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("shift every feature to mean 0 (auto: when use_bias)"))
          .hyperparameter(
              bool("unbias_label", "unbiasLabel")
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("shift the label to mean 0 (auto: for regression when use_bias)"))
          .hyperparameter(
              integer("num_point_for_scaler", "numPointForScaler")
                  .min(1)
                  .serviceDefault("10000")
                  .description("rows used to compute the normalization"))
          .hyperparameter(
              integer("early_stopping_patience", "earlyStoppingPatience")
                  .min(1)
                  .serviceDefault("3")
                  .description("epochs without improvement before training stops"))
          .hyperparameter(
              number("early_stopping_tolerance", "earlyStoppingTolerance")
                  .greaterThan(0)
                  .serviceDefault("0.001")
                  .description("relative improvement of the loss that counts as one"))
          .hyperparameter(
              number("margin", "margin")
                  .greaterThan(0)
                  .serviceDefault("1.0")
                  .description("the margin of hinge_loss"))
          .hyperparameter(
              number("quantile", "quantile")
                  .greaterThan(0)
                  .lessThan(1)
                  .serviceDefault("0.5")
                  .description("the quantile of quantile_loss"))
          .hyperparameter(
              number("loss_insensitivity", "lossInsensitivity")
                  .greaterThan(0)
                  .serviceDefault("0.01")
                  .description("errors below this cost nothing in the eps_insensitive losses"))
          .hyperparameter(
              number("huber_delta", "huberDelta")
                  .greaterThan(0)
                  .serviceDefault("1.0")
                  .description("huber_loss is squared below this error and linear above"))
          .hyperparameter(
              number("f_beta", "fBeta")
                  .greaterThan(0)
                  .serviceDefault("1.0")
                  .description("beta of the F-beta score"))
          .hyperparameter(
              categorical(
                      "binary_classifier_model_selection_criteria",
                      "binaryClassifierModelSelectionCriteria",
                      "accuracy",
                      "f_beta",
                      "precision_at_target_recall",
                      "recall_at_target_precision",
                      "loss_function")
                  .serviceDefault("accuracy")
                  .description(
                      "how the binary classifier's model and threshold are chosen on validation"
                          + " data"))
          .hyperparameter(
              number("target_recall", "targetRecall")
                  .greaterThan(0)
                  .max(1)
                  .serviceDefault("0.8")
                  .description("recall held for precision_at_target_recall"))
          .hyperparameter(
              number("target_precision", "targetPrecision")
                  .greaterThan(0)
                  .max(1)
                  .serviceDefault("0.8")
                  .description("precision held for recall_at_target_precision"))
          .hyperparameter(
              number("positive_example_weight_mult", "positiveExampleWeightMult")
                  .greaterThan(0)
                  .alsoAllows("balanced")
                  .allowsAuto()
                  .serviceDefault("1.0")
                  .description(
                      "weight of positive examples (balanced: as much weight in all positives as"
                          + " in all negatives)"))
          .hyperparameter(
              integer("num_classes", "numClasses")
                  .range(3, 1_000_000)
                  .description(
                      "number of classes, labelled 0 .. num_classes - 1; required by"
                          + " multiclass_classifier"))
          .hyperparameter(
              integer("accuracy_top_k", "accuracyTopK")
                  .min(1)
                  .serviceDefault("3")
                  .description("k of the multiclass top-k accuracy metric"))
          .hyperparameter(
              bool("balance_multiclass_weights", "balanceMulticlassWeights")
                  .serviceDefault("false")
                  .description("weigh the classes so each counts equally in the loss"))
          .crossRule(
              (algorithm, values) -> {
                String type = values.get("predictor_type");
                if (type.equals("multiclass_classifier") && !values.containsKey("num_classes")) {
                  throw new InvalidHyperparameterException(
                      "num_classes",
                      "required by multiclass_classifier",
                      "Linear Learner hyperparameter num_classes is required by predictor_type ="
                          + " multiclass_classifier but not set: give the number of classes"
                          + " (labels 0 .. num_classes - 1, at least 3; for two classes use"
                          + " binary_classifier)");
                }
                String loss = values.getOrDefault("loss", "auto");
                List<String> losses = LINEAR_LEARNER_LOSSES.get(type);
                if (!loss.equals("auto") && !losses.contains(loss)) {
                  throw algorithm.invalid(
                      "loss", loss, "auto or one of " + losses + " with predictor_type = " + type);
                }
              })
          .trainingChannels("train", "validation", "test")
          .trainingContentTypes(RECORDIO_PROTOBUF, "text/csv")
          .inferenceContentTypes(RECORDIO_PROTOBUF, "text/csv", "application/json")
          // https://docs.aws.amazon.com/sagemaker/latest/dg/linear-learner-tuning.html
          .maximizes(LINEAR_LEARNER_MAXIMIZED)
          .minimizes(LINEAR_LEARNER_MINIMIZED)
          .tunable(
              "wd",
              "l1",
              "learning_rate",
              "mini_batch_size",
              "use_bias",
              "positive_example_weight_mult")
          .responseKeys("score", "predicted_label")
          .build();

  /**
   * SageMaker's Factorization Machines ({@code factorization-machines:1}): a binary classifier or a
   * regressor over sparse features with pairwise interactions. The hyperparameters are the original
   * SageMaker Spark library's FactorizationMachinesSageMakerEstimator family's (Spark Param names
   * as there), with the service's rules.
   */
  public static final AlgorithmSpec FACTORIZATION_MACHINES =
      AlgorithmSpec.builder("factorization-machines", "Factorization Machines")
          .image("factorization-machines", "1", RegistryAccounts.FIRST_PARTY)
          .hyperparameter(
              integer("feature_dim", "featureDim")
                  .required()
                  .min(1)
                  .description("number of features of the input"))
          .hyperparameter(
              integer("num_factors", "numFactors")
                  .required()
                  .min(1)
                  .description("dimension of the factorization (the length of each factor)"))
          .hyperparameter(
              categorical("predictor_type", "predictorType", "binary_classifier", "regressor")
                  .required()
                  .description("0/1 labels (binary_classifier) or real values (regressor)"))
          .hyperparameter(
              integer("epochs", "epochs")
                  .min(1)
                  .serviceDefault("1")
                  .description("passes over the training data"))
          .hyperparameter(
              integer("mini_batch_size", "miniBatchSize")
                  .min(1)
                  .serviceDefault("1000")
                  .description("rows per mini-batch"))
          .hyperparameter(
              number("clip_gradient", "clipGradient")
                  .greaterThan(0)
                  .description("each gradient value is clipped to [-clip_gradient, clip_gradient]"))
          .hyperparameter(
              number("eps", "eps")
                  .greaterThan(0)
                  .description("the optimizer's small value against division by 0"))
          .hyperparameter(
              number("rescale_grad", "rescaleGrad")
                  .greaterThan(0)
                  .description("gradients are multiplied by this before the update"))
          .hyperparameter(
              number("bias_lr", "biasLr")
                  .min(0)
                  .serviceDefault("0.1")
                  .description("learning rate of the bias"))
          .hyperparameter(
              number("linear_lr", "linearLr")
                  .min(0)
                  .serviceDefault("0.001")
                  .description("learning rate of the linear terms"))
          .hyperparameter(
              number("factors_lr", "factorsLr")
                  .min(0)
                  .serviceDefault("0.0001")
                  .description("learning rate of the factors"))
          .hyperparameter(
              number("bias_wd", "biasWd")
                  .min(0)
                  .serviceDefault("0.01")
                  .description("weight decay of the bias"))
          .hyperparameter(
              number("linear_wd", "linearWd")
                  .min(0)
                  .serviceDefault("0.001")
                  .description("weight decay of the linear terms"))
          .hyperparameter(
              number("factors_wd", "factorsWd")
                  .min(0)
                  .serviceDefault("0.00001")
                  .description("weight decay of the factors"))
          .hyperparameter(
              categorical("bias_init_method", "biasInitMethod", "normal", "uniform", "constant")
                  .serviceDefault("normal")
                  .description("how the bias term is initialised"))
          .hyperparameter(
              number("bias_init_scale", "biasInitScale")
                  .min(0)
                  .description("half-width of the uniform initialisation of the bias term"))
          .hyperparameter(
              number("bias_init_sigma", "biasInitSigma")
                  .min(0)
                  .serviceDefault("0.01")
                  .description("standard deviation of the normal initialisation of the bias term"))
          .hyperparameter(
              number("bias_init_value", "biasInitValue")
                  .description("value of the constant initialisation of the bias term"))
          .hyperparameter(
              categorical("linear_init_method", "linearInitMethod", "normal", "uniform", "constant")
                  .serviceDefault("normal")
                  .description("how the linear terms are initialised"))
          .hyperparameter(
              number("linear_init_scale", "linearInitScale")
                  .min(0)
                  .description("half-width of the uniform initialisation of the linear terms"))
          .hyperparameter(
              number("linear_init_sigma", "linearInitSigma")
                  .min(0)
                  .serviceDefault("0.01")
                  .description(
                      "standard deviation of the normal initialisation of the linear terms"))
          .hyperparameter(
              number("linear_init_value", "linearInitValue")
                  .description("value of the constant initialisation of the linear terms"))
          .hyperparameter(
              categorical(
                      "factors_init_method", "factorsInitMethod", "normal", "uniform", "constant")
                  .serviceDefault("normal")
                  .description("how the factors terms are initialised"))
          .hyperparameter(
              number("factors_init_scale", "factorsInitScale")
                  .min(0)
                  .description("half-width of the uniform initialisation of the factors terms"))
          .hyperparameter(
              number("factors_init_sigma", "factorsInitSigma")
                  .min(0)
                  .serviceDefault("0.001")
                  .description(
                      "standard deviation of the normal initialisation of the factors terms"))
          .hyperparameter(
              number("factors_init_value", "factorsInitValue")
                  .description("value of the constant initialisation of the factors terms"))
          .trainingChannels("train", "test")
          .trainingContentTypes(RECORDIO_PROTOBUF)
          .inferenceContentTypes(RECORDIO_PROTOBUF, "application/json")
          // https://docs.aws.amazon.com/sagemaker/latest/dg/fm-tuning.html
          .maximizes("test:binary_classification_accuracy", "test:binary_f_beta")
          .minimizes("test:rmse", "test:binary_classification_cross_entropy")
          .tunable(
              "bias_init_scale",
              "bias_init_sigma",
              "bias_init_value",
              "bias_lr",
              "bias_wd",
              "epochs",
              "factors_init_scale",
              "factors_init_sigma",
              "factors_init_value",
              "factors_lr",
              "factors_wd",
              "linear_init_scale",
              "linear_init_sigma",
              "linear_init_value",
              "linear_lr",
              "linear_wd",
              "mini_batch_size")
          .responseKeys("score", "predicted_label")
          .build();

  /**
   * SageMaker's LDA ({@code lda:1}): topics of word-count documents. The hyperparameters are the
   * original SageMaker Spark library's LDASageMakerEstimator's, with the service's rules ({@code
   * mini_batch_size} is required and is the number of documents, as the service documents).
   */
  public static final AlgorithmSpec LDA =
      AlgorithmSpec.builder("lda", "LDA")
          .image("lda", "1", RegistryAccounts.FIRST_PARTY)
          .hyperparameter(
              integer("num_topics", "numTopics").required().min(1).description("number of topics"))
          .hyperparameter(
              integer("feature_dim", "featureDim")
                  .required()
                  .min(1)
                  .description("size of the vocabulary"))
          .hyperparameter(
              integer("mini_batch_size", "miniBatchSize")
                  .required()
                  .min(1)
                  .description("the number of documents in the corpus"))
          .hyperparameter(
              number("alpha0", "alpha0")
                  .greaterThan(0)
                  .serviceDefault("1.0")
                  .description(
                      "sum of the Dirichlet prior of the topic mixtures (small: sparse mixtures)"))
          .hyperparameter(
              integer("max_restarts", "maxRestarts")
                  .min(1)
                  .serviceDefault("10")
                  .description("restarts from different starting points; the best is kept"))
          .hyperparameter(
              integer("max_iterations", "maxIterations")
                  .min(1)
                  .serviceDefault("1000")
                  .description("maximum iterations of the fit"))
          .hyperparameter(
              number("tol", "tol")
                  .greaterThan(0)
                  .serviceDefault("1e-8")
                  .description("relative improvement below which the fit stops"))
          .trainingChannels("train", "test")
          .trainingContentTypes(RECORDIO_PROTOBUF, "text/csv")
          .inferenceContentTypes(RECORDIO_PROTOBUF, "text/csv", "application/json")
          // https://docs.aws.amazon.com/sagemaker/latest/dg/lda-tuning.html
          .maximizes("test:pwll")
          .tunable("alpha0", "num_topics")
          .responseKeys("topic_mixture")
          .build();

  private static final List<AlgorithmSpec> ALL =
      List.of(KMEANS, PCA, XGBOOST, LINEAR_LEARNER, FACTORIZATION_MACHINES, LDA);

  private AlgorithmCatalog() {}

  /** Every algorithm described here. */
  public static List<AlgorithmSpec> all() {
    return ALL;
  }

  /**
   * The algorithm named {@code name} ({@code kmeans}, {@code linear-learner}, ...).
   *
   * @throws IllegalArgumentException naming the algorithms there are
   */
  public static AlgorithmSpec byName(String name) {
    return ALL.stream()
        .filter(a -> a.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no algorithm "
                        + name
                        + " in the catalogue (there are "
                        + ALL.stream().map(AlgorithmSpec::name).toList()
                        + ")"));
  }

  /**
   * The algorithm whose image repository is {@code repository} ({@code kmeans}, {@code pca}, {@code
   * sagemaker-xgboost}).
   */
  public static Optional<AlgorithmSpec> byImageRepository(String repository) {
    return ALL.stream().filter(a -> a.imageRepository().equals(repository)).findFirst();
  }
}
