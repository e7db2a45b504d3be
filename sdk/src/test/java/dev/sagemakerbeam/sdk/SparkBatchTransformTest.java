package dev.sagemakerbeam.sdk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.sdk.algorithms.XGBoostSageMakerEstimator;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.EndpointSummary;
import software.amazon.awssdk.services.sagemaker.model.ModelSummary;
import software.amazon.awssdk.services.sagemaker.model.TransformJobSummary;

/**
 * SageMaker batch transform from Spark against SageMaker Local: a K-Means model's batch predictions
 * (RecordIO split) and an XGBoost model's (LibSVM lines, CSV answers) equal its endpoint's row for
 * row, rows in = rows out in order, no endpoint or model is left and the staged data is deleted; a
 * failing job fails the transform naming the object, or keeps the rows with the error when asked.
 */
class SparkBatchTransformTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";

  private static SageMakerClientConfiguration config;
  private static SageMakerClient sageMaker;
  private static S3Client s3;
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void start() {
    config = LOCAL.config();
    sageMaker = SageMakerClients.sageMaker(config);
    s3 = SageMakerClients.s3(config);
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("SparkBatchTransformTest")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    train = libsvm("mnist", "mnist-train.libsvm.gz", 784).limit(1500).repartition(2).cache();
    test =
        libsvm("mnist", "mnist-test.libsvm.gz", 784)
            .limit(300)
            .repartition(3)
            .withColumn("id", functions.monotonically_increasing_id())
            .cache();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    sageMaker.close();
    s3.close();
  }

  private static Dataset<Row> libsvm(String dataSet, String file, int features) {
    return spark
        .read()
        .format("libsvm")
        .option("numFeatures", Integer.toString(features))
        .load(Path.of("..", "data", dataSet, file).toString());
  }

  private static SageMakerEstimatorOptions.Builder options() {
    return SageMakerEstimatorOptions.builder()
        .clientConfiguration(config)
        .roleArn(ROLE)
        .pollInterval(Duration.ofMillis(100))
        .trainingTimeout(Duration.ofMinutes(5))
        .endpointTimeout(Duration.ofMinutes(2))
        .batchTransformTimeout(Duration.ofMinutes(3));
  }

  private static Set<String> endpoints() {
    return sageMaker.listEndpoints(r -> r.maxResults(100)).endpoints().stream()
        .map(EndpointSummary::endpointName)
        .collect(Collectors.toSet());
  }

  private static Set<String> models() {
    return sageMaker.listModels(r -> r.maxResults(100)).models().stream()
        .map(ModelSummary::modelName)
        .collect(Collectors.toSet());
  }

  private static TransformJobSummary latestJob() {
    return sageMaker
        .listTransformJobs(r -> r.sortBy("CreationTime").sortOrder("Descending"))
        .transformJobSummaries()
        .get(0);
  }

  /** No object is left under the default bucket's {@code <job>/} prefix. */
  private static void assertStagedDataDeleted(String job) {
    String bucket =
        SageMakerLocal.ACCOUNT_ID + "-sagemaker-" + SageMakerClients.resolveRegion(config);
    assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix(job + "/")).contents(), empty());
  }

  @Test
  void kmeansBatchPredictionsEqualTheEndpointsRowForRowAndLeaveNothing() {
    SageMakerModel model =
        new KMeansSageMakerEstimator(options().build()).setK(10).setFeatureDim(784).fit(train);
    try {
      List<Row> online = model.transform(test).collectAsList();
      Set<String> endpointsBefore = endpoints();
      Set<String> modelsBefore = models();

      Dataset<Row> batch = model.batchTransform(test);
      assertThat(
          Arrays.asList(batch.schema().fieldNames()),
          equalTo(List.of("label", "features", "id", "distance_to_cluster", "closest_cluster")));
      List<Row> rows = batch.collectAsList();
      // rows in = rows out, in the input's order
      assertThat(
          rows.stream().map(r -> r.getLong(2)).collect(Collectors.toList()),
          equalTo(test.select("id").collectAsList().stream().map(r -> r.getLong(0)).toList()));
      assertThat(rows.size(), is(online.size()));
      java.util.Map<Long, Row> byId =
          online.stream().collect(Collectors.toMap(r -> r.getLong(2), r -> r));
      for (Row r : rows) {
        Row o = byId.get(r.getLong(2));
        assertThat(r.getDouble(4), equalTo(o.getDouble(4)));
        assertThat(r.getDouble(3), closeTo(o.getDouble(3), 1e-4));
      }
      // one job; no endpoint, no model, no staged data left
      TransformJobSummary job = latestJob();
      assertThat(job.transformJobStatusAsString(), equalTo("Completed"));
      assertThat(endpoints(), equalTo(endpointsBefore));
      assertThat(models(), equalTo(modelsBefore));
      assertStagedDataDeleted(job.transformJobName());

      // a failing job fails the transform naming the object ...
      List<Row> narrowRows = new java.util.ArrayList<>();
      for (long i = 0; i < 20; i++) {
        narrowRows.add(
            org.apache.spark.sql.RowFactory.create(
                1.0, i, org.apache.spark.ml.linalg.Vectors.dense(new double[10])));
      }
      Dataset<Row> narrow =
          spark.createDataFrame(
              narrowRows,
              new org.apache.spark.sql.types.StructType()
                  .add("label", org.apache.spark.sql.types.DataTypes.DoubleType)
                  .add("id", org.apache.spark.sql.types.DataTypes.LongType)
                  .add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType()));
      SageMakerModel unchecked =
          SageMakerModel.fromModelS3Path(
              model.getModelPath(),
              model.getModelImage(),
              options()
                  .endpointCreationPolicy(EndpointCreationPolicy.DO_NOT_CREATE)
                  .requestRowSerializer(
                      new dev.sagemakerbeam.sdk.serializers.ProtobufRequestRowSerializer())
                  .responseRowDeserializer(
                      new dev.sagemakerbeam.sdk.deserializers
                          .KMeansProtobufResponseRowDeserializer())
                  .build());
      RuntimeException failed =
          assertThrows(RuntimeException.class, () -> unchecked.batchTransform(narrow));
      assertThat(failed.getMessage(), containsString("Failed"));
      assertThat(failed.getMessage(), containsString("part-0000"));
      assertStagedDataDeleted(latestJob().transformJobName());

      // ... or keeps every row with the reason in the error column
      SageMakerModel keeping =
          SageMakerModel.fromModelS3Path(
              model.getModelPath(),
              model.getModelImage(),
              unchecked.getOptions().toBuilder().modelErrorColumnName("error").build());
      List<Row> kept = keeping.batchTransform(narrow).collectAsList();
      assertThat(kept.size(), is(20));
      assertThat(
          kept.stream().map(r -> r.getString(r.fieldIndex("error"))).toList(),
          everyItem(containsString("part-0000")));
      assertThat(kept.get(0).get(kept.get(0).fieldIndex("closest_cluster")), nullValue());
      assertThat(models(), equalTo(modelsBefore));
    } finally {
      new SageMakerResourceCleanup(sageMaker).deleteResources(model.getCreatedResources());
    }
  }

  @Test
  void xgboostWithUseBatchTransformHostsNothingAndScoresAsItsEndpoint() {
    Dataset<Row> cancerTrain = libsvm("breast-cancer", "breast-cancer-train.libsvm", 30);
    Dataset<Row> cancerTest =
        libsvm("breast-cancer", "breast-cancer-test.libsvm", 30).repartition(2).cache();
    Set<String> endpointsBefore = endpoints();
    SageMakerModel model =
        new XGBoostSageMakerEstimator(options().useBatchTransform(true).build())
            .setObjective("binary:logistic")
            .setNumRound(30)
            .setMaxDepth(3)
            .fit(cancerTrain);
    assertThat(model.getEndpointName(), nullValue());
    assertThat(endpoints(), equalTo(endpointsBefore));
    List<Row> batch = model.transform(cancerTest).collectAsList();
    assertThat(endpoints(), equalTo(endpointsBefore));
    assertThat(batch.size(), is((int) cancerTest.count()));

    SageMakerModel hosted =
        SageMakerModel.fromModelS3Path(
            model.getModelPath(),
            model.getModelImage(),
            model.getOptions().toBuilder().useBatchTransform(false).build());
    try {
      assertThat(hosted.getEndpointName(), notNullValue());
      List<Row> online = hosted.transform(cancerTest).collectAsList();
      for (int i = 0; i < batch.size(); i++) {
        Row b = batch.get(i);
        Row o = online.get(i);
        assertThat(b.getDouble(0), equalTo(o.getDouble(0)));
        assertThat(
            b.getDouble(b.fieldIndex("prediction")),
            closeTo(o.getDouble(o.fieldIndex("prediction")), 1e-6));
      }
    } finally {
      new SageMakerResourceCleanup(sageMaker).deleteResources(hosted.getCreatedResources());
    }
    assertStagedDataDeleted(latestJob().transformJobName());
  }

  @Test
  void crossValidatorOverABatchTransformEstimatorLeavesNoEndpointAndNoModel() {
    KMeansSageMakerEstimator kmeans =
        new KMeansSageMakerEstimator(options().useBatchTransform(true).build()).setFeatureDim(784);
    org.apache.spark.ml.param.ParamMap[] grid =
        new org.apache.spark.ml.tuning.ParamGridBuilder()
            .addGrid(kmeans.k(), new int[] {5, 10})
            .build();
    org.apache.spark.ml.tuning.CrossValidator cv =
        new org.apache.spark.ml.tuning.CrossValidator()
            .setEstimator(kmeans)
            .setEstimatorParamMaps(grid)
            .setEvaluator(
                new org.apache.spark.ml.evaluation.ClusteringEvaluator()
                    .setPredictionCol("closest_cluster"))
            .setNumFolds(2)
            .setParallelism(1);
    Set<String> endpointsBefore = endpoints();
    Set<String> modelsBefore = models();
    org.apache.spark.ml.tuning.CrossValidatorModel selected = cv.fit(train.limit(800));
    // 2 folds x 2 candidates, then the best refitted: 5 fits and their evaluations, no endpoint
    assertThat(selected.avgMetrics().length, is(2));
    assertThat(endpoints(), equalTo(endpointsBefore));
    assertThat(models(), equalTo(modelsBefore));
    SageMakerModel best = (SageMakerModel) selected.bestModel();
    assertThat(best.getEndpointName(), nullValue());
    assertThat(selected.transform(test.limit(50)).count(), is(50L));
    assertThat(endpoints(), equalTo(endpointsBefore));
    assertThat(models(), equalTo(modelsBefore));
  }
}
