package dev.sagemakerbeam.tests;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.testing.MnistSample;
import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.sdk.IAMRole;
import dev.sagemakerbeam.sdk.S3ASettings;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.sdk.algorithms.XGBoostSageMakerEstimator;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.DeployEndpoint;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.inference.InvokeEndpoint;
import dev.sagemakerbeam.transforms.inference.PredictedElement;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The Spark ML stages, the {@code sagemaker} data source and a Beam pipeline on a Spark cluster
 * whose two executors are JVMs of their own ({@code local-cluster[2,1,1024]}: a Master and two
 * Workers from Spark's own classes, each Worker launching its executor process), the way users
 * outgrow {@code local[*]}: the client configuration, serializers and the inference engine cross
 * the JVM boundary, staging and scoring run in the executors, and the driver's SageMaker Local,
 * bound to all interfaces, serves them at an advertised address other than 127.0.0.1.
 *
 * <p>The cluster is a {@link LocalSparkCluster}: executors started without a Spark distribution,
 * with this JVM's classpath and Java 17 flags.
 */
class SparkClusterTest {
  @TempDir static Path dir;

  private static SageMakerLocal local;
  private static SageMakerClientConfiguration config;
  private static LocalSparkCluster cluster;
  private static SparkSession spark;
  private static final String DATA_BUCKET = "cluster-data";

  /**
   * An address of this machine that is not the loopback 127.0.0.1: a non-loopback interface's if
   * there is one, else 127.0.0.2 (all of 127.0.0.0/8 reaches the loopback interface on Linux).
   */
  private static final String ADVERTISED_HOST = advertisedHost();

  private static String advertisedHost() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
            return address.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      // fall through to the loopback alias
    }
    return "127.0.0.2";
  }

  @BeforeAll
  static void start() throws Exception {
    // bound to all interfaces and advertised by an address other than the bind address, as for
    // executors on other hosts: the client configuration the executors get names that address
    local =
        SageMakerLocal.builder()
            .dataDirectory(Files.createDirectories(dir.resolve("local")))
            .port(0)
            .s3Port(0)
            .bindAddress("0.0.0.0")
            .advertisedHost(ADVERTISED_HOST)
            .build();
    config = SageMakerLocalExtension.configurationFor(local);
    // the Workers' Spark home: SPARK_HOME, set for this module's tests in its pom
    cluster = LocalSparkCluster.start(2, "SparkClusterTest", dir, Map.of());
    spark = cluster.spark();
    S3ASettings.apply(spark, config);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      org.apache.hadoop.fs.FileSystem.closeAll();
      cluster.close();
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

  @Test
  void executorsReachSageMakerLocalByItsAdvertisedAddress() {
    assertThat(local.apiEndpoint().getHost(), is(ADVERTISED_HOST));
    assertThat(local.s3Endpoint().getHost(), is(ADVERTISED_HOST));
    assertThat(config.sageMakerEndpoint().getHost(), is(ADVERTISED_HOST));
    // each executor JVM opens its own connection to the advertised address
    SageMakerClientConfiguration shipped = config;
    MapPartitionsFunction<Row, String> ping =
        (Iterator<Row> rows) -> {
          try (SageMakerClient client = SageMakerClients.sageMaker(shipped)) {
            return List.of(
                    ProcessHandle.current().pid()
                        + " "
                        + client.listEndpoints(r -> r.maxResults(1)).sdkHttpResponse().statusCode())
                .iterator();
          }
        };
    List<String> answers =
        spark.range(4).toDF().repartition(4).mapPartitions(ping, Encoders.STRING()).collectAsList();
    assertThat(answers.size(), is(4));
    assertThat(
        answers.stream().map(a -> a.split(" ")[1]).collect(Collectors.toSet()), is(Set.of("200")));
    assertThat(
        answers.stream().map(a -> a.split(" ")[0]).collect(Collectors.toSet()).size(),
        greaterThanOrEqualTo(2));
  }

  @Test
  void theSageMakerDataSourceWritesAndReadsFromTheExecutors() {
    try (S3Client s3 = SageMakerClients.s3(config)) {
      s3.createBucket(r -> r.bucket(DATA_BUCKET));
      Dataset<Row> digits = libsvm("mnist", "mnist-train.libsvm.gz", 784).limit(400).repartition(4);
      String path = "s3a://" + DATA_BUCKET + "/records/";
      digits.write().format("sagemaker").mode(SaveMode.Overwrite).save(path);

      List<String> parts =
          s3.listObjectsV2(r -> r.bucket(DATA_BUCKET).prefix("records/")).contents().stream()
              .map(S3Object::key)
              .filter(k -> k.contains("part-"))
              .collect(Collectors.toList());
      assertThat(parts.size(), greaterThanOrEqualTo(2));

      Dataset<Row> back = spark.read().format("sagemaker").load(path);
      assertThat(back.count(), is(400L));
      double labels = digits.agg(functions.sum("label")).first().getDouble(0);
      assertThat(back.agg(functions.sum("label")).first().getDouble(0), is(labels));
      // the features too: the same multiset of (label, non-zero count) pairs
      assertThat(
          fingerprints(back.select("label", "features")),
          is(fingerprints(digits.select("label", "features"))));
    }
  }

  private static List<String> fingerprints(Dataset<Row> rows) {
    return rows.collectAsList().stream()
        .map(r -> r.getDouble(0) + ":" + ((Vector) r.get(1)).numNonzeros())
        .sorted()
        .collect(Collectors.toList());
  }

  @Test
  void aBeamPipelineTrainsHostsAndScoresOnTheCluster() {
    List<LabeledExample> train = SparkRunnerPipelines.labelled(MnistSample.train(), 1000);
    List<LabeledExample> test = SparkRunnerPipelines.labelled(MnistSample.test(), 200);
    // Beam's Spark runner in the cluster's context: its tasks run in the executor JVMs
    Pipeline p =
        SparkRunnerPipelines.pipeline(JavaSparkContext.fromSparkContext(spark.sparkContext()));
    String role = "arn:aws:iam::" + SageMakerLocal.ACCOUNT_ID + ":role/R";
    DeployEndpoint deploy = SparkRunnerPipelines.deploy(config, role);
    InvokeEndpoint.Result<LabeledExample, KMeansPrediction> scored =
        SparkRunnerPipelines.kmeansTrainHostScore(p, config, role, deploy, train, test);
    PAssert.that(scored.failures()).empty();
    PAssert.that(scored.successes())
        .satisfies(
            results -> {
              int n = 0;
              for (PredictedElement<LabeledExample, KMeansPrediction> r : results) {
                assertThat(r.prediction().closestCluster() >= 0, is(true));
                assertThat(r.prediction().closestCluster() < 10, is(true));
                n++;
              }
              assertThat(n, is(200));
              return null;
            });
    try {
      SparkRunnerPipelines.runAndCheckAssertions(p, 2);
    } finally {
      try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
        new SageMakerResourceCleanup(client).deleteResources(deploy.plannedResources());
      }
    }
  }
}
