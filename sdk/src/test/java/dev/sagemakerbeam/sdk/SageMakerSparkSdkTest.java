package dev.sagemakerbeam.sdk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.local.faults.FaultInjector;
import dev.sagemakerbeam.local.faults.FaultSpec;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.sdk.algorithms.PCASageMakerEstimator;
import dev.sagemakerbeam.sdk.deserializers.KMeansProtobufResponseRowDeserializer;
import dev.sagemakerbeam.sdk.serializers.ProtobufRequestRowSerializer;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.CreatedResources;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import dev.sagemakerbeam.transforms.training.StagingArea;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.EndpointSummary;

/**
 * The Spark ML SDK against a real SageMaker Local: K-Means and PCA on MNIST, Pipelines, creation
 * policies, factories, configuration from Spark, input validation and cleanup. Each test stands
 * alone; those that only score against a trained K-Means model share one, trained on first use
 * ({@link #sharedKmeans()}) and deleted after all tests.
 */
class SageMakerSparkSdkTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";
  private static final String CONFIG_BUCKET_KEY = "test.sagemaker.trainingBucket";
  private static final String CONFIG_BUCKET = "spark-config-bucket";

  private static SageMakerLocal local;
  private static SageMakerClientConfiguration config;
  private static SageMakerClient sageMaker;
  private static S3Client s3;
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static Dataset<Row> test;

  /**
   * A K-Means model on MNIST with its endpoint, trained on first use; see {@link #sharedKmeans}.
   */
  private static SageMakerModel sharedKmeans;

  @BeforeAll
  static void start() throws Exception {
    local = LOCAL.local();
    config = LOCAL.config();
    sageMaker = SageMakerClients.sageMaker(config);
    s3 = SageMakerClients.s3(config);
    new StagingArea(s3).ensureBucket(CONFIG_BUCKET, Region.of(local.region()));
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("SageMakerSparkSdkTest")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config(IAMRoleFromConfig.DEFAULT_KEY, ROLE)
            .config(CONFIG_BUCKET_KEY, "s3://" + CONFIG_BUCKET + "/from-config")
            .getOrCreate();
    train = mnist("mnist-train.libsvm.gz").limit(4000).repartition(2).cache();
    test = mnist("mnist-test.libsvm.gz").cache();
  }

  private static Dataset<Row> mnist(String file) {
    return spark
        .read()
        .format("libsvm")
        .option("numFeatures", "784")
        .load(Path.of("..", "data", "mnist", file).toString());
  }

  /**
   * The K-Means model (CREATE_ON_CONSTRUCT: its endpoint is up) that the tests which only score
   * share, trained by whichever test asks first so that no test depends on another having run.
   */
  private static synchronized SageMakerModel sharedKmeans() {
    if (sharedKmeans == null) {
      sharedKmeans = kmeans(options().build(), 784).fit(train);
    }
    return sharedKmeans;
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (sharedKmeans != null) {
        new SageMakerResourceCleanup(sageMaker).deleteResources(sharedKmeans.getCreatedResources());
      }
      // every test deletes what it creates: nothing is left once the shared model is gone
      assertThat(endpoints(), empty());
      assertThat(sageMaker.listEndpointConfigs(r -> r.maxResults(100)).endpointConfigs(), empty());
      assertThat(sageMaker.listModels(r -> r.maxResults(100)).models(), empty());
    } finally {
      if (spark != null) {
        spark.stop();
      }
      sageMaker.close();
      s3.close();
    }
  }

  private static SageMakerEstimatorOptions.Builder options() {
    return SageMakerEstimatorOptions.builder()
        .clientConfiguration(config)
        .roleArn(ROLE)
        .pollInterval(Duration.ofMillis(100))
        .trainingTimeout(Duration.ofMinutes(5))
        .endpointTimeout(Duration.ofMinutes(2));
  }

  private static KMeansSageMakerEstimator kmeans(
      SageMakerEstimatorOptions options, int featureDim) {
    return new KMeansSageMakerEstimator(options)
        .setK(10)
        .setFeatureDim(featureDim)
        .setMiniBatchSize(500);
  }

  private static Set<String> endpoints() {
    return sageMaker.listEndpoints(r -> r.maxResults(100)).endpoints().stream()
        .map(EndpointSummary::endpointName)
        .collect(Collectors.toSet());
  }

  private static long objectsUnder(String bucket, String prefix) {
    return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
        .count();
  }

  static double purity(List<Row> rows, String clusterColumn) {
    Map<Integer, Map<Double, Integer>> counts = new HashMap<>();
    for (Row r : rows) {
      int cluster = (int) r.getDouble(r.fieldIndex(clusterColumn));
      counts
          .computeIfAbsent(cluster, c -> new HashMap<>())
          .merge(r.getDouble(r.fieldIndex("label")), 1, Integer::sum);
    }
    int majority =
        counts.values().stream()
            .mapToInt(m -> m.values().stream().max(Integer::compare).orElse(0))
            .sum();
    return (double) majority / rows.size();
  }

  @Test
  void kmeansFitsAndTransformsMnistWithEndpointCreatedOnConstruct() {
    SageMakerModel model = sharedKmeans();
    String stagingPrefix = model.getTrainingJobName() + "/training/";
    // CREATE_ON_CONSTRUCT (the default): the endpoint exists once fit returns
    assertThat(model.getEndpointName(), notNullValue());
    assertThat(endpoints(), hasItem(model.getEndpointName()));
    assertThat(model.getCreatedResources().endpointName(), equalTo(model.getEndpointName()));
    assertThat(
        model.getModelPath(),
        equalTo(
            "s3://"
                + SageMakerLocal.ACCOUNT_ID
                + "-sagemaker-"
                + local.region()
                + "/training-output/"
                + model.getTrainingJobName()
                + "/output/model.tar.gz"));
    // staged data deleted after training (deleteStagingDataAfterTraining defaults to true)
    String bucket = SageMakerLocal.ACCOUNT_ID + "-sagemaker-" + local.region();
    assertThat(objectsUnder(bucket, stagingPrefix), is(0L));

    Dataset<Row> out = model.transform(test);
    StructType schema = out.schema();
    assertThat(
        Arrays.asList(schema.fieldNames()),
        equalTo(List.of("label", "features", "distance_to_cluster", "closest_cluster")));
    assertThat(schema.apply("distance_to_cluster").dataType(), equalTo(DataTypes.DoubleType));
    assertThat(schema.apply("closest_cluster").dataType(), equalTo(DataTypes.DoubleType));
    out.show(20);
    List<Row> rows = out.collectAsList();
    assertThat(rows.size(), is((int) test.count()));
    double purity = purity(rows, "closest_cluster");
    System.out.printf(
        "SageMaker K-Means on MNIST (4000 training rows): test purity %.3f%n", purity);
    assertThat(purity, greaterThanOrEqualTo(0.55));
    for (Row r : rows) {
      double cluster = r.getDouble(3);
      assertThat(cluster >= 0 && cluster < 10 && cluster == Math.rint(cluster), is(true));
      assertThat(r.getDouble(2), greaterThan(0.0));
    }
  }

  @Test
  void withoutPrependingOnlyTheResultColumnsAreReturned() {
    SageMakerModel kmeansModel = sharedKmeans();
    SageMakerModel onlyResults =
        SageMakerModel.fromEndpoint(
            kmeansModel.getEndpointName(),
            kmeansModel.getOptions().toBuilder()
                .modelPrependInputRowsToTransformationRows(false)
                .build());
    Dataset<Row> out = onlyResults.transform(test.limit(30));
    assertThat(
        Arrays.asList(out.schema().fieldNames()),
        equalTo(List.of("distance_to_cluster", "closest_cluster")));
    assertThat(out.count(), is(30L));
    assertThat(onlyResults.getCreatedResources().isEmpty(), is(true));
  }

  @Test
  void wrongColumnOrVectorSizeFailsFastNamingIt() {
    SageMakerModel kmeansModel = sharedKmeans();
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> kmeansModel.transform(test.withColumnRenamed("features", "pixels")));
    assertThat(missing.getMessage(), containsString("'features' does not exist"));
    IllegalArgumentException wrongType =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                kmeansModel.transform(
                    test.drop("features").withColumnRenamed("label", "features")));
    assertThat(
        wrongType.getMessage(),
        containsString("column 'features' must hold org.apache.spark.ml.linalg.Vector"));

    KMeansSageMakerEstimator otherColumn =
        kmeans(
            options()
                .trainingSparkDataFormatOptions(Map.of("featuresColumnName", "pixels"))
                .build(),
            784);
    IllegalArgumentException fitMissing =
        assertThrows(IllegalArgumentException.class, () -> otherColumn.fit(train));
    assertThat(fitMissing.getMessage(), containsString("'pixels' does not exist"));

    // vectors of 784 where feature_dim says 100: staging fails before any job is created
    int jobsBefore =
        sageMaker.listTrainingJobs(r -> r.maxResults(100)).trainingJobSummaries().size();
    Exception wrongSize =
        assertThrows(Exception.class, () -> kmeans(options().build(), 100).fit(train.limit(50)));
    assertThat(
        rootMessages(wrongSize),
        containsString("holds a vector of size 784 but feature_dim is 100"));
    assertThat(
        sageMaker.listTrainingJobs(r -> r.maxResults(100)).trainingJobSummaries().size(),
        is(jobsBefore));

    // at transform: the serializer checks the size against feature_dim
    Dataset<Row> short3 =
        spark.createDataFrame(
            List.of(RowFactory.create(1.0, Vectors.dense(1, 2, 3))),
            new StructType()
                .add("label", DataTypes.DoubleType)
                .add("features", SQLDataTypes.VectorType()));
    Exception transformSize =
        assertThrows(Exception.class, () -> kmeansModel.transform(short3).collectAsList());
    assertThat(
        rootMessages(transformSize),
        containsString("holds a vector of size 3 but feature_dim is 784"));
  }

  @Test
  void failedRowsAreKeptWithAnErrorColumnWhenAsked() {
    SageMakerModel kmeansModel = sharedKmeans();
    SageMakerModel keeping =
        SageMakerModel.fromEndpoint(
            kmeansModel.getEndpointName(),
            kmeansModel.getOptions().toBuilder().modelErrorColumnName("error").build());
    Dataset<Row> mixed =
        test.limit(5)
            .union(
                spark.createDataFrame(
                    List.of(RowFactory.create(7.0, Vectors.dense(1, 2, 3))), test.schema()));
    List<Row> rows = keeping.transform(mixed).collectAsList();
    assertThat(rows.size(), is(6));
    List<Row> failed =
        rows.stream().filter(r -> r.getString(4) != null).collect(Collectors.toList());
    assertThat(failed.size(), is(1));
    assertThat(failed.get(0).getDouble(0), is(7.0));
    assertThat(failed.get(0).get(3), nullValue());
    assertThat(failed.get(0).getString(4), containsString("SerializationError"));
    assertThat(
        rows.stream()
            .filter(r -> r.getString(4) == null)
            .map(r -> r.get(3))
            .collect(Collectors.toList()),
        everyItem(notNullValue()));
  }

  @Test
  void transformsCountRequestsRetriesAndThrottlesInSparkAccumulators() {
    SageMakerModel kmeansModel = sharedKmeans();
    String endpoint = kmeansModel.getEndpointName();
    SageMakerModel model =
        SageMakerModel.fromEndpoint(
            endpoint, kmeansModel.getOptions().toBuilder().maxRecordsPerRequest(10).build());
    assertThat(model.inferenceMetrics().isPresent(), is(false));
    local.faults().set(endpoint, FaultSpec.builder().throttleRate(0.3).seed(11).build());
    try {
      Dataset<Row> rows = test.limit(200).repartition(2);
      assertThat(model.transform(rows).count(), is(200L));
      InferenceMetrics metrics = model.inferenceMetrics().orElseThrow();
      Map<FaultInjector.Outcome, Long> answers =
          local.faults().endpointFaults().get(endpoint).values().iterator().next().counts();
      // what the executors counted is what the endpoint answered
      assertThat(metrics.toString(), metrics.successRows(), is(200L));
      assertThat(metrics.failedRows(), is(0L));
      assertThat(metrics.batches(), is(20L));
      assertThat(metrics.throttles(), is(answers.get(FaultInjector.Outcome.THROTTLE)));
      assertThat(metrics.throttles(), greaterThan(0L));
      assertThat(metrics.retries(), is(metrics.throttles()));
      assertThat(
          metrics.requests(), is(answers.values().stream().mapToLong(Long::longValue).sum()));
      assertThat(metrics.requests(), is(metrics.batches() + metrics.retries()));
      // every transform of the model adds to the same accumulators
      model.transform(rows).count();
      assertThat(metrics.successRows(), is(400L));
      assertThat(metrics.batches(), is(40L));
      assertThat(model.inferenceMetrics().orElseThrow(), sameInstance(metrics));
    } finally {
      local.faults().clear(endpoint);
    }
  }

  @Test
  void hyperparametersAreSparkParamsValidatedLikeThePreset() {
    KMeansSageMakerEstimator estimator = new KMeansSageMakerEstimator("kmeans-uid");
    assertThat(estimator.uid(), is("kmeans-uid"));
    IllegalArgumentException badK =
        assertThrows(IllegalArgumentException.class, () -> estimator.setK(0));
    assertThat(badK.getMessage(), containsString("k"));
    assertThat(badK.getMessage(), containsString("0"));
    assertThrows(IllegalArgumentException.class, () -> estimator.setInitMethod("best"));
    estimator.setFeatureDim(784);
    ParamMap[] grid = new ParamGridBuilder().addGrid(estimator.k(), new int[] {2, 3}).build();
    assertThat(grid.length, is(2));
    KMeansSageMakerEstimator copy = estimator.copy(grid[1]);
    assertThat(copy.getK(), is(3));
    assertThat(copy.getFeatureDim(), is(784));
    assertThat(copy.uid(), is("kmeans-uid"));
    assertThat(
        Arrays.stream(estimator.params()).map(p -> p.name()).collect(Collectors.toList()),
        hasItem("k"));
    PCASageMakerEstimator pca = new PCASageMakerEstimator("pca-uid");
    assertThrows(IllegalArgumentException.class, () -> pca.setNumComponents(-1));
    assertThat(pca.setNumComponents(5).getNumComponents(), is(5));
    // a required hyperparameter missing is named at fit, before anything is staged
    IllegalArgumentException noK =
        assertThrows(
            IllegalArgumentException.class,
            () -> new KMeansSageMakerEstimator(options().build()).setFeatureDim(784).fit(train));
    assertThat(noK.getMessage(), containsString("k"));
  }

  @Test
  void sparkPcaFeedsSageMakerKMeansInAPipelineWithGzipStagingFromSparkConfig() throws Exception {
    PCA sparkPca = new PCA().setInputCol("features").setOutputCol("pcaFeatures").setK(20);
    // role (IAMRoleFromConfig) and staging bucket (S3PathFromConfig) from the Spark configuration
    KMeansSageMakerEstimator kmeans =
        kmeans(
            SageMakerEstimatorOptions.builder()
                .clientConfiguration(config)
                .pollInterval(Duration.ofMillis(100))
                .trainingTimeout(Duration.ofMinutes(5))
                .endpointTimeout(Duration.ofMinutes(2))
                .sagemakerRole(new IAMRoleFromConfig())
                .trainingInputS3DataPath(new S3PathFromConfig(CONFIG_BUCKET_KEY))
                .trainingOutputS3DataPath(new S3PathFromConfig(CONFIG_BUCKET_KEY))
                .trainingCompressionCodec("gzip")
                .deleteStagingDataAfterTraining(false)
                .trainingSparkDataFormatOptions(Map.of("featuresColumnName", "pcaFeatures"))
                .build(),
            20);
    PipelineModel pipeline =
        new Pipeline().setStages(new PipelineStage[] {sparkPca, kmeans}).fit(train);
    SageMakerModel model = (SageMakerModel) pipeline.stages()[1];
    try {
      assertThat(
          model.getModelPath(),
          equalTo(
              "s3://"
                  + CONFIG_BUCKET
                  + "/from-config/"
                  + model.getTrainingJobName()
                  + "/output/model.tar.gz"));
      String staged = "from-config/" + model.getTrainingJobName() + "/training/";
      List<String> keys =
          s3.listObjectsV2(r -> r.bucket(CONFIG_BUCKET).prefix(staged)).contents().stream()
              .map(o -> o.key())
              .collect(Collectors.toList());
      assertThat(keys, not(empty()));
      for (String key : keys) {
        assertThat(key, endsWith(".pbr.gz"));
        byte[] head = s3.getObjectAsBytes(r -> r.bucket(CONFIG_BUCKET).key(key)).asByteArray();
        assertThat(head[0] & 0xff, is(0x1f)); // gzip magic: the staged file really is compressed
        assertThat(head[1] & 0xff, is(0x8b));
      }
      assertThat(
          sageMaker
              .describeTrainingJob(r -> r.trainingJobName(model.getTrainingJobName()))
              .roleArn(),
          equalTo(ROLE));
      List<Row> rows = pipeline.transform(test).collectAsList();
      assertThat(rows.size(), is((int) test.count()));
      Row first = rows.get(0);
      assertThat(((Vector) first.getAs("pcaFeatures")).size(), is(20));
      assertThat(purity(rows, "closest_cluster"), greaterThan(0.3));
      new StagingArea(s3).deletePrefix(java.net.URI.create("s3://" + CONFIG_BUCKET + "/" + staged));
      assertThat(objectsUnder(CONFIG_BUCKET, staged), is(0L));
    } finally {
      new SageMakerResourceCleanup(sageMaker).deleteResources(model.getCreatedResources());
    }
  }

  @Test
  void sageMakerPcaFeedsSageMakerKMeansWithEndpointsCreatedOnTransform() {
    SageMakerEstimatorOptions onTransform =
        options().endpointCreationPolicy(EndpointCreationPolicy.CREATE_ON_TRANSFORM).build();
    PCASageMakerEstimator pca =
        new PCASageMakerEstimator(onTransform).setNumComponents(10).setFeatureDim(784);
    KMeansSageMakerEstimator kmeans =
        new KMeansSageMakerEstimator(
                onTransform.toBuilder()
                    .trainingSparkDataFormatOptions(Map.of("featuresColumnName", "projection"))
                    .build())
            .setK(10)
            .setFeatureDim(10);
    Set<String> before = endpoints();
    Dataset<Row> small = train.limit(1500);
    PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {pca, kmeans}).fit(small);
    SageMakerModel pcaModel = (SageMakerModel) pipeline.stages()[0];
    SageMakerModel kmeansStage = (SageMakerModel) pipeline.stages()[1];
    try {
      // fitting the pipeline transforms through the PCA model (to train K-Means), which creates its
      // endpoint; the last stage's endpoint waits for the pipeline's own transform
      assertThat(pcaModel.getEndpointName(), notNullValue());
      assertThat(kmeansStage.getEndpointName(), nullValue());
      assertThat(kmeansStage.getCreatedResources().isEmpty(), is(true));
      assertThat(endpoints().size(), is(before.size() + 1));

      Dataset<Row> out = pipeline.transform(test.limit(200));
      assertThat(kmeansStage.getEndpointName(), notNullValue());
      assertThat(endpoints(), hasItem(kmeansStage.getEndpointName()));
      assertThat(
          Arrays.asList(out.schema().fieldNames()),
          equalTo(
              List.of(
                  "label", "features", "projection", "distance_to_cluster", "closest_cluster")));
      assertThat(out.schema().apply("projection").dataType(), equalTo(SQLDataTypes.VectorType()));
      List<Row> rows = out.collectAsList();
      assertThat(rows.size(), is(200));
      assertThat(((Vector) rows.get(0).getAs("projection")).size(), is(10));
    } finally {
      SageMakerResourceCleanup cleanup = new SageMakerResourceCleanup(sageMaker);
      cleanup.deleteResources(pcaModel.getCreatedResources());
      cleanup.deleteResources(kmeansStage.getCreatedResources());
    }
    assertThat(endpoints(), equalTo(before));
  }

  @Test
  void doNotCreateAndTheFactories() {
    SageMakerModel kmeansModel = sharedKmeans();
    SageMakerEstimatorOptions doNotCreate =
        options().endpointCreationPolicy(EndpointCreationPolicy.DO_NOT_CREATE).build();
    Set<String> before = endpoints();
    // the trained K-Means artifact again, without hosting: nothing is created
    SageMakerModel fromJob =
        SageMakerModel.fromTrainingJob(
            kmeansModel.getTrainingJobName(),
            null,
            kmeansModel.getOptions().toBuilder()
                .endpointCreationPolicy(EndpointCreationPolicy.DO_NOT_CREATE)
                .build());
    assertThat(fromJob.getModelPath(), equalTo(kmeansModel.getModelPath()));
    assertThat(fromJob.getModelImage(), equalTo(kmeansModel.getModelImage()));
    assertThat(fromJob.getEndpointName(), nullValue());
    IllegalStateException noEndpoint =
        assertThrows(IllegalStateException.class, () -> fromJob.transform(test));
    assertThat(noEndpoint.getMessage(), containsString("DO_NOT_CREATE"));
    assertThat(endpoints(), equalTo(before));
    assertThat(doNotCreate.endpointCreationPolicy(), is(EndpointCreationPolicy.DO_NOT_CREATE));

    SageMakerModel fromPath =
        SageMakerModel.fromModelS3Path(
            kmeansModel.getModelPath(),
            kmeansModel.getModelImage(),
            kmeansModel.getOptions().toBuilder()
                .endpointCreationPolicy(EndpointCreationPolicy.CREATE_ON_CONSTRUCT)
                .build());
    try {
      assertThat(endpoints(), hasItem(fromPath.getEndpointName()));
      List<Row> a = fromPath.transform(test.limit(50)).collectAsList();
      List<Row> b = kmeansModel.transform(test.limit(50)).collectAsList();
      // the same artifact gives the same clusters as the model it was trained as
      assertThat(
          a.stream().map(r -> r.getDouble(3)).sorted().collect(Collectors.toList()),
          equalTo(b.stream().map(r -> r.getDouble(3)).sorted().collect(Collectors.toList())));
    } finally {
      new SageMakerResourceCleanup(sageMaker).deleteResources(fromPath.getCreatedResources());
    }
    assertThat(endpoints(), equalTo(before));
    RuntimeException gone =
        assertThrows(
            RuntimeException.class,
            () ->
                SageMakerModel.fromEndpoint("no-such-endpoint", kmeansModel.getOptions())
                    .getEndpointName());
    assertThat(gone.getMessage(), containsString("no-such-endpoint"));
  }

  @Test
  void genericEstimatorStagesLibSvmAndCsvForAnyImage() {
    for (String format : List.of("libsvm", "csv")) {
      SageMakerEstimator generic =
          new SageMakerEstimator(
              options()
                  .trainingImage(AlgorithmPreset.kmeans().imageUri(local.region()))
                  .hyperParameters(Map.of("k", "10", "feature_dim", "784"))
                  .trainingSparkDataFormat(format)
                  .requestRowSerializer(new ProtobufRequestRowSerializer())
                  .responseRowDeserializer(new KMeansProtobufResponseRowDeserializer())
                  .endpointCreationPolicy(EndpointCreationPolicy.DO_NOT_CREATE)
                  .build());
      Set<String> before = endpoints();
      SageMakerModel model = generic.fit(train.limit(1000));
      var job = sageMaker.describeTrainingJob(r -> r.trainingJobName(model.getTrainingJobName()));
      assertThat(
          job.inputDataConfig().get(0).contentType(),
          equalTo(format.equals("csv") ? "text/csv;label_size=1" : "text/libsvm"));
      assertThat(job.hyperParameters().get("k"), equalTo("10"));
      assertThat(model.getModelPath(), endsWith("/output/model.tar.gz"));
      // DO_NOT_CREATE: fit created no endpoint
      assertThat(model.getEndpointName(), nullValue());
      assertThat(model.getCreatedResources().isEmpty(), is(true));
      assertThat(endpoints(), equalTo(before));
    }
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> SageMakerEstimatorOptions.builder().trainingSparkDataFormat("parquet").build());
    assertThat(unknown.getMessage(), containsString("'parquet' is not supported"));
  }

  @Test
  void cleanupDeletesWhatAModelCreatedAndMayBeRepeated() {
    SageMakerModel kmeansModel = sharedKmeans();
    SageMakerModel hosted =
        SageMakerModel.fromModelS3Path(
            kmeansModel.getModelPath(),
            kmeansModel.getModelImage(),
            kmeansModel.getOptions().toBuilder()
                .endpointCreationPolicy(EndpointCreationPolicy.CREATE_ON_CONSTRUCT)
                .build());
    CreatedResources created = hosted.getCreatedResources();
    assertThat(endpoints(), hasItem(created.endpointName()));
    new SageMakerResourceCleanup(sageMaker).deleteResources(created);
    new SageMakerResourceCleanup(sageMaker).deleteResources(created); // idempotent
    assertThat(endpoints(), not(hasItem(created.endpointName())));
    assertThat(
        sageMaker.listEndpointConfigs(r -> r.maxResults(100)).endpointConfigs().stream()
            .map(c -> c.endpointConfigName())
            .collect(Collectors.toList()),
        not(hasItem(created.endpointConfigName())));
    assertThat(
        sageMaker.listModels(r -> r.maxResults(100)).models().stream()
            .map(m -> m.modelName())
            .collect(Collectors.toList()),
        not(hasItem(created.modelName())));
  }

  private static String rootMessages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }
}
