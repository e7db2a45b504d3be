package dev.sagemakerbeam.algorithms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

/** The tuning objectives and tunable hyperparameters of the catalogue, as SageMaker lists them. */
class TuningMetricsTest {
  @Test
  void objectivesCarryTheirDirection() {
    assertThat(
        AlgorithmCatalog.XGBOOST.tuningMetric("validation:auc").orElseThrow().type(),
        is("Maximize"));
    assertThat(
        AlgorithmCatalog.XGBOOST.tuningMetric("validation:rmse").orElseThrow().type(),
        is("Minimize"));
    assertThat(AlgorithmCatalog.XGBOOST.tuningMetric("train:auc").isPresent(), is(false));
    assertThat(
        AlgorithmCatalog.KMEANS.tuningMetrics(),
        contains(new TuningMetric("test:msd", false), new TuningMetric("test:ssd", false)));
    assertThat(
        AlgorithmCatalog.LINEAR_LEARNER
            .tuningMetric("validation:binary_classification_accuracy")
            .orElseThrow()
            .maximize(),
        is(true));
    assertThat(
        AlgorithmCatalog.LINEAR_LEARNER
            .tuningMetric("test:objective_loss")
            .orElseThrow()
            .maximize(),
        is(false));
    assertThat(AlgorithmCatalog.LDA.tuningMetric("test:pwll").orElseThrow().maximize(), is(true));
    assertThat(AlgorithmCatalog.PCA.tuningMetrics().isEmpty(), is(true));
  }

  @Test
  void tunableHyperparametersAreDescribedOnes() {
    assertThat(AlgorithmCatalog.XGBOOST.tunableHyperparameters(), hasItems("eta", "max_depth"));
    assertThat(AlgorithmCatalog.XGBOOST.tunableHyperparameters(), not(hasItems("objective")));
    assertThat(AlgorithmCatalog.KMEANS.tunableHyperparameters(), not(hasItems("k")));
    for (AlgorithmSpec spec : AlgorithmCatalog.all()) {
      for (String name : spec.tunableHyperparameters()) {
        assertThat(spec + " " + name, spec.hyperparameter(name).isPresent(), is(true));
      }
    }
  }
}
