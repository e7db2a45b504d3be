package dev.sagemakerbeam.sdk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.sdk.algorithms.LinearLearnerBinaryClassifier;
import dev.sagemakerbeam.sdk.algorithms.LinearLearnerMultiClassClassifier;
import dev.sagemakerbeam.sdk.algorithms.LinearLearnerRegressor;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The three Linear Learner estimators against SageMaker Local's Linear Learner, on the repository's
 * data sets beside Spark MLlib's figures on the same files (data/&lt;set&gt;/README.md):
 * breast-cancer (binary, accuracy at least 0.95), diabetes (regressor, RMSE within 5% of
 * LinearRegression's 55.8) and MNIST (10 classes, accuracy within 2 points of LogisticRegression's
 * 0.892), each trained, hosted and scored with the original library's columns; and bad input
 * refused before any job.
 */
class LinearLearnerEstimatorTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";

  private static SageMakerClientConfiguration config;
  private static SageMakerClient sageMaker;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    config = LOCAL.config();
    sageMaker = SageMakerClients.sageMaker(config);
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("LinearLearnerEstimatorTest")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    sageMaker.close();
  }

  static Dataset<Row> libsvm(String dataSet, String file, int features) {
    return spark
        .read()
        .format("libsvm")
        .option("numFeatures", Integer.toString(features))
        .load(Path.of("..", "data", dataSet, file).toString());
  }

  private static SageMakerEstimatorOptions options() {
    return SageMakerEstimatorOptions.builder()
        .clientConfiguration(config)
        .roleArn(ROLE)
        .pollInterval(Duration.ofMillis(100))
        .trainingTimeout(Duration.ofMinutes(5))
        .endpointTimeout(Duration.ofMinutes(2))
        .build();
  }

  private static double agreement(Dataset<Row> scored, String column) {
    List<Row> rows = scored.select("label", column).collectAsList();
    long right = rows.stream().filter(r -> r.getDouble(0) == r.getDouble(1)).count();
    return (double) right / rows.size();
  }

  private static void cleanUp(SageMakerModel model) {
    new SageMakerResourceCleanup(sageMaker).deleteResources(model.getCreatedResources());
  }

  @Test
  void breastCancerBinaryClassifier() {
    Dataset<Row> train = libsvm("breast-cancer", "breast-cancer-train.libsvm", 30);
    Dataset<Row> test = libsvm("breast-cancer", "breast-cancer-test.libsvm", 30);
    SageMakerModel model =
        new LinearLearnerBinaryClassifier(options())
            .setFeatureDim(30)
            .setMiniBatchSize(50)
            .setBinaryClassifierModelSelectionCriteria("accuracy")
            .fitWithValidation(train, test);
    try {
      Dataset<Row> scored = model.transform(test);
      assertThat(scored.schema().apply("score").dataType(), equalTo(DataTypes.DoubleType));
      assertThat(
          scored.schema().apply("predicted_label").dataType(), equalTo(DataTypes.DoubleType));
      double accuracy = agreement(scored, "predicted_label");
      System.out.println("Linear Learner breast-cancer accuracy (Spark): " + accuracy);
      assertThat(accuracy, greaterThanOrEqualTo(0.95));
      assertThat(
          accuracy,
          closeTo(model.trainingMetrics().get("validation:binary_classification_accuracy"), 1e-9));
    } finally {
      cleanUp(model);
    }
  }

  @Test
  void diabetesRegressor() {
    Dataset<Row> train = libsvm("diabetes", "diabetes-train.libsvm", 10);
    Dataset<Row> test = libsvm("diabetes", "diabetes-test.libsvm", 10);
    SageMakerModel model =
        new LinearLearnerRegressor(options())
            .setFeatureDim(10)
            .setMiniBatchSize(20)
            .setEpochs(30)
            .fit(train, Map.of("test", test));
    try {
      Dataset<Row> scored = model.transform(test);
      assertThat(scored.schema().apply("score").dataType(), equalTo(DataTypes.DoubleType));
      double sq = 0;
      List<Row> rows = scored.select("label", "score").collectAsList();
      for (Row r : rows) {
        sq += Math.pow(r.getDouble(0) - r.getDouble(1), 2);
      }
      double rmse = Math.sqrt(sq / rows.size());
      System.out.println("Linear Learner diabetes RMSE (Spark): " + rmse);
      assertThat(rmse, lessThanOrEqualTo(55.8 * 1.05));
      assertThat(rmse, closeTo(model.trainingMetrics().get("test:rmse"), 1e-3));
    } finally {
      cleanUp(model);
    }
  }

  @Test
  void mnistMultiClassClassifier() {
    Dataset<Row> train = libsvm("mnist", "mnist-train.libsvm.gz", 784);
    Dataset<Row> test = libsvm("mnist", "mnist-test.libsvm.gz", 784);
    SageMakerModel model =
        new LinearLearnerMultiClassClassifier(options())
            .setFeatureDim(784)
            .setNumClasses(10)
            .fit(train);
    try {
      Dataset<Row> scored = model.transform(test).cache();
      assertThat(scored.schema().apply("score").dataType(), equalTo(SQLDataTypes.VectorType()));
      double accuracy = agreement(scored, "predicted_label");
      System.out.println("Linear Learner MNIST accuracy (Spark): " + accuracy);
      assertThat(accuracy, greaterThanOrEqualTo(0.892 - 0.02));
      Vector first = scored.first().getAs("score");
      assertThat(first.size(), is(10));
      assertThat(
          first.argmax(), is((int) (double) scored.first().<Double>getAs("predicted_label")));
    } finally {
      cleanUp(model);
    }
  }

  @Test
  void badInputFailsNamingTheValueAndTheFix() {
    IllegalArgumentException noClasses =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new LinearLearnerMultiClassClassifier(options())
                    .setFeatureDim(30)
                    .fit(libsvm("breast-cancer", "breast-cancer-test.libsvm", 30)));
    assertThat(
        noClasses.getMessage(),
        containsString("num_classes is required by predictor_type = multiclass_classifier"));

    IllegalArgumentException twoClasses =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LinearLearnerMultiClassClassifier(options()).setNumClasses(2));
    assertThat(
        twoClasses.getMessage(), containsString("Linear Learner hyperparameter num_classes = 2"));

    LinearLearnerBinaryClassifier binary = new LinearLearnerBinaryClassifier(options());
    assertThrows(
        IllegalArgumentException.class, () -> new ParamMap().put(binary.learningRate(), "-1"));
    assertThat(binary.setLearningRate(0.1).getLearningRate(), is("0.1"));
    assertThat(binary.setNumModels("auto").getNumModels(), is("auto"));
    assertThat(binary.getPredictorType(), is("binary_classifier"));

    // labels the binary classifier cannot take: the training job fails naming the row and rule
    RuntimeException notBinary =
        assertThrows(
            RuntimeException.class,
            () ->
                new LinearLearnerBinaryClassifier(options())
                    .setFeatureDim(10)
                    .setEpochs(1)
                    .fit(libsvm("diabetes", "diabetes-test.libsvm", 10)));
    assertThat(notBinary.getMessage(), containsString("binary_classifier takes labels 0 and 1"));

    // features that do not match feature_dim are refused while staging, before any job
    Exception width =
        assertThrows(
            Exception.class, // Spark's SparkException, which carries the staging task's message
            () ->
                new LinearLearnerRegressor(options())
                    .setFeatureDim(12)
                    .fit(libsvm("diabetes", "diabetes-test.libsvm", 10)));
    assertThat(
        width.getMessage(),
        containsString(
            "holds a vector of size 10 but feature_dim is 12; make the vectors 12 long or set"
                + " feature_dim to their size"));
  }
}
