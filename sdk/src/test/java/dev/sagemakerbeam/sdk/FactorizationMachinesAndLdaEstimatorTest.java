package dev.sagemakerbeam.sdk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.testing.BarsCorpus;
import dev.sagemakerbeam.sdk.algorithms.FactorizationMachinesBinaryClassifier;
import dev.sagemakerbeam.sdk.algorithms.FactorizationMachinesRegressor;
import dev.sagemakerbeam.sdk.algorithms.LDASageMakerEstimator;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * FactorizationMachinesBinaryClassifier, FactorizationMachinesRegressor and LDASageMakerEstimator
 * against SageMaker Local: FM on standardized breast-cancer (MLlib FMClassifier 0.960) and diabetes
 * (within 10% of MLlib LinearRegression's 55.8), LDA on the bars corpus (each bar found, mixtures
 * close to the generating ones, a Vector column even for one topic), and bad input.
 */
class FactorizationMachinesAndLdaEstimatorTest {
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
            .appName("FactorizationMachinesAndLdaEstimatorTest")
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

  private static SageMakerEstimatorOptions options() {
    return SageMakerEstimatorOptions.builder()
        .clientConfiguration(config)
        .roleArn(ROLE)
        .pollInterval(Duration.ofMillis(100))
        .trainingTimeout(Duration.ofMinutes(5))
        .endpointTimeout(Duration.ofMinutes(2))
        .build();
  }

  private static Dataset<Row> libsvm(String dataSet, String file, int features) {
    return spark
        .read()
        .format("libsvm")
        .option("numFeatures", Integer.toString(features))
        .load(java.nio.file.Path.of("..", "data", dataSet, file).toString());
  }

  private static void cleanUp(SageMakerModel model) {
    new SageMakerResourceCleanup(sageMaker).deleteResources(model.getCreatedResources());
  }

  /** Train and test with features standardized by the training set, as MLlib's figures were. */
  private static List<Dataset<Row>> standardized(String set, String train, String test, int d) {
    Dataset<Row> a = libsvm(set, train, d);
    Dataset<Row> b = libsvm(set, test, d);
    StandardScalerModel scaler =
        new StandardScaler()
            .setWithMean(true)
            .setWithStd(true)
            .setInputCol("features")
            .setOutputCol("scaled")
            .fit(a);
    List<Dataset<Row>> out = new ArrayList<>();
    for (Dataset<Row> ds : List.of(a, b)) {
      out.add(scaler.transform(ds).drop("features").withColumnRenamed("scaled", "features"));
    }
    return out;
  }

  @Test
  void breastCancerBinaryClassifier() {
    List<Dataset<Row>> data =
        standardized(
            "breast-cancer", "breast-cancer-train.libsvm", "breast-cancer-test.libsvm", 30);
    SageMakerModel model =
        new FactorizationMachinesBinaryClassifier(options())
            .setFeatureDim(30)
            .setNumFactors(4)
            .setEpochs(30)
            .setMiniBatchSize(50)
            .setLinearLr(0.01)
            .setFactorsLr(0.01)
            .fit(data.get(0));
    try {
      Dataset<Row> scored = model.transform(data.get(1));
      assertThat(scored.schema().apply("score").dataType(), equalTo(DataTypes.DoubleType));
      double accuracy =
          scored.filter(functions.col("predicted_label").equalTo(functions.col("label"))).count()
              / (double) scored.count();
      System.out.println("Factorization Machines breast-cancer accuracy (Spark): " + accuracy);
      // MLlib FMClassifier: 0.960 (data/breast-cancer/README.md)
      assertThat(accuracy, greaterThanOrEqualTo(0.94));
    } finally {
      cleanUp(model);
    }
  }

  @Test
  void diabetesRegressorWithNormalizedLabels() {
    List<Dataset<Row>> data =
        standardized("diabetes", "diabetes-train.libsvm", "diabetes-test.libsvm", 10);
    Row stats = data.get(0).agg(functions.avg("label"), functions.stddev_pop("label")).first();
    double mean = stats.getDouble(0);
    double std = stats.getDouble(1);
    Dataset<Row> train =
        data.get(0).withColumn("label", functions.col("label").minus(mean).divide(std));
    SageMakerModel model =
        new FactorizationMachinesRegressor(options())
            .setFeatureDim(10)
            .setNumFactors(2)
            .setEpochs(40)
            .setMiniBatchSize(20)
            .setLinearLr(0.01)
            .setFactorsLr(0.001)
            .fit(train);
    try {
      List<Row> rows = model.transform(data.get(1)).select("label", "score").collectAsList();
      double sq = 0;
      for (Row r : rows) {
        sq += Math.pow(r.getDouble(0) - (r.getDouble(1) * std + mean), 2);
      }
      double rmse = Math.sqrt(sq / rows.size());
      System.out.println("Factorization Machines diabetes RMSE (Spark): " + rmse);
      assertThat(rmse, lessThanOrEqualTo(55.8 * 1.10));
    } finally {
      cleanUp(model);
    }
  }

  private static Dataset<Row> documents(List<FeatureVector> docs) {
    List<Row> rows = new ArrayList<>();
    for (FeatureVector d : docs) {
      rows.add(
          RowFactory.create(
              d.isSparse()
                  ? Vectors.sparse(d.size(), d.indices(), d.values())
                  : Vectors.dense(d.values())));
    }
    return spark.createDataFrame(
        rows, new StructType().add("features", SQLDataTypes.VectorType(), false));
  }

  @Test
  void ldaFindsTheBarsAndTheirMixtures() {
    BarsCorpus corpus = BarsCorpus.generate(2000, 100, 1.0, 3);
    BarsCorpus held = BarsCorpus.generate(200, 400, 1.0, 4);
    SageMakerModel model =
        new LDASageMakerEstimator(options())
            .setNumTopics(10)
            .setFeatureDim(25)
            .setMiniBatchSize(2000)
            .setAlpha0(10)
            .setMaxRestarts(3)
            .setMaxIterations(200)
            .setTol(1e-6)
            .fit(documents(corpus.documents()));
    try {
      // a document of one bar only: its mixture names the learned topic of that bar
      double[][] truth = BarsCorpus.topics();
      List<FeatureVector> pure = new ArrayList<>();
      for (double[] topic : truth) {
        double[] counts = new double[25];
        for (int w = 0; w < 25; w++) {
          counts[w] = topic[w] * 100;
        }
        pure.add(FeatureVector.dense(counts));
      }
      List<Row> pureMixtures =
          model.transform(documents(pure)).select("topic_mixture").collectAsList();
      int[] learned = new int[10];
      Set<Integer> distinct = new HashSet<>();
      for (int t = 0; t < 10; t++) {
        Vector m = pureMixtures.get(t).getAs(0);
        learned[t] = m.argmax();
        assertThat("bar " + t + " is one topic", m.apply(learned[t]), greaterThanOrEqualTo(0.8));
        distinct.add(learned[t]);
      }
      assertThat(distinct.size(), is(10));

      Dataset<Row> scored = model.transform(documents(held.documents()));
      assertThat(
          scored.schema().apply("topic_mixture").dataType(), equalTo(SQLDataTypes.VectorType()));
      List<Row> mixtures = scored.select("topic_mixture").collectAsList();
      double distance = 0;
      for (int d = 0; d < mixtures.size(); d++) {
        Vector m = mixtures.get(d).getAs(0);
        double sum = 0;
        double tv = 0;
        for (int t = 0; t < 10; t++) {
          sum += m.apply(learned[t]);
          tv += Math.abs(m.apply(learned[t]) - held.mixtures()[d][t]);
        }
        assertThat(sum, closeTo(1.0, 1e-4));
        distance += tv / 2 / mixtures.size();
      }
      System.out.println("LDA bars mean total variation (Spark): " + distance);
      assertThat(distance, lessThan(0.12));
      assertThat(model.trainingMetrics().get("train:pwll"), lessThan(0.0));
    } finally {
      cleanUp(model);
    }
  }

  @Test
  void ldaWithOneTopicStillAnswersAVector() {
    BarsCorpus corpus = BarsCorpus.generate(50, 20, 1.0, 5);
    SageMakerModel model =
        new LDASageMakerEstimator(options())
            .setNumTopics(1)
            .setFeatureDim(25)
            .setMiniBatchSize(50)
            .setMaxRestarts(1)
            .setMaxIterations(5)
            .fit(documents(corpus.documents()));
    try {
      Vector mixture =
          model.transform(documents(corpus.documents())).first().getAs("topic_mixture");
      assertThat(mixture.size(), is(1));
      assertThat(mixture.apply(0), closeTo(1.0, 1e-6));
    } finally {
      cleanUp(model);
    }
  }

  @Test
  void badInputFailsNamingTheValueAndTheFix() {
    Dataset<Row> diabetes = libsvm("diabetes", "diabetes-test.libsvm", 10);
    IllegalArgumentException noFactors =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FactorizationMachinesRegressor(options()).setFeatureDim(10).fit(diabetes));
    assertThat(noFactors.getMessage(), containsString("num_factors"));

    Exception width =
        assertThrows(
            Exception.class,
            () ->
                new FactorizationMachinesRegressor(options())
                    .setFeatureDim(12)
                    .setNumFactors(2)
                    .fit(diabetes));
    assertThat(
        width.getMessage(), containsString("holds a vector of size 10 but feature_dim is 12"));

    List<Row> negative =
        List.of(
            RowFactory.create(Vectors.dense(1, 2, 0)), RowFactory.create(Vectors.dense(0, -1, 3)));
    Dataset<Row> docs =
        spark.createDataFrame(
            negative, new StructType().add("features", SQLDataTypes.VectorType(), false));
    RuntimeException counts =
        assertThrows(
            RuntimeException.class,
            () ->
                new LDASageMakerEstimator(options())
                    .setNumTopics(2)
                    .setFeatureDim(3)
                    .setMiniBatchSize(2)
                    .fit(docs));
    assertThat(
        counts.getMessage(), containsString("LDA takes word counts, which are non-negative"));
  }
}
