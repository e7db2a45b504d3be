package dev.sagemakerbeam.examples;

import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.sdk.IAMRole;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * What every example needs before its own part: SageMaker Local started in this process (or, with
 * {@code --aws}, the default AWS credential and region chains), a local SparkSession, MNIST train
 * and test tables, and estimator options pointing at them. Closing it stops Spark and SageMaker
 * Local.
 *
 * <p>Arguments every example takes: {@code [--data DIR] [--train-rows N] [--test-rows N] [--master
 * URL] [--advertise HOST] [--aws --role ARN]}. {@code --data} is a directory with {@code
 * mnist-train.libsvm.gz} and {@code mnist-test.libsvm.gz} (default: the project's {@code
 * data/mnist}), read by the executors at the same path. {@code --master} is the Spark master
 * (default: the one {@code spark-submit} set, else {@code local[*]}). {@code --advertise} binds
 * SageMaker Local to all interfaces and hands executors URIs with that host name or address, for
 * executors on other machines; without it SageMaker Local listens on 127.0.0.1, which executors on
 * this machine (a {@code local-cluster} or a standalone cluster here) reach too.
 */
final class ExampleSession implements AutoCloseable {
  final SparkSession spark;
  final SageMakerClientConfiguration config;
  final String role;
  final boolean aws;

  /** The first {@code --train-rows} (default 4000) MNIST training digits: label, features (784). */
  final Dataset<Row> train;

  /** The MNIST test digits, the first {@code --test-rows} if given. */
  final Dataset<Row> test;

  private final SageMakerLocal local;
  private final Path data;

  private ExampleSession(
      SparkSession spark,
      SageMakerClientConfiguration config,
      String role,
      boolean aws,
      Dataset<Row> train,
      Dataset<Row> test,
      SageMakerLocal local,
      Path data) {
    this.data = data;
    this.spark = spark;
    this.config = config;
    this.role = role;
    this.aws = aws;
    this.train = train;
    this.test = test;
    this.local = local;
  }

  /** Starts SageMaker Local (unless {@code --aws}) and Spark, and reads MNIST, per {@code args}. */
  static ExampleSession start(String exampleName, String[] args) throws Exception {
    Map<String, String> opts = parse(exampleName, args);
    Path data = opts.containsKey("data") ? Path.of(opts.get("data")) : findProjectData();
    int trainRows = Integer.parseInt(opts.getOrDefault("train-rows", "4000"));
    boolean aws = opts.containsKey("aws");
    if (aws && !opts.containsKey("role")) {
      throw new IllegalArgumentException(
          "--aws needs --role arn:aws:iam::<account>:role/<SageMaker execution role>");
    }

    SageMakerLocal local = null;
    SageMakerClientConfiguration config;
    String role;
    if (aws) {
      config =
          SageMakerClientConfiguration.builder().build(); // default credential and region chains
      role = opts.get("role");
    } else {
      SageMakerLocal.Builder builder =
          SageMakerLocal.builder().temporaryDataDirectory().port(0).s3Port(0);
      if (opts.containsKey("advertise")) {
        builder.bindAddress("0.0.0.0").advertisedHost(opts.get("advertise"));
      }
      local = builder.build();
      System.out.println("SageMaker Local is running at " + local.apiEndpoint());
      config =
          SageMakerClientConfiguration.forLocal(
              local.apiEndpoint(),
              local.runtimeEndpoint(),
              local.s3Endpoint(),
              local.stsEndpoint(),
              local.region(),
              local.credentials().accessKeyId(),
              local.credentials().secretAccessKey());
      role = "arn:aws:iam::" + SageMakerLocal.ACCOUNT_ID + ":role/SageMakerRole";
    }

    SparkSession.Builder sparkBuilder =
        SparkSession.builder().appName(exampleName).config("spark.ui.enabled", "false");
    if (opts.containsKey("master")) {
      sparkBuilder.master(opts.get("master"));
      if (opts.get("master").startsWith("local-cluster")) {
        localClusterExecutors(sparkBuilder);
      }
    } else if (System.getProperty("spark.master") == null) {
      sparkBuilder.master("local[*]"); // spark-submit sets spark.master; run alone, local[*]
    }
    SparkSession spark = sparkBuilder.getOrCreate();
    System.out.println("Spark master " + spark.sparkContext().master());
    // log levels: src/main/resources/log4j2.properties (Spark at WARN, this library's progress at
    // INFO)
    Dataset<Row> train =
        spark
            .read()
            .format("libsvm")
            .option("numFeatures", "784")
            .load(data.resolve("mnist-train.libsvm.gz").toString())
            .limit(trainRows);
    Dataset<Row> test =
        spark
            .read()
            .format("libsvm")
            .option("numFeatures", "784")
            .load(data.resolve("mnist-test.libsvm.gz").toString());
    if (opts.containsKey("test-rows")) {
      test = test.limit(Integer.parseInt(opts.get("test-rows")));
    }
    return new ExampleSession(spark, config, role, aws, train, test, local, data);
  }

  /**
   * A {@code local-cluster} started from this JVM's classpath rather than from a Spark
   * distribution: see {@link LocalClusterExecutors}.
   */
  private static void localClusterExecutors(SparkSession.Builder builder) throws Exception {
    String home = System.getenv("SPARK_HOME");
    if (home == null) {
      throw new IllegalArgumentException(
          "--master local-cluster[...] needs SPARK_HOME set to a directory (with a jars/"
              + " subdirectory, which may be empty) for Spark's Workers to launch executors from;"
              + " the quickstart profile sets it to examples/target/spark-home");
    }
    LocalClusterExecutors.configure(builder, Path.of(home), "");
  }

  /**
   * Another LibSVM data set of the project's {@code data/} (beside the MNIST directory), for
   * example {@code libsvm("breast-cancer", "breast-cancer-train.libsvm", 30)}.
   */
  Dataset<Row> libsvm(String dataSet, String file, int features) {
    Path dir = data.toAbsolutePath().getParent().resolve(dataSet);
    if (!Files.exists(dir.resolve(file))) {
      throw new IllegalArgumentException(
          "no " + file + " in " + dir + "; the data sets live in the project's data/ directory");
    }
    return spark
        .read()
        .format("libsvm")
        .option("numFeatures", Integer.toString(features))
        .load(dir.resolve(file).toString());
  }

  /** Options with this session's clients, role and instance types; examples add their own. */
  SageMakerEstimatorOptions.Builder options() {
    return SageMakerEstimatorOptions.builder()
        .clientConfiguration(config)
        .sagemakerRole(new IAMRole(role))
        .trainingInstanceType("ml.m5.large")
        .endpointInstanceType("ml.m5.large")
        .pollInterval(aws ? Duration.ofSeconds(10) : Duration.ofMillis(200));
  }

  /**
   * The region the examples run in: SageMaker Local's, or the default region chain's with {@code
   * --aws}.
   */
  String region() {
    return SageMakerClients.resolveRegion(config);
  }

  /**
   * Deletes the endpoint, endpoint config and model each of {@code models} created (nulls skipped).
   */
  void deleteCreatedResources(SageMakerModel... models) {
    try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
      SageMakerResourceCleanup cleanup = new SageMakerResourceCleanup(client);
      for (SageMakerModel model : models) {
        if (model != null) {
          cleanup.deleteResources(model.getCreatedResources());
        }
      }
    }
  }

  /** The share of rows whose cluster's most common digit is their own digit. */
  static double purity(List<Row> rows) {
    Map<Double, Map<Double, Integer>> counts = new HashMap<>();
    for (Row r : rows) {
      counts
          .computeIfAbsent(r.getDouble(r.fieldIndex("closest_cluster")), c -> new HashMap<>())
          .merge(r.getDouble(r.fieldIndex("label")), 1, Integer::sum);
    }
    int majority =
        counts.values().stream()
            .mapToInt(m -> m.values().stream().max(Integer::compare).orElse(0))
            .sum();
    return (double) majority / rows.size();
  }

  @Override
  public void close() {
    spark.stop();
    if (local != null) {
      local.close();
    }
  }

  private static Path findProjectData() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("data").resolve("mnist");
      if (Files.exists(candidate.resolve("mnist-train.libsvm.gz"))) {
        return candidate;
      }
    }
    throw new IllegalArgumentException(
        "no data/mnist directory found above "
            + Path.of("").toAbsolutePath()
            + "; give one with --data DIR");
  }

  private static Map<String, String> parse(String exampleName, String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.isBlank()) {
        continue;
      }
      switch (a) {
        case "--aws":
          opts.put("aws", "true");
          break;
        case "--data":
        case "--train-rows":
        case "--test-rows":
        case "--role":
        case "--master":
        case "--advertise":
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(a + " needs a value");
          }
          opts.put(a.substring(2), args[++i]);
          break;
        default:
          throw new IllegalArgumentException(
              "unknown argument '"
                  + a
                  + "'; usage: "
                  + exampleName
                  + " [--data DIR] [--train-rows N] [--test-rows N] [--master URL] [--advertise HOST]"
                  + " [--aws --role ARN]");
      }
    }
    return opts;
  }
}
