package dev.sagemakerbeam.transforms.training;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.testing.LibSvmData;
import dev.sagemakerbeam.transforms.algorithms.XGBoostHyperparameters;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import dev.sagemakerbeam.transforms.tuning.HyperparameterRange;
import dev.sagemakerbeam.transforms.tuning.HyperparameterRange.Scaling;
import dev.sagemakerbeam.transforms.tuning.TuningJobSpec;
import dev.sagemakerbeam.transforms.tuning.TuningJobSpec.Direction;
import dev.sagemakerbeam.transforms.tuning.TuningJobSpec.Strategy;
import dev.sagemakerbeam.transforms.tuning.TuningResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * SageMakerTune on the Direct runner against SageMaker Local: XGBoost on breast-cancer tuned for
 * validation:auc over eta (log scale) and max_depth; the result's best trial is the trial with the
 * highest objective and its model is the best training job's; ranges and objectives the catalogue
 * refuses fail when the transform is built.
 */
class SageMakerTunePipelineTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";
  static final Map<String, TuningResult> RESULTS = new ConcurrentHashMap<>();

  private static SageMakerClientConfiguration config;
  private static List<LabeledExample> train;
  private static List<LabeledExample> validation;

  @BeforeAll
  static void start() {
    config = LOCAL.config();
    train = examples(LibSvmData.breastCancerTrain());
    validation = examples(LibSvmData.breastCancerTest());
  }

  private static List<LabeledExample> examples(LibSvmData data) {
    List<LabeledExample> out = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      out.add(LabeledExample.of(data.labels()[i], data.rows().get(i)));
    }
    return out;
  }

  private static SageMakerTrain xgboost() {
    return SageMakerTrain.xgboost(
            new XGBoostHyperparameters()
                .objective("binary:logistic")
                .numRound(20)
                .evalMetric("auc"))
        .withClientConfiguration(config)
        .withRole(ROLE)
        .withInstanceType("ml.m5.large")
        .withDeleteStagingData(true)
        .withTimeout(Duration.ofMinutes(2), Duration.ofMillis(100));
  }

  private static TuningJobSpec.Builder tuning() {
    return TuningJobSpec.builder()
        .strategy(Strategy.RANDOM)
        .objective("validation:auc", Direction.MAXIMIZE)
        .range(HyperparameterRange.continuous("eta", 0.01, 0.5, Scaling.LOGARITHMIC))
        .range(HyperparameterRange.integer("max_depth", 1, 6))
        .maxTrainingJobs(5)
        .maxParallelTrainingJobs(2)
        .randomSeed(7);
  }

  static final class Keep extends DoFn<TuningResult, Void> {
    @ProcessElement
    public void process(@Element TuningResult r) {
      RESULTS.put("xgboost", r);
    }
  }

  @Test
  void tunesXGBoostForValidationAucAndOutputsTheBestTrialAndAllTrials() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<LabeledExample> valid = p.apply("Validation", Create.of(validation));
    p.apply("Train", Create.of(train))
        .apply(SageMakerTune.of(xgboost(), tuning().build()).withValidation(valid))
        .apply(ParDo.of(new Keep()));
    p.run().waitUntilFinish();

    TuningResult result = RESULTS.get("xgboost");
    assertThat(result.status(), equalTo("Completed"));
    assertThat(result.trials(), hasSize(5));
    assertThat(
        result.trials().stream().map(TuningResult.Trial::status).toList(),
        everyItem(equalTo("Completed")));
    double best =
        result.trials().stream()
            .mapToDouble(TuningResult.Trial::objectiveValue)
            .max()
            .orElseThrow();
    assertThat(result.bestObjectiveValue(), equalTo(best));
    assertThat(best, greaterThanOrEqualTo(0.95));
    for (TuningResult.Trial t : result.trials()) {
      double eta = Double.parseDouble(t.tunedHyperparameters().get("eta"));
      long depth = Long.parseLong(t.tunedHyperparameters().get("max_depth"));
      assertThat(eta, greaterThanOrEqualTo(0.01));
      assertThat(eta, lessThanOrEqualTo(0.5));
      assertThat(depth, greaterThanOrEqualTo(1L));
      assertThat(depth, lessThanOrEqualTo(6L));
      assertThat(t.trainingJobName(), containsString(result.tuningJobName()));
    }
    // the best model is the best trial's training job, with its artifact
    TuningResult.Trial winner =
        result.trials().stream().filter(t -> t.objectiveValue() == best).findFirst().orElseThrow();
    assertThat(result.bestModel().trainingJobName(), equalTo(winner.trainingJobName()));
    assertThat(result.bestHyperparameters(), equalTo(winner.tunedHyperparameters()));
    assertThat(result.bestModel().finalMetrics().get("validation:auc"), equalTo(best));
    try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
      assertThat(
          client
              .describeTrainingJob(r -> r.trainingJobName(winner.trainingJobName()))
              .modelArtifacts()
              .s3ModelArtifacts(),
          equalTo(result.bestModel().modelArtifactUri()));
    }
    assertThat(result.tuningJobName().length(), lessThanOrEqualTo(32));
  }

  @Test
  void aTrainingChannelNamedValidationIsRefusedWhenTheValidationIsGiven() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<LabeledExample> valid = p.apply("Validation", Create.of(validation));
    SageMakerTune tune =
        SageMakerTune.of(xgboost().withChannelName("validation"), tuning().build());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tune.withValidation(valid));
    assertThat(e.getMessage(), containsString("name the training channel otherwise"));
  }

  @Test
  void whatTheCatalogueRefusesFailsWhenTheTransformIsBuilt() {
    IllegalArgumentException metric =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SageMakerTune.of(
                    xgboost(), tuning().objective("train:auc", Direction.MAXIMIZE).build()));
    assertThat(metric.getMessage(), containsString("validation:auc"));
    IllegalArgumentException bounds =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SageMakerTune.of(
                    xgboost(),
                    TuningJobSpec.builder()
                        .objective("validation:auc", Direction.MAXIMIZE)
                        .range(HyperparameterRange.continuous("eta", 0.1, 2.0))
                        .build()));
    assertThat(bounds.getMessage(), containsString("eta"));
    IllegalArgumentException direction =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SageMakerTune.of(
                    xgboost(), tuning().objective("validation:auc", Direction.MINIMIZE).build()));
    assertThat(direction.getMessage(), containsString("Maximize"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> HyperparameterRange.continuous("eta", 0, 0.5, Scaling.LOGARITHMIC))
            .getMessage(),
        containsString("min > 0"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> tuning().maxTrainingJobs(2).maxParallelTrainingJobs(3).build())
            .getMessage(),
        containsString("maxParallelTrainingJobs"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> tuning().strategy(Strategy.GRID).build())
            .getMessage(),
        containsString("categorical values only"));
  }
}
