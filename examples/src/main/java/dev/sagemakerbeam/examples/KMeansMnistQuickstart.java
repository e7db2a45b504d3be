package dev.sagemakerbeam.examples;

import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.sdk.IAMRole;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
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
 * The getting-started example of the original SageMaker Spark library: K-Means on MNIST digits,
 * trained and hosted on SageMaker Local (started in this process), then the transformed test table
 * (first 20 rows) and the cluster purity. The endpoint is deleted at the end.
 *
 * <pre>
 * KMeansMnistQuickstart [--data DIR] [--train-rows N] [--aws --role ARN]
 * </pre>
 *
 * {@code --data} is a directory with {@code mnist-train.libsvm.gz} and {@code mnist-test.libsvm.gz}
 * (default: the project's {@code data/mnist}); {@code --aws} uses the default AWS credential and
 * region chains and SageMaker's own K-Means image instead of SageMaker Local.
 */
public final class KMeansMnistQuickstart {
  private KMeansMnistQuickstart() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    Path data = opts.containsKey("data") ? Path.of(opts.get("data")) : findProjectData();
    int trainRows = Integer.parseInt(opts.getOrDefault("train-rows", "4000"));
    boolean aws = opts.containsKey("aws");
    if (aws && !opts.containsKey("role")) {
      throw new IllegalArgumentException("--aws needs --role arn:aws:iam::<account>:role/<SageMaker execution role>");
    }

    SageMakerLocal local = null;
    SageMakerClientConfiguration config;
    String role;
    if (aws) {
      config = SageMakerClientConfiguration.builder().build(); // default credential and region chains
      role = opts.get("role");
    } else {
      local = SageMakerLocal.builder().dataDirectory(Files.createTempDirectory("sagemaker-local")).port(0).s3Port(0)
          .build();
      System.out.println("SageMaker Local is running at " + local.apiEndpoint());
      config = SageMakerClientConfiguration.forLocal(local.apiEndpoint(), local.runtimeEndpoint(),
          local.s3Endpoint(), local.stsEndpoint(), local.region(),
          local.credentials().accessKeyId(), local.credentials().secretAccessKey());
      role = "arn:aws:iam::" + SageMakerLocal.ACCOUNT_ID + ":role/SageMakerRole";
    }

    SparkSession spark = SparkSession.builder().master("local[*]").appName("KMeansMnistQuickstart")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    // keep this library's progress lines (staging, training status, endpoint) visible
    org.apache.logging.log4j.core.config.Configurator.setLevel("dev.sagemakerbeam", org.apache.logging.log4j.Level.INFO);
    SageMakerModel model = null;
    try {
      Dataset<Row> train = spark.read().format("libsvm").option("numFeatures", "784")
          .load(data.resolve("mnist-train.libsvm.gz").toString()).limit(trainRows);
      Dataset<Row> test = spark.read().format("libsvm").option("numFeatures", "784")
          .load(data.resolve("mnist-test.libsvm.gz").toString());

      KMeansSageMakerEstimator estimator = new KMeansSageMakerEstimator(SageMakerEstimatorOptions.builder()
              .clientConfiguration(config)
              .sagemakerRole(new IAMRole(role))
              .trainingInstanceType("ml.m5.large")
              .endpointInstanceType("ml.m5.large")
              .pollInterval(aws ? Duration.ofSeconds(10) : Duration.ofMillis(200))
              .build())
          .setK(10)
          .setFeatureDim(784);
      model = estimator.fit(train);
      System.out.println("Trained " + model.getTrainingJobName() + " -> " + model.getModelPath()
          + ", hosted on endpoint " + model.getEndpointName());

      Dataset<Row> transformed = model.transform(test).cache();
      transformed.show(20);
      System.out.printf("Cluster purity on %d test digits: %.3f%n", transformed.count(), purity(transformed.collectAsList()));
    } finally {
      if (model != null) {
        try (SageMakerClient client = config.buildSageMakerClient()) {
          new SageMakerResourceCleanup(client).deleteResources(model.getCreatedResources());
        }
      }
      spark.stop();
      if (local != null) {
        local.close();
      }
    }
  }

  /** The share of rows whose cluster's most common digit is their own digit. */
  static double purity(List<Row> rows) {
    Map<Double, Map<Double, Integer>> counts = new HashMap<>();
    for (Row r : rows) {
      counts.computeIfAbsent(r.getDouble(r.fieldIndex("closest_cluster")), c -> new HashMap<>())
          .merge(r.getDouble(r.fieldIndex("label")), 1, Integer::sum);
    }
    int majority = counts.values().stream()
        .mapToInt(m -> m.values().stream().max(Integer::compare).orElse(0)).sum();
    return (double) majority / rows.size();
  }

  private static Path findProjectData() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("data").resolve("mnist");
      if (Files.exists(candidate.resolve("mnist-train.libsvm.gz"))) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("no data/mnist directory found above " + Path.of("").toAbsolutePath()
        + "; give one with --data DIR");
  }

  private static Map<String, String> parse(String[] args) {
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
        case "--role":
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(a + " needs a value");
          }
          opts.put(a.substring(2), args[++i]);
          break;
        default:
          throw new IllegalArgumentException("unknown argument '" + a
              + "'; usage: KMeansMnistQuickstart [--data DIR] [--train-rows N] [--aws --role ARN]");
      }
    }
    return opts;
  }
}
