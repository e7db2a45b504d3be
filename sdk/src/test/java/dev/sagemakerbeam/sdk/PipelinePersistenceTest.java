package dev.sagemakerbeam.sdk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.sdk.algorithms.FactorizationMachinesBinaryClassifier;
import dev.sagemakerbeam.sdk.algorithms.FactorizationMachinesRegressor;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.sdk.algorithms.LDASageMakerEstimator;
import dev.sagemakerbeam.sdk.algorithms.LinearLearnerBinaryClassifier;
import dev.sagemakerbeam.sdk.algorithms.LinearLearnerMultiClassClassifier;
import dev.sagemakerbeam.sdk.algorithms.LinearLearnerRegressor;
import dev.sagemakerbeam.sdk.algorithms.PCASageMakerEstimator;
import dev.sagemakerbeam.sdk.algorithms.XGBoostSageMakerEstimator;
import dev.sagemakerbeam.sdk.serializers.LibSVMRequestRowSerializer;
import dev.sagemakerbeam.transforms.config.AwsCredentialsSpec;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.CreatedResources;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import example.persistence.ClusterOnlyDeserializer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.PCAModel;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.EndpointSummary;

/**
 * Spark ML persistence of SageMaker stages: every estimator's Params and options survive save and
 * load; Pipelines with Spark PCA and SageMaker K-Means, and with two SageMaker stages, are saved,
 * loaded in a new session and in a JVM of their own, and transform to the same predictions against
 * the same endpoints (or re-host a deleted one); the saved files hold no secret; a user's own
 * deserializer class is saved by name and must be loadable.
 */
class PipelinePersistenceTest {
  private static final String ACCESS_KEY = "AKIAPERSISTENCE0TEST";
  private static final String SECRET_KEY = "persistence-secret-8f3Kq2ZrW7";
  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static SageMakerLocal local;
  private static SageMakerClientConfiguration config;
  private static SageMakerClient sageMaker;
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void start() throws Exception {
    local =
        SageMakerLocal.builder()
            .dataDirectory(Files.createDirectories(dir.resolve("local")))
            .port(0)
            .s3Port(0)
            .credentials(ACCESS_KEY, SECRET_KEY)
            .build();
    config =
        SageMakerClientConfiguration.forLocal(
            local.apiEndpoint(),
            local.runtimeEndpoint(),
            local.s3Endpoint(),
            local.stsEndpoint(),
            local.region(),
            ACCESS_KEY,
            SECRET_KEY);
    sageMaker = SageMakerClients.sageMaker(config);
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("PipelinePersistenceTest")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    train = mnist("mnist-train.libsvm.gz").limit(1500).repartition(2).cache();
    test =
        mnist("mnist-test.libsvm.gz")
            .limit(200)
            .withColumn("id", functions.monotonically_increasing_id())
            .cache();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (sageMaker != null) {
      sageMaker.close();
    }
    if (local != null) {
      local.close();
    }
  }

  private static Dataset<Row> mnist(String file) {
    return spark
        .read()
        .format("libsvm")
        .option("numFeatures", "784")
        .load(Path.of("..", "data", "mnist", file).toString());
  }

  private static SageMakerEstimatorOptions.Builder options() {
    return SageMakerEstimatorOptions.builder()
        .clientConfiguration(config)
        .roleArn(ROLE)
        .pollInterval(Duration.ofMillis(100))
        .trainingTimeout(Duration.ofMinutes(5))
        .endpointTimeout(Duration.ofMinutes(2));
  }

  private static Set<String> endpoints() {
    return sageMaker.listEndpoints(r -> r.maxResults(100)).endpoints().stream()
        .map(EndpointSummary::endpointName)
        .collect(Collectors.toSet());
  }

  /** id -> the value of {@code column}, for comparing predictions row by row. */
  private static Map<Long, Object> byId(Dataset<Row> rows, String column) {
    return rows.select("id", column).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getLong(0), r -> r.get(1)));
  }

  // ---- estimators ----

  @Test
  void everyEstimatorKeepsItsClassParamsAndOptionsAndNeverItsKeys() throws Exception {
    SageMakerEstimatorOptions rich =
        options()
            .sagemakerRole(new IAMRoleFromConfig("my.role.key"))
            .trainingInputS3DataPath(new S3DataPath("in-bucket", "staging/here"))
            .trainingOutputS3DataPath(new S3PathFromConfig("my.output.key"))
            .namePolicyFactory(NamePolicyFactory.withPrefix("saved-stage"))
            .endpointCreationPolicy(EndpointCreationPolicy.CREATE_ON_TRANSFORM)
            .endpointInstanceType("ml.c5.xlarge")
            .trainingInstanceCount(2)
            .trainingCompressionCodec("gzip")
            .trainingSparkDataFormatOptions(Map.of("featuresColumnName", "f"))
            .trainingProjectedColumns(List.of("label", "f"))
            .modelEnvironmentVariables(Map.of("SAGEMAKER_MODEL_SERVER_WORKERS", "2"))
            .modelErrorColumnName("error")
            .validationIndicatorColumnName("isValidation")
            .maxRecordsPerRequest(77)
            .useBatchTransform(true)
            .batchTransformMaxPayloadInMB(3)
            .batchTransformS3DataPath(new S3DataPath("batch-bucket", "jobs"))
            .hyperParameters(Map.of("extra_param", "x"))
            .build();
    List<SageMakerEstimator> estimators =
        List.of(
            new KMeansSageMakerEstimator(rich).setK(7).setFeatureDim(5),
            new PCASageMakerEstimator(rich).setNumComponents(3).setFeatureDim(5),
            new XGBoostSageMakerEstimator(rich).setNumRound(3).setBooster("dart"),
            new LinearLearnerBinaryClassifier(rich).setFeatureDim(5),
            new LinearLearnerMultiClassClassifier(rich).setFeatureDim(5).setNumClasses(3),
            new LinearLearnerRegressor(rich).setFeatureDim(5),
            new FactorizationMachinesBinaryClassifier(rich).setFeatureDim(5).setNumFactors(4),
            new FactorizationMachinesRegressor(rich).setFeatureDim(5).setNumFactors(4),
            new LDASageMakerEstimator(rich).setFeatureDim(5).setNumTopics(2).setMiniBatchSize(10),
            new SageMakerEstimator(
                rich.toBuilder()
                    .trainingImage("123456789012.dkr.ecr.us-west-2.amazonaws.com/mine:1")
                    .requestRowSerializer(new LibSVMRequestRowSerializer())
                    .responseRowDeserializer(new ClusterOnlyDeserializer("c"))
                    .build()));
    for (SageMakerEstimator estimator : estimators) {
      String path = dir.resolve("estimators").resolve(estimator.uid()).toString();
      estimator.save(path);
      SageMakerEstimator loaded = SageMakerEstimator.load(path);
      assertThat(loaded.getClass(), equalTo(estimator.getClass()));
      assertThat(loaded.uid(), equalTo(estimator.uid()));
      for (Param<?> p : estimator.params()) {
        assertThat(p.name(), loaded.isSet(loaded.getParam(p.name())), is(estimator.isSet(p)));
        if (estimator.isDefined(p)) {
          assertThat(
              p.name(),
              Objects.deepEquals(
                  loaded.getOrDefault(loaded.getParam(p.name())), estimator.getOrDefault(p)),
              is(true));
        }
      }
      assertThat(loaded.hyperParameters(), equalTo(estimator.hyperParameters()));
      ObjectNode saved = StagePersistence.optionsToJson(estimator.getOptions());
      ObjectNode back = StagePersistence.optionsToJson(loaded.getOptions());
      // static keys are never saved: the loaded stage takes the default credential chain
      assertThat(
          back.at("/clientConfiguration/credentials/kind").asText(), equalTo("DEFAULT_CHAIN"));
      assertThat(
          loaded.getOptions().clientConfiguration().credentials().kind(),
          equalTo(AwsCredentialsSpec.Kind.DEFAULT_CHAIN));
      ((ObjectNode) saved.get("clientConfiguration")).remove("credentials");
      ((ObjectNode) back.get("clientConfiguration")).remove("credentials");
      assertThat(estimator.getClass().getSimpleName(), back, equalTo(saved));
      assertNoSecret(Path.of(path));
    }

    // the class's own load is typed, and refuses another class's directory
    Path kmeansPath = dir.resolve("estimators").resolve(estimators.get(0).uid());
    KMeansSageMakerEstimator kmeans = KMeansSageMakerEstimator.load(kmeansPath.toString());
    assertThat(kmeans.getK(), is(7));
    IllegalArgumentException wrong =
        assertThrows(
            IllegalArgumentException.class,
            () -> PCASageMakerEstimator.load(kmeansPath.toString()));
    assertThat(wrong.getMessage(), containsString("KMeansSageMakerEstimator"));
    // as in Spark: saving over a path needs overwrite()
    IOException exists =
        assertThrows(IOException.class, () -> estimators.get(0).save(kmeansPath.toString()));
    assertThat(exists.getMessage(), containsString("already exists"));
    ((KMeansSageMakerEstimator) estimators.get(0)).setK(9);
    estimators.get(0).write().overwrite().save(kmeansPath.toString());
    assertThat(KMeansSageMakerEstimator.load(kmeansPath.toString()).getK(), is(9));
  }

  // ---- pipelines ----

  @Test
  void sparkPcaThenSageMakerKMeansIsSavedAndLoadedInAJvmOfItsOwn() throws Exception {
    PCA sparkPca = new PCA().setInputCol("features").setOutputCol("pcaFeatures").setK(20);
    KMeansSageMakerEstimator kmeans =
        new KMeansSageMakerEstimator(
                options()
                    .trainingSparkDataFormatOptions(Map.of("featuresColumnName", "pcaFeatures"))
                    .build())
            .setK(10)
            .setFeatureDim(20);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {sparkPca, kmeans});
    String pipelinePath = dir.resolve("pca-kmeans-pipeline").toString();
    pipeline.save(pipelinePath);
    // saved stages hold no keys: in this JVM, give the configuration back after loading
    Pipeline loadedPipeline =
        SageMakerStages.useClientConfiguration(Pipeline.load(pipelinePath), config);
    assertThat(loadedPipeline.getStages()[1], instanceOf(KMeansSageMakerEstimator.class));
    assertThat(((KMeansSageMakerEstimator) loadedPipeline.getStages()[1]).getK(), is(10));

    PipelineModel fitted = loadedPipeline.fit(train);
    SageMakerModel model = (SageMakerModel) fitted.stages()[1];
    try {
      Map<Long, Object> expected = byId(fitted.transform(test), "closest_cluster");
      String modelPath = dir.resolve("pca-kmeans-model").toString();
      fitted.save(modelPath);
      assertNoSecret(Path.of(modelPath));

      // a new session in this JVM
      PipelineModel again =
          SageMakerStages.useClientConfiguration(
              PipelineModel.read().session(spark.newSession()).load(modelPath), config);
      assertThat(again.stages()[0], instanceOf(PCAModel.class));
      SageMakerModel loaded = (SageMakerModel) again.stages()[1];
      assertThat(loaded.getEndpointName(), equalTo(model.getEndpointName()));
      assertThat(loaded.getModelPath(), equalTo(model.getModelPath()));
      assertThat(loaded.getTrainingJobName(), equalTo(model.getTrainingJobName()));
      assertThat(loaded.trainingMetrics(), equalTo(model.trainingMetrics()));
      assertThat(byId(again.transform(test), "closest_cluster"), equalTo(expected));

      // a JVM of its own, whose only credentials are the system properties it starts with
      Set<String> before = endpoints();
      String input = dir.resolve("pca-kmeans-input").toString();
      test.write().parquet(input);
      String output = dir.resolve("pca-kmeans-output").toString();
      runInNewJvm(modelPath, input, output, "closest_cluster");
      Map<Long, Object> fromOtherJvm = new java.util.HashMap<>();
      for (Row r : spark.read().json(output).collectAsList()) {
        fromOtherJvm.put(
            r.getLong(r.fieldIndex("id")), r.getDouble(r.fieldIndex("closest_cluster")));
      }
      assertThat(fromOtherJvm, equalTo(expected));
      assertThat("the loaded model used the saved endpoint", endpoints(), equalTo(before));
    } finally {
      new SageMakerResourceCleanup(sageMaker).deleteResources(model.getCreatedResources());
    }
  }

  @Test
  void twoSageMakerStagesLoadedInANewSessionReHostTheEndpointThatWasDeleted() throws Exception {
    PCASageMakerEstimator pca =
        new PCASageMakerEstimator(options().build()).setNumComponents(10).setFeatureDim(784);
    KMeansSageMakerEstimator kmeans =
        new KMeansSageMakerEstimator(
                options()
                    .trainingSparkDataFormatOptions(Map.of("featuresColumnName", "projection"))
                    .responseRowDeserializer(new ClusterOnlyDeserializer("cluster"))
                    .build())
            .setK(10)
            .setFeatureDim(10);
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {pca, kmeans}).fit(train);
    SageMakerModel pcaModel = (SageMakerModel) fitted.stages()[0];
    SageMakerModel kmeansModel = (SageMakerModel) fitted.stages()[1];
    SageMakerModel rehosted = null;
    SageMakerResourceCleanup cleanup = new SageMakerResourceCleanup(sageMaker);
    try {
      Map<Long, Object> expected = byId(fitted.transform(test), "cluster");
      String modelPath = dir.resolve("pca-kmeans-sagemaker").toString();
      fitted.save(modelPath);
      assertNoSecret(Path.of(modelPath));
      String goneEndpoint = kmeansModel.getEndpointName();
      cleanup.deleteResources(kmeansModel.getCreatedResources());
      assertThat(endpoints(), not(hasItem(goneEndpoint)));

      PipelineModel loaded =
          SageMakerStages.useClientConfiguration(
              PipelineModel.read().session(spark.newSession()).load(modelPath), config);
      rehosted = (SageMakerModel) loaded.stages()[1];
      assertThat(
          rehosted.getOptions().responseRowDeserializer(),
          instanceOf(ClusterOnlyDeserializer.class));
      assertThat(byId(loaded.transform(test), "cluster"), equalTo(expected));
      SageMakerModel loadedPca = (SageMakerModel) loaded.stages()[0];
      assertThat(loadedPca.getEndpointName(), equalTo(pcaModel.getEndpointName()));
      assertThat(rehosted.getEndpointName(), notNullValue());
      assertThat(rehosted.getEndpointName(), not(equalTo(goneEndpoint)));
      assertThat(endpoints(), hasItem(rehosted.getEndpointName()));
    } finally {
      cleanup.deleteResources(pcaModel.getCreatedResources());
      if (rehosted != null
          && !rehosted.getCreatedResources().equals(kmeansModel.getCreatedResources())) {
        cleanup.deleteResources(rehosted.getCreatedResources());
      }
    }
  }

  /**
   * Only the endpoint of a saved model was deleted: the loaded model hosts its artifact again with
   * the model and endpoint config it had created (they still exist), lists them among its created
   * resources beside the new endpoint, and cleaning it up leaves none of them behind.
   */
  @Test
  void aLoadedModelWhoseEndpointAloneWasDeletedUsesItsModelAndConfigAndCleansThemUp()
      throws Exception {
    SageMakerModel model =
        new KMeansSageMakerEstimator(options().build()).setK(10).setFeatureDim(784).fit(train);
    SageMakerResourceCleanup cleanup = new SageMakerResourceCleanup(sageMaker);
    CreatedResources saved = model.getCreatedResources();
    SageMakerModel loaded = null;
    try {
      Map<Long, Object> expected = byId(model.transform(test), "closest_cluster");
      String path = dir.resolve("kmeans-endpoint-deleted").toString();
      model.save(path);
      sageMaker.deleteEndpoint(r -> r.endpointName(saved.endpointName()));
      assertThat(endpoints(), not(hasItem(saved.endpointName())));

      loaded = SageMakerStages.useClientConfiguration(SageMakerModel.load(path), config);
      assertThat(byId(loaded.transform(test), "closest_cluster"), equalTo(expected));
      CreatedResources now = loaded.getCreatedResources();
      assertThat(now.modelName(), equalTo(saved.modelName()));
      assertThat(now.endpointConfigName(), equalTo(saved.endpointConfigName()));
      assertThat(now.endpointName(), not(equalTo(saved.endpointName())));
      assertThat(loaded.getEndpointName(), equalTo(now.endpointName()));
      assertThat(models(), hasItem(saved.modelName()));

      cleanup.deleteResources(now);
      assertThat(models(), not(hasItem(saved.modelName())));
      assertThat(endpointConfigs(), not(hasItem(saved.endpointConfigName())));
      assertThat(endpoints(), not(hasItem(now.endpointName())));
    } finally {
      if (loaded == null) {
        cleanup.deleteResources(saved);
      }
    }
  }

  private static Set<String> models() {
    return sageMaker.listModels(r -> r.maxResults(100)).models().stream()
        .map(m -> m.modelName())
        .collect(Collectors.toSet());
  }

  private static Set<String> endpointConfigs() {
    return sageMaker.listEndpointConfigs(r -> r.maxResults(100)).endpointConfigs().stream()
        .map(c -> c.endpointConfigName())
        .collect(Collectors.toSet());
  }

  @Test
  void aDeserializerClassThatIsNotOnTheClasspathFailsTheLoadNamingIt() throws Exception {
    SageMakerModel model =
        SageMakerModel.fromModelS3Path(
            "s3://some-bucket/model.tar.gz",
            "174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1",
            options()
                .endpointCreationPolicy(EndpointCreationPolicy.DO_NOT_CREATE)
                .requestRowSerializer(new LibSVMRequestRowSerializer())
                .responseRowDeserializer(new ClusterOnlyDeserializer("mine"))
                .build());
    Path path = dir.resolve("user-deserializer");
    model.save(path.toString());
    SageMakerModel loaded = SageMakerModel.load(path.toString());
    assertThat(
        ((ClusterOnlyDeserializer) loaded.getOptions().responseRowDeserializer()).column(),
        equalTo("mine"));
    assertThat(loaded.getCreatedResources(), equalTo(CreatedResources.none()));
    IllegalStateException noEndpoint =
        assertThrows(IllegalStateException.class, () -> loaded.transform(test));
    assertThat(noEndpoint.getMessage(), containsString("DO_NOT_CREATE"));

    // as when the user's jar is missing: the saved class name cannot be loaded
    Path part = sagemakerPart(path);
    Files.writeString(
        part,
        Files.readString(part)
            .replace(
                "\"class\":\"" + ClusterOnlyDeserializer.class.getName() + "\"",
                "\"class\":\"example.missing.GoneDeserializer\""));
    Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> SageMakerModel.load(path.toString()));
    assertThat(missing.getMessage(), containsString("example.missing.GoneDeserializer"));
    assertThat(missing.getMessage(), containsString("not on the classpath"));
  }

  // ---- helpers ----

  private static Path sagemakerPart(Path stage) throws IOException {
    try (Stream<Path> files = Files.list(stage.resolve(StagePersistence.SAGEMAKER_DIR))) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("part-"))
          .findFirst()
          .orElseThrow();
    }
  }

  /**
   * No file under {@code root} holds the access key or the secret, in clear or inside a saved
   * component's serialized state.
   */
  private static void assertNoSecret(Path root) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).collect(Collectors.toList());
    }
    assertThat(files.isEmpty(), is(false));
    for (Path f : files) {
      String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      assertThat(f.toString(), text, not(containsString(SECRET_KEY)));
      assertThat(f.toString(), text, not(containsString(ACCESS_KEY)));
      if (f.getParent().getFileName().toString().equals(StagePersistence.SAGEMAKER_DIR)
          && f.getFileName().toString().startsWith("part-")) {
        List<String> blobs = new ArrayList<>();
        collectSerialized(JSON.readTree(text), blobs);
        for (String blob : blobs) {
          String state = new String(Base64.getDecoder().decode(blob), StandardCharsets.ISO_8859_1);
          assertThat(state, not(containsString(SECRET_KEY)));
          assertThat(state, not(containsString(ACCESS_KEY)));
        }
      }
    }
  }

  private static void collectSerialized(JsonNode node, List<String> blobs) {
    if (node.has("javaSerialized")) {
      blobs.add(node.get("javaSerialized").asText());
    }
    node.elements().forEachRemaining(child -> collectSerialized(child, blobs));
  }

  private static void runInNewJvm(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports"))
        .forEach(command::add);
    command.add("-Daws.accessKeyId=" + ACCESS_KEY);
    command.add("-Daws.secretAccessKey=" + SECRET_KEY);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LoadAndTransformMain.class.getName());
    command.addAll(List.of(args));
    Path log = dir.resolve("child-jvm.log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean done = process.waitFor(3, TimeUnit.MINUTES);
    if (!done) {
      process.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat("the other JVM finished:\n" + output, done, is(true));
    assertThat("the other JVM succeeded:\n" + output, process.exitValue(), is(0));
  }
}
