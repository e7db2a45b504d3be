package dev.sagemakerbeam.sdk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.sdk.algorithms.XGBoostSageMakerEstimator;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * XGBoostSageMakerEstimator against SageMaker Local's real XGBoost: breast-cancer (binary:logistic,
 * with a validation channel) and MNIST (multi:softmax, 10 classes) trained, hosted and scored,
 * accuracy beside xgboost4j's figures on the same files; scoring without a label column;
 * multi:softprob as a Vector column; bad input.
 */
class XGBoostSageMakerEstimatorTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";

  private static SageMakerClientConfiguration config;
  private static SageMakerClient sageMaker;
  private static SparkSession spark;
  private static Dataset<Row> cancerTrain;
  private static Dataset<Row> cancerTest;

  @BeforeAll
  static void start() {
    config = LOCAL.config();
    sageMaker = SageMakerClients.sageMaker(config);
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("XGBoostSageMakerEstimatorTest")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    cancerTrain = libsvm("breast-cancer", "breast-cancer-train.libsvm", 30).cache();
    cancerTest = libsvm("breast-cancer", "breast-cancer-test.libsvm", 30).cache();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    sageMaker.close();
  }

  private static Dataset<Row> libsvm(String dataSet, String file, int features) {
    return spark
        .read()
        .format("libsvm")
        .option("numFeatures", Integer.toString(features))
        .load(Path.of("..", "data", dataSet, file).toString());
  }

  private static XGBoostSageMakerEstimator estimator() {
    return new XGBoostSageMakerEstimator(
        SageMakerEstimatorOptions.builder()
            .clientConfiguration(config)
            .roleArn(ROLE)
            .pollInterval(Duration.ofMillis(100))
            .trainingTimeout(Duration.ofMinutes(5))
            .endpointTimeout(Duration.ofMinutes(2))
            .build());
  }

  private static double accuracy(Dataset<Row> scored, double threshold) {
    List<Row> rows = scored.select("label", "prediction").collectAsList();
    long right =
        rows.stream()
            .filter(
                r ->
                    (threshold > 0 ? (r.getDouble(1) > threshold ? 1.0 : 0.0) : r.getDouble(1))
                        == r.getDouble(0))
            .count();
    return (double) right / rows.size();
  }

  private static void cleanUp(SageMakerModel model) {
    new SageMakerResourceCleanup(sageMaker).deleteResources(model.getCreatedResources());
  }

  @Test
  void breastCancerWithValidationScoresWithoutALabelColumn() {
    SageMakerModel model =
        estimator()
            .setObjective("binary:logistic")
            .setNumRound(100)
            .setMaxDepth(4)
            .setEta(0.1)
            .setTreeMethod("hist")
            .setEvalMetric("error,auc")
            .fitWithValidation(cancerTrain, cancerTest);
    try {
      assertThat(model.trainingMetrics().keySet(), hasItem("validation:auc"));
      assertThat(model.trainingMetrics().keySet(), hasItem("train:error"));
      assertThat(model.trainingMetrics().get("validation:auc"), greaterThanOrEqualTo(0.97));

      Dataset<Row> scored = model.transform(cancerTest);
      assertThat(scored.schema().apply("prediction").dataType(), equalTo(DataTypes.DoubleType));
      double accuracy = accuracy(scored, 0.5);
      // xgboost4j on these files with these hyperparameters: 0.980 (data/breast-cancer/README.md)
      assertThat(accuracy, closeTo(0.980, 0.01 + 1e-9));
      // 1 - validation:error is the same accuracy, computed by XGBoost inside the job
      assertThat(accuracy, closeTo(1 - model.trainingMetrics().get("validation:error"), 1e-9));

      // scoring rows that have no label column at all
      Dataset<Row> unlabelled = model.transform(cancerTest.drop("label"));
      assertThat(
          Arrays.asList(unlabelled.schema().fieldNames()),
          equalTo(List.of("features", "prediction")));
      assertThat(unlabelled.count(), is(100L));
    } finally {
      cleanUp(model);
    }
  }

  @Test
  void inAPipelineTheValidationIndicatorColumnsTrueRowsAreTheValidationChannel() {
    Dataset<Row> both =
        cancerTrain
            .withColumn("isValidation", functions.lit(false))
            .union(cancerTest.withColumn("isValidation", functions.lit(true)));
    XGBoostSageMakerEstimator xgb =
        new XGBoostSageMakerEstimator(
                estimator().getOptions().toBuilder()
                    .validationIndicatorColumnName("isValidation")
                    .build())
            .setObjective("binary:logistic")
            .setNumRound(100)
            .setMaxDepth(4)
            .setEta(0.1)
            .setTreeMethod("hist")
            .setEvalMetric("error");
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {xgb}).fit(both);
    SageMakerModel model = (SageMakerModel) fitted.stages()[0];
    try {
      String job = model.getTrainingJobName();
      assertThat(
          sageMaker.describeTrainingJob(r -> r.trainingJobName(job)).inputDataConfig().stream()
              .map(c -> c.channelName())
              .toList(),
          equalTo(List.of("train", "validation")));
      // XGBoost's validation:error inside the job is the error on exactly the test rows
      double accuracy = accuracy(model.transform(cancerTest), 0.5);
      assertThat(1 - model.trainingMetrics().get("validation:error"), closeTo(accuracy, 1e-9));
      assertThat(accuracy, closeTo(0.980, 0.01 + 1e-9));
    } finally {
      cleanUp(model);
    }

    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> xgb.fitWithValidation(both, cancerTest));
    assertThat(twice.getMessage(), containsString("give one of them"));
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> xgb.fit(cancerTrain));
    assertThat(
        missing.getMessage(), containsString("'isValidation', but the Dataset has no such column"));
    IllegalArgumentException notBoolean =
        assertThrows(
            IllegalArgumentException.class,
            () -> xgb.fit(cancerTrain.withColumn("isValidation", functions.lit(1))));
    assertThat(notBoolean.getMessage(), containsString("has it as int; add a boolean column"));
  }

  @Test
  void mnistMultiSoftmaxMatchesXGBoostDirectly() {
    Dataset<Row> train = libsvm("mnist", "mnist-train.libsvm.gz", 784).repartition(2);
    Dataset<Row> test = libsvm("mnist", "mnist-test.libsvm.gz", 784);
    SageMakerModel model =
        estimator()
            .setObjective("multi:softmax")
            .setNumClasses(10)
            .setNumRound(50)
            .setMaxDepth(6)
            .setEta(0.3)
            .setTreeMethod("hist")
            .fit(train);
    try {
      double accuracy = accuracy(model.transform(test), 0);
      // xgboost4j 2.1.4 on these files, same hyperparameters: 0.940 (data/mnist/README.md)
      assertThat(accuracy, closeTo(0.940, 0.01 + 1e-9));
      assertThat(model.trainingMetrics().keySet(), hasItem("train:mlogloss"));
    } finally {
      cleanUp(model);
    }
  }

  @Test
  void multiSoftprobGivesAVectorOfClassProbabilitiesFromCsvStaging() {
    SageMakerModel model =
        estimator()
            .setObjective("multi:softprob")
            .setNumClasses(2)
            .setNumRound(20)
            .setOptions(estimator().getOptions().toBuilder().trainingSparkDataFormat("csv").build())
            .fit(cancerTrain);
    try {
      Dataset<Row> scored = model.transform(cancerTest);
      assertThat(
          scored.schema().apply("prediction").dataType(), equalTo(SQLDataTypes.VectorType()));
      Vector p = (Vector) scored.first().getAs("prediction");
      assertThat(p.size(), is(2));
      assertThat(p.apply(0) + p.apply(1), closeTo(1, 1e-5));
    } finally {
      cleanUp(model);
    }
  }

  @Test
  void badHyperparametersFailWithTheValueAndTheFix() {
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> estimator().setObjective("reg:linear"));
    assertThat(
        unknown.getMessage(), containsString("XGBoost hyperparameter objective = reg:linear"));
    assertThat(unknown.getMessage(), containsString("reg:squarederror"));

    IllegalArgumentException noRounds =
        assertThrows(
            IllegalArgumentException.class,
            () -> estimator().setObjective("binary:logistic").fit(cancerTrain));
    assertThat(noRounds.getMessage(), containsString("num_round is required"));

    IllegalArgumentException noClasses =
        assertThrows(
            IllegalArgumentException.class,
            () -> estimator().setObjective("multi:softmax").setNumRound(5).fit(cancerTrain));
    assertThat(noClasses.getMessage(), containsString("num_class is required by objective"));
  }
}
