package dev.sagemakerbeam.local.algorithm.builtin;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a K-Means or PCA hyperparameter can be wrong fails with a reason naming it. */
class HyperparameterValidationTest {
  private static final Map<String, String> KMEANS = Map.of("k", "10", "feature_dim", "784");
  private static final Map<String, String> PCA =
      Map.of("num_components", "5", "feature_dim", "784", "mini_batch_size", "100");
  private static final String MISSING = "\u0000missing";

  static Stream<Arguments> badKMeans() {
    return Stream.of(
        bad("k", MISSING, "hyperparameter k is required", "an integer of at least 2"),
        bad("feature_dim", MISSING, "hyperparameter feature_dim is required", "positive integer"),
        bad("k", "0", "k = 0", "must be an integer of at least 2"),
        bad("k", "-3", "k = -3", "must be an integer of at least 2"),
        bad("k", "ten", "k = ten", "must be an integer of at least 2"),
        bad("k", "1", "k = 1", "must be an integer of at least 2"),
        bad("k", "2.5", "k = 2.5", "must be an integer of at least 2"),
        bad("feature_dim", "x", "feature_dim = x", "must be a positive integer"),
        bad("mini_batch_size", "0", "mini_batch_size = 0", "must be a positive integer"),
        bad("init_method", "furthest", "init_method = furthest", "one of [random, kmeans++]"),
        bad("epochs", "0", "epochs = 0", "must be a positive integer"),
        bad("extra_center_factor", "0", "extra_center_factor = 0", "positive integer or auto"),
        bad(
            "extra_center_factor",
            "many",
            "extra_center_factor = many",
            "positive integer or auto"),
        bad("local_lloyd_max_iter", "0", "local_lloyd_max_iter = 0", "positive integer"),
        bad("local_lloyd_tol", "1.5", "local_lloyd_tol = 1.5", "a number in [0, 1]"),
        bad("local_lloyd_tol", "-0.1", "local_lloyd_tol = -0.1", "a number in [0, 1]"),
        bad("local_lloyd_tol", "small", "local_lloyd_tol = small", "a number in [0, 1]"),
        bad(
            "local_lloyd_num_trials",
            "0",
            "local_lloyd_num_trials = 0",
            "positive integer or auto"),
        bad(
            "local_lloyd_init_method",
            "x",
            "local_lloyd_init_method = x",
            "one of [random, kmeans++]"),
        bad("half_life_time_size", "-1", "half_life_time_size = -1", "non-negative integer"),
        bad(
            "eval_metrics",
            "msd",
            "eval_metrics = msd",
            "a JSON list of one or more of [msd, ssd]"),
        bad("eval_metrics", "[\"mae\"]", "eval_metrics = [\"mae\"]", "one or more of [msd, ssd]"),
        bad("force_dense", "maybe", "force_dense = maybe", "must be true or false"),
        bad(
            "learning_rate",
            "0.1",
            "learning_rate = 0.1 is not a K-Means hyperparameter",
            "Known: epochs, eval_metrics"));
  }

  static Stream<Arguments> badPca() {
    return Stream.of(
        bad(
            "num_components",
            MISSING,
            "hyperparameter num_components is required",
            "positive integer"),
        bad("feature_dim", MISSING, "hyperparameter feature_dim is required", "positive integer"),
        bad(
            "mini_batch_size",
            MISSING,
            "hyperparameter mini_batch_size is required",
            "positive integer"),
        bad("num_components", "0", "num_components = 0", "must be a positive integer"),
        bad("num_components", "785", "num_components = 785", "at most feature_dim (784)"),
        bad("mini_batch_size", "-5", "mini_batch_size = -5", "must be a positive integer"),
        bad("algorithm_mode", "fast", "algorithm_mode = fast", "one of [regular, randomized]"),
        bad("subtract_mean", "yes", "subtract_mean = yes", "must be true or false"),
        bad("extra_components", "-2", "extra_components = -2", "an integer of at least -1"),
        bad("extra_components", "lots", "extra_components = lots", "an integer of at least -1"),
        bad("k", "10", "k = 10 is not a PCA hyperparameter", "Known: algorithm_mode"));
  }

  @ParameterizedTest(name = "K-Means {0}={1}")
  @MethodSource("badKMeans")
  void kmeansRejects(String name, String value, String names, String rule) {
    assertRejected(BuiltInAlgorithms.all().get("kmeans"), KMEANS, name, value, names, rule);
  }

  @ParameterizedTest(name = "PCA {0}={1}")
  @MethodSource("badPca")
  void pcaRejects(String name, String value, String names, String rule) {
    assertRejected(BuiltInAlgorithms.all().get("pca"), PCA, name, value, names, rule);
  }

  @Test
  void acceptsEveryDocumentedKMeansHyperparameterInSageMakerSpelling() throws Exception {
    Map<String, String> hp = new HashMap<>(KMEANS);
    hp.put("mini_batch_size", "100");
    hp.put("init_method", "kmeans++");
    hp.put("epochs", "2");
    hp.put("extra_center_factor", "auto");
    hp.put("local_lloyd_max_iter", "50");
    hp.put("local_lloyd_tol", "0");
    hp.put("local_lloyd_num_trials", "AUTO");
    hp.put("local_lloyd_init_method", "random");
    hp.put("half_life_time_size", "0");
    hp.put("eval_metrics", "[\\\"msd\\\", \\\"ssd\\\"]"); // as the SageMaker docs print it
    hp.put("force_dense", "True"); // the SageMaker Python SDK sets it
    hp.put("_tuning_objective_metric", "test:msd");
    BuiltInAlgorithms.all().get("kmeans").validateHyperparameters(hp);
    KMeansConfig config = KMeansConfig.parse(hp);
    assertThat(config.evalMetrics(), is(List.of("msd", "ssd")));
    assertThat(config.centersDuringTraining(), is(100));
    assertThat(config.lloydTrials(100), is(10));
  }

  @Test
  void appliesSageMakerDefaults() throws Exception {
    KMeansConfig k = KMeansConfig.parse(KMEANS);
    assertThat(k.miniBatchSize(), is(5000));
    assertThat(k.initMethod(), is("random"));
    assertThat(k.epochs(), is(1));
    assertThat(k.localLloydMaxIter(), is(300));
    assertThat(k.localLloydTol(), is(0.0001));
    assertThat(k.localLloydInitMethod(), is("kmeans++"));
    assertThat(k.halfLifeTimeSize(), is(0));
    assertThat(k.evalMetrics(), is(List.of("msd")));
    PcaConfig p = PcaConfig.parse(PCA);
    assertThat(p.randomized(), is(false));
    assertThat(p.subtractMean(), is(true));
    assertThat("extra_components -1 means max(10, num_components)", p.sketchSize(), is(15));
    Map<String, String> more = new HashMap<>(PCA);
    more.put("num_components", "50");
    more.put("algorithm_mode", "RANDOMIZED");
    more.put("extra_components", "0");
    p = PcaConfig.parse(more);
    assertThat(p.randomized(), is(true));
    assertThat(p.sketchSize(), is(50));
  }

  private static Arguments bad(String name, String value, String names, String rule) {
    return Arguments.of(name, value, names, rule);
  }

  private static void assertRejected(
      Algorithm algorithm,
      Map<String, String> valid,
      String name,
      String value,
      String names,
      String rule) {
    Map<String, String> hp = new HashMap<>(valid);
    if (MISSING.equals(value)) {
      hp.remove(name);
    } else {
      hp.put(name, value);
    }
    AlgorithmException e =
        assertThrows(AlgorithmException.class, () -> algorithm.validateHyperparameters(hp));
    assertThat(e.getMessage(), containsString(names));
    assertThat(e.getMessage(), containsString(rule));
  }
}
