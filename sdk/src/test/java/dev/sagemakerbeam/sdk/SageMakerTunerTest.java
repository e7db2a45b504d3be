package dev.sagemakerbeam.sdk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.sdk.algorithms.XGBoostSageMakerEstimator;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import dev.sagemakerbeam.transforms.tuning.HyperparameterRange.Scaling;
import dev.sagemakerbeam.transforms.tuning.TuningJobSpec.Direction;
import dev.sagemakerbeam.transforms.tuning.TuningJobSpec.Strategy;
import dev.sagemakerbeam.transforms.tuning.TuningResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.EndpointSummary;

/**
 * SageMakerTuner against SageMaker Local: XGBoost on breast-cancer tuned (Bayesian) over its own
 * eta and max_depth Params for validation:auc; the model is the best trial's, scores well through
 * batch transform and leaves no endpoint; ranges and objectives the catalogue refuses fail naming
 * the rule.
 */
class SageMakerTunerTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";
  private static SageMakerClientConfiguration config;
  private static SageMakerClient sageMaker;
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void start() {
    config = LOCAL.config();
    sageMaker = SageMakerClients.sageMaker(config);
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("SageMakerTunerTest")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    train = libsvm("breast-cancer-train.libsvm").cache();
    test = libsvm("breast-cancer-test.libsvm").cache();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    sageMaker.close();
  }

  private static Dataset<Row> libsvm(String file) {
    return spark
        .read()
        .format("libsvm")
        .option("numFeatures", "30")
        .load(Path.of("..", "data", "breast-cancer", file).toString());
  }

  private static XGBoostSageMakerEstimator xgboost() {
    return new XGBoostSageMakerEstimator(
            SageMakerEstimatorOptions.builder()
                .clientConfiguration(config)
                .roleArn(ROLE)
                .pollInterval(Duration.ofMillis(100))
                .trainingTimeout(Duration.ofMinutes(2))
                .batchTransformTimeout(Duration.ofMinutes(2))
                .useBatchTransform(true)
                .build())
        .setObjective("binary:logistic")
        .setNumRound(20)
        .setEvalMetric("auc");
  }

  private static Set<String> endpoints() {
    return sageMaker.listEndpoints(r -> r.maxResults(100)).endpoints().stream()
        .map(EndpointSummary::endpointName)
        .collect(Collectors.toSet());
  }

  @Test
  void bayesianTuningOfXGBoostReturnsTheBestTrialsModelAndEveryTrial() {
    XGBoostSageMakerEstimator xgb = xgboost();
    Set<String> before = endpoints();
    SageMakerModel best =
        new SageMakerTuner(xgb)
            .addRange(xgb.eta(), 0.01, 0.5, Scaling.LOGARITHMIC)
            .addRange(xgb.maxDepth(), 1, 6)
            .setObjective("validation:auc", Direction.MAXIMIZE)
            .setStrategy(Strategy.BAYESIAN)
            .setMaxTrainingJobs(6)
            .setMaxParallelTrainingJobs(2)
            .setRandomSeed(3)
            .fitWithValidation(train, test);
    TuningResult result = best.tuningResult();
    assertThat(result.trials(), hasSize(6));
    double top =
        result.trials().stream()
            .mapToDouble(TuningResult.Trial::objectiveValue)
            .max()
            .orElseThrow();
    assertThat(result.bestObjectiveValue(), equalTo(top));
    assertThat(best.getTrainingJobName(), equalTo(result.bestModel().trainingJobName()));
    assertThat(best.trainingMetrics().get("validation:auc"), equalTo(top));
    // the static hyperparameters are the estimator's Params, the same in every trial
    String bestJob = best.getTrainingJobName();
    var hp = sageMaker.describeTrainingJob(r -> r.trainingJobName(bestJob)).hyperParameters();
    assertThat(hp.get("num_round"), equalTo("20"));
    assertThat(hp.get("eta"), equalTo(result.bestHyperparameters().get("eta")));

    // scored by batch transform: no endpoint then or now
    assertThat(best.getEndpointName(), nullValue());
    List<Row> scored = best.transform(test).select("label", "prediction").collectAsList();
    long right =
        scored.stream().filter(r -> (r.getDouble(1) > 0.5 ? 1.0 : 0.0) == r.getDouble(0)).count();
    assertThat((double) right / scored.size(), greaterThanOrEqualTo(0.93));
    assertThat(endpoints(), equalTo(before));
  }

  @Test
  void rangesAndObjectivesAreCheckedAgainstTheCatalogue() {
    XGBoostSageMakerEstimator xgb = xgboost();
    SageMakerTuner tuner = new SageMakerTuner(xgb);
    IllegalArgumentException bounds =
        assertThrows(IllegalArgumentException.class, () -> tuner.addRange(xgb.eta(), 0.1, 3.0));
    assertThat(bounds.getMessage(), containsString("eta"));
    XGBoostSageMakerEstimator other = xgboost();
    IllegalArgumentException foreign =
        assertThrows(IllegalArgumentException.class, () -> tuner.addRange(other.maxDepth(), 1, 4));
    assertThat(foreign.getMessage(), containsString("not to the tuned estimator"));
    tuner.addRange(xgb.maxDepth(), 1, 4);
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> tuner.addRange(xgb.maxDepth(), 2, 5));
    assertThat(twice.getMessage(), containsString("max_depth"));
    IllegalArgumentException noObjective =
        assertThrows(IllegalArgumentException.class, tuner::tuningJobSpec);
    assertThat(noObjective.getMessage(), containsString("setObjective"));
    tuner.setObjective("train:auc", Direction.MAXIMIZE);
    IllegalArgumentException notEmitted =
        assertThrows(IllegalArgumentException.class, () -> tuner.fit(train));
    assertThat(notEmitted.getMessage(), containsString("validation:auc"));

    KMeansSageMakerEstimator kmeans = new KMeansSageMakerEstimator(xgb.getOptions());
    SageMakerTuner kmeansTuner = new SageMakerTuner(kmeans);
    IllegalArgumentException notTunable =
        assertThrows(
            IllegalArgumentException.class, () -> kmeansTuner.addRange(kmeans.featureDim(), 2, 4));
    assertThat(notTunable.getMessage(), containsString("not tunable"));
    assertThat(kmeansTuner.getEstimator(), is(kmeans));
  }

  @Test
  void aTunerInAPipelineIsSavedLoadedAndTunesOnASplitOfItsOneDataset(@TempDir Path dir)
      throws Exception {
    XGBoostSageMakerEstimator xgb = xgboost();
    xgb.setOptions(
        xgb.getOptions().toBuilder().validationIndicatorColumnName("isValidation").build());
    Dataset<Row> both =
        train
            .withColumn("isValidation", org.apache.spark.sql.functions.lit(false))
            .union(test.withColumn("isValidation", org.apache.spark.sql.functions.lit(true)));
    SageMakerTuner tuner =
        new SageMakerTuner(xgb)
            .addRange(xgb.eta(), 0.05, 0.5, Scaling.LOGARITHMIC)
            .addRange(xgb.maxDepth(), 2, 4)
            .setObjective("validation:auc", Direction.MAXIMIZE)
            .setStrategy(Strategy.RANDOM)
            .setMaxTrainingJobs(2)
            .setMaxParallelTrainingJobs(2)
            .setRandomSeed(7)
            .setTimeout(Duration.ofMinutes(3));
    String pipelinePath = dir.resolve("pipeline").toString();
    new Pipeline().setStages(new PipelineStage[] {tuner}).write().overwrite().save(pipelinePath);

    Pipeline loaded = Pipeline.load(pipelinePath);
    SageMakerTuner back = (SageMakerTuner) loaded.getStages()[0];
    assertThat(back.uid(), equalTo(tuner.uid()));
    assertThat(back.getRanges(), equalTo(tuner.getRanges()));
    assertThat(back.getObjectiveMetric(), equalTo("validation:auc"));
    assertThat(back.getObjectiveDirection(), equalTo(Direction.MAXIMIZE));
    assertThat(back.getStrategy(), equalTo(Strategy.RANDOM));
    assertThat(back.getMaxTrainingJobs(), equalTo(2));
    assertThat(back.getMaxParallelTrainingJobs(), equalTo(2));
    assertThat(back.getRandomSeed(), equalTo(7));
    assertThat(back.getTimeout(), equalTo(Duration.ofMinutes(3)));
    XGBoostSageMakerEstimator backXgb = (XGBoostSageMakerEstimator) back.getEstimator();
    assertThat(backXgb.uid(), equalTo(xgb.uid()));
    assertThat(backXgb.getNumRound(), equalTo(20));
    assertThat(backXgb.getObjective(), equalTo("binary:logistic"));
    assertThat(backXgb.getOptions().validationIndicatorColumnName(), equalTo("isValidation"));

    // static keys are never saved: the loaded estimator takes the default credential chain, here
    // the system properties a user would set (or a profile, or an instance role)
    assertThat(
        backXgb.getOptions().clientConfiguration().credentials().kind().name(),
        equalTo("DEFAULT_CHAIN"));
    // the loaded Pipeline tunes: its one Dataset split by the indicator into train and validation
    PipelineModel fitted;
    System.setProperty("aws.accessKeyId", LOCAL.local().credentials().accessKeyId());
    System.setProperty("aws.secretAccessKey", LOCAL.local().credentials().secretAccessKey());
    try {
      fitted = loaded.fit(both);
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
    SageMakerModel best = (SageMakerModel) fitted.stages()[0];
    TuningResult result = best.tuningResult();
    assertThat(result.trials(), hasSize(2));
    String bestJob = best.getTrainingJobName();
    List<String> channels =
        sageMaker.describeTrainingJob(r -> r.trainingJobName(bestJob)).inputDataConfig().stream()
            .map(c -> c.channelName())
            .toList();
    assertThat(channels, equalTo(List.of("train", "validation")));

    // and the fitted PipelineModel keeps the tuning result through save and load
    String modelPath = dir.resolve("model").toString();
    fitted.write().overwrite().save(modelPath);
    SageMakerModel again = (SageMakerModel) PipelineModel.load(modelPath).stages()[0];
    assertThat(again.tuningResult(), equalTo(result));
    assertThat(again.getTrainingJobName(), equalTo(bestJob));
  }

  @Test
  void aValidationObjectiveWithoutValidationDataFailsNamingTheFix() {
    XGBoostSageMakerEstimator xgb = xgboost();
    SageMakerTuner tuner =
        new SageMakerTuner(xgb)
            .addRange(xgb.maxDepth(), 2, 4)
            .setObjective("validation:auc", Direction.MAXIMIZE);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tuner.fit(train));
    assertThat(e.getMessage(), containsString("validation channel"));
    assertThat(e.getMessage(), containsString("validationIndicatorColumnName"));
  }
}
