package dev.sagemakerbeam.algorithms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlgorithmCatalogRulesTest {
  @Test
  void rulesReadAsTheyAreDocumented() {
    assertThat(
        AlgorithmCatalog.KMEANS.hyperparameters().get("k").rule(), is("an integer of at least 2"));
    assertThat(
        AlgorithmCatalog.KMEANS.hyperparameters().get("feature_dim").rule(),
        is("a positive integer"));
    assertThat(
        AlgorithmCatalog.KMEANS.hyperparameters().get("half_life_time_size").rule(),
        is("a non-negative integer"));
    assertThat(
        AlgorithmCatalog.KMEANS.hyperparameters().get("local_lloyd_tol").rule(),
        is("a number in [0, 1]"));
    assertThat(
        AlgorithmCatalog.KMEANS.hyperparameters().get("extra_center_factor").rule(),
        is("a positive integer or auto"));
    assertThat(
        AlgorithmCatalog.KMEANS.hyperparameters().get("init_method").rule(),
        is("one of [random, kmeans++]"));
    assertThat(
        AlgorithmCatalog.PCA.hyperparameters().get("extra_components").rule(),
        is("an integer of at least -1"));
  }

  @Test
  void xgboostHasExclusiveBoundsWordListsAndTheMultiClassRule() {
    Map<String, HyperparameterSpec> h = AlgorithmCatalog.XGBOOST.hyperparameters();
    assertThat(h.get("subsample").rule(), is("a number in (0, 1]"));
    assertThat(h.get("tweedie_variance_power").rule(), is("a number in (1, 2)"));
    assertThat(h.get("scale_pos_weight").rule(), is("a number greater than 0"));
    assertThrows(
        InvalidHyperparameterException.class, () -> h.get("subsample").check("XGBoost", "0"));
    assertThat(h.get("subsample").check("XGBoost", "1"), is("1"));
    assertThrows(
        InvalidHyperparameterException.class,
        () -> h.get("tweedie_variance_power").check("XGBoost", "2"));
    HyperparameterSpec metric = h.get("eval_metric");
    assertThat(metric.check("XGBoost", "auc, error@0.7,ndcg@3-"), is("auc,error@0.7,ndcg@3-"));
    InvalidHyperparameterException e =
        assertThrows(
            InvalidHyperparameterException.class, () -> metric.check("XGBoost", "auc,bogus"));
    assertThat(
        e.getMessage().startsWith("XGBoost hyperparameter eval_metric = auc,bogus is invalid"),
        is(true));
    assertThat(
        AlgorithmCatalog.XGBOOST.imageUri("us-east-1", "1.7-1"),
        is("683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"));

    Map<String, String> softmax = new LinkedHashMap<>();
    softmax.put("num_round", "10");
    softmax.put("objective", "multi:softmax");
    InvalidHyperparameterException missing =
        assertThrows(
            InvalidHyperparameterException.class,
            () -> AlgorithmCatalog.XGBOOST.validate(softmax, true));
    assertThat(missing.hyperparameter(), is("num_class"));
    softmax.put("num_class", "10");
    assertThat(AlgorithmCatalog.XGBOOST.validate(softmax, true).get("num_class"), is("10"));
  }

  @Test
  void checkNormalisesWhatSageMakerTakesAndNamesWhatItRefuses() {
    HyperparameterSpec k = AlgorithmCatalog.KMEANS.hyperparameters().get("k");
    assertThat(k.check("K-Means", " 10 "), is("10"));
    InvalidHyperparameterException e =
        assertThrows(InvalidHyperparameterException.class, () -> k.check("K-Means", "1"));
    assertThat(
        e.getMessage(),
        is("K-Means hyperparameter k = 1 is invalid: it must be an integer of at least 2"));
    assertThat(e.hyperparameter(), is("k"));
    assertThrows(InvalidHyperparameterException.class, () -> k.check("K-Means", "3000000000"));
    HyperparameterSpec trials =
        AlgorithmCatalog.KMEANS.hyperparameters().get("local_lloyd_num_trials");
    assertThat(trials.check("K-Means", "AUTO"), is("auto"));
    HyperparameterSpec metrics = AlgorithmCatalog.KMEANS.hyperparameters().get("eval_metrics");
    assertThat(metrics.check("K-Means", "[\\\"msd\\\",\\\"ssd\\\"]"), is("[\"msd\", \"ssd\"]"));
    assertThrows(InvalidHyperparameterException.class, () -> metrics.check("K-Means", "[]"));
    assertThat(
        AlgorithmCatalog.PCA.hyperparameters().get("algorithm_mode").check("PCA", "RANDOMIZED"),
        is("randomized"));
    assertThrows(
        InvalidHyperparameterException.class,
        () ->
            AlgorithmCatalog.KMEANS
                .hyperparameters()
                .get("local_lloyd_tol")
                .check("K-Means", "NaN"));
  }

  @Test
  void validateChecksRequiredCrossRulesAndUnknownNames() {
    Map<String, String> pca =
        new LinkedHashMap<>(
            Map.of("feature_dim", "5", "mini_batch_size", "10", "num_components", "6"));
    InvalidHyperparameterException e =
        assertThrows(
            InvalidHyperparameterException.class, () -> AlgorithmCatalog.PCA.validate(pca, true));
    assertThat(
        e.getMessage(),
        is("PCA hyperparameter num_components = 6 is invalid: it must be at most feature_dim (5)"));
    pca.put("num_components", "5");
    pca.put("learning_rate", "0.1");
    assertThat(AlgorithmCatalog.PCA.validate(pca, false).get("learning_rate"), is("0.1"));
    e =
        assertThrows(
            InvalidHyperparameterException.class, () -> AlgorithmCatalog.PCA.validate(pca, true));
    assertThat(
        e.getMessage()
            .startsWith("PCA hyperparameter learning_rate = 0.1 is not a PCA hyperparameter"),
        is(true));
    pca.remove("learning_rate");
    pca.put("_tuning_objective_metric", "test:msd");
    AlgorithmCatalog.PCA.validate(pca, true);
    e =
        assertThrows(
            InvalidHyperparameterException.class,
            () -> AlgorithmCatalog.KMEANS.validate(Map.of("feature_dim", "2"), true));
    assertThat(
        e.getMessage(),
        is(
            "K-Means hyperparameter k is required but not set: give an integer of at least 2;"
                + " required: [feature_dim, k]"));
  }

  @Test
  void everyDefaultAndExampleObeysItsOwnRule() {
    for (AlgorithmSpec spec : AlgorithmCatalog.all()) {
      for (HyperparameterSpec h : spec.hyperparameters().values()) {
        h.check(spec.displayName(), h.exampleValid());
        assertThrows(
            InvalidHyperparameterException.class,
            () -> h.check(spec.displayName(), h.exampleInvalid()),
            spec.name() + " " + h.name());
        if (h.serviceDefault() != null) {
          h.check(spec.displayName(), h.serviceDefault());
        }
      }
      assertThat(spec.sparkNamesAreUnique(), is(true));
    }
  }

  @Test
  void imagesByRegionAndPartition() {
    assertThat(
        AlgorithmCatalog.KMEANS.imageUri("us-east-1", "1"),
        is("382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1"));
    assertThat(
        AlgorithmCatalog.PCA.imageUri("cn-north-1", "1"),
        is("390948362332.dkr.ecr.cn-north-1.amazonaws.com.cn/pca:1"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AlgorithmCatalog.KMEANS.imageUri("xx-nowhere-1", "1"));
    assertThat(e.getMessage().contains("withAccount(\"xx-nowhere-1\""), is(true));
    assertThat(AlgorithmCatalog.byImageRepository("pca").orElseThrow(), is(AlgorithmCatalog.PCA));
    assertThat(HyperparameterSpec.formatList(List.of("msd")), is("[\"msd\"]"));
  }
}
