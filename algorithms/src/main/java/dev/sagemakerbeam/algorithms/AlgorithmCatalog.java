package dev.sagemakerbeam.algorithms;

import static dev.sagemakerbeam.algorithms.HyperparameterSpec.bool;
import static dev.sagemakerbeam.algorithms.HyperparameterSpec.categorical;
import static dev.sagemakerbeam.algorithms.HyperparameterSpec.categoricalList;
import static dev.sagemakerbeam.algorithms.HyperparameterSpec.integer;
import static dev.sagemakerbeam.algorithms.HyperparameterSpec.number;

import java.util.List;
import java.util.Optional;

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
                  .serviceDefault("auto")
                  .description("centers kept during training, as a multiple of k"))
          .hyperparameter(
              integer("local_lloyd_max_iter", "maxIter")
                  .min(1)
                  .serviceDefault("300")
                  .description("iterations of the final local Lloyd's step"))
          .hyperparameter(
              number("local_lloyd_tol", "tol")
                  .range(0, 1)
                  .serviceDefault("0.0001")
                  .description("tolerance of the final local Lloyd's step"))
          .hyperparameter(
              integer("local_lloyd_num_trials", "trialNum")
                  .min(1)
                  .allowsAuto()
                  .serviceDefault("auto")
                  .description("trials of the final local Lloyd's step"))
          .hyperparameter(
              categorical("local_lloyd_init_method", "localInitMethod", "random", "kmeans++")
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
          .responseKeys("projection")
          .build();

  private static final List<AlgorithmSpec> ALL = List.of(KMEANS, PCA);

  private AlgorithmCatalog() {}

  /** Every algorithm described here. */
  public static List<AlgorithmSpec> all() {
    return ALL;
  }

  /** The algorithm whose image repository is {@code repository} ({@code kmeans}, {@code pca}). */
  public static Optional<AlgorithmSpec> byImageRepository(String repository) {
    return ALL.stream().filter(a -> a.imageRepository().equals(repository)).findFirst();
  }
}
