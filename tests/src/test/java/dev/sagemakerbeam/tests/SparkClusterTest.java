package dev.sagemakerbeam.tests;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.sdk.IAMRole;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.sdk.algorithms.XGBoostSageMakerEstimator;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The Spark ML stages on a Spark cluster whose two executors are JVMs of their own ({@code
 * local-cluster[2,1,1024]}: a Master and two Workers from Spark's own classes, each Worker
 * launching its executor process), the way users outgrow {@code local[*]}: the client
 * configuration, serializers and the inference engine cross the JVM boundary, staging runs in the
 * executors, and the driver's SageMaker Local serves them on loopback.
 *
 * <p>Executors start without a Spark distribution once {@code SPARK_HOME} names a directory with an
 * (empty) {@code jars/} and {@code SPARK_SCALA_VERSION} is set (here through {@code
 * spark.executorEnv.*}); they get this JVM's classpath and Java 17 flags.
 */
class SparkClusterTest {
  @TempDir static Path dir;

  private static SageMakerLocal local;
  private static SageMakerClientConfiguration config;
  private static SparkSession spark;

  @BeforeAll
  static void start() throws Exception {
    local =
        SageMakerLocal.builder()
            .dataDirectory(Files.createDirectories(dir.resolve("local")))
            .port(0)
            .s3Port(0)
            .build();
    config =
        SageMakerClientConfiguration.forLocal(
            local.apiEndpoint(),
            local.runtimeEndpoint(),
            local.s3Endpoint(),
            local.stsEndpoint(),
            local.region(),
            local.credentials().accessKeyId(),
            local.credentials().secretAccessKey());
    // the Workers' Spark home (SPARK_HOME, set for this module's tests in its pom): an empty jars/
    String home = System.getenv("SPARK_HOME");
    Path sparkHome = home != null ? Path.of(home) : dir.resolve("spark-home");
    Files.createDirectories(sparkHome.resolve("jars"));
    String javaFlags =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect"))
            .collect(Collectors.joining(" "));
    spark =
        SparkSession.builder()
            .master("local-cluster[2,1,1024]")
            .appName("SparkClusterTest")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.executorEnv.SPARK_HOME", sparkHome.toString())
            .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.12")
            .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
            .config("spark.executor.extraJavaOptions", javaFlags)
            .getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (local != null) {
      local.close();
    }
  }

  private static Dataset<Row> libsvm(String dataSet, String file, int features) {
    return spark
        .read()
        .format("libsvm")
        .option("numFeatures", Integer.toString(features))
        .load(Path.of("..", "data", dataSet, file).toAbsolutePath().toString());
  }

  private static SageMakerEstimatorOptions options() {
    return SageMakerEstimatorOptions.builder()
        .clientConfiguration(config)
        .sagemakerRole(new IAMRole("arn:aws:iam::" + SageMakerLocal.ACCOUNT_ID + ":role/R"))
        .pollInterval(Duration.ofMillis(100))
        .trainingTimeout(Duration.ofMinutes(5))
        .endpointTimeout(Duration.ofMinutes(2))
        .build();
  }

  /** The process ids of the JVMs that ran the partitions of {@code data}. */
  private static Set<Long> executorPids(Dataset<Row> data) {
    MapPartitionsFunction<Row, Long> pid =
        (Iterator<Row> rows) -> List.of(ProcessHandle.current().pid()).iterator();
    return Set.copyOf(data.mapPartitions(pid, Encoders.LONG()).collectAsList());
  }

  @Test
  void kmeansAndXGBoostFitAndTransformAcrossTwoExecutorJvms() {
    Dataset<Row> train = libsvm("mnist", "mnist-train.libsvm.gz", 784).limit(1000).repartition(4);
    Dataset<Row> test = libsvm("mnist", "mnist-test.libsvm.gz", 784).limit(200).repartition(4);
    Dataset<Row> cancerTrain =
        libsvm("breast-cancer", "breast-cancer-train.libsvm", 30).repartition(2);
    Dataset<Row> cancerTest = libsvm("breast-cancer", "breast-cancer-test.libsvm", 30);
    Set<Long> pids = executorPids(train);
    assertThat(pids.size(), greaterThanOrEqualTo(2));
    assertThat(pids, not(hasItem(ProcessHandle.current().pid())));

    SageMakerModel kmeans = null;
    SageMakerModel xgboost = null;
    try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
      try {
        kmeans =
            new KMeansSageMakerEstimator(options())
                .setK(10)
                .setFeatureDim(784)
                .setMiniBatchSize(500)
                .fit(train);
        Dataset<Row> clustered = kmeans.transform(test);
        assertThat(clustered.count(), is(200L));
        assertThat(
            clustered.filter("closest_cluster >= 0 AND closest_cluster < 10").count(), is(200L));

        xgboost =
            new XGBoostSageMakerEstimator(options())
                .setObjective("binary:logistic")
                .setNumRound(20)
                .setMaxDepth(4)
                .setTreeMethod("hist")
                .fit(cancerTrain);
        Dataset<Row> scored = xgboost.transform(cancerTest);
        long right = scored.filter("(prediction > 0.5) = (label = 1.0)").count();
        assertThat(scored.count(), equalTo(100L));
        assertThat(right, greaterThanOrEqualTo(93L));
      } finally {
        SageMakerResourceCleanup cleanup = new SageMakerResourceCleanup(client);
        for (SageMakerModel m : new SageMakerModel[] {kmeans, xgboost}) {
          if (m != null) {
            cleanup.deleteResources(m.getCreatedResources());
          }
        }
      }
    }
  }
}
