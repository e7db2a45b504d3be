package example;

import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.sdk.IAMRole;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.SageMakerResourceCleanup;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The README's Spark ML getting-started flow in a user's own project: SageMaker Local, K-Means fit
 * (staging, training, deleting the staged data, hosting), transform, cleanup. Exits non-zero when a
 * step fails or a result is wrong.
 */
public final class GettingStarted {
  private static final int FEATURES = 8;

  public static void main(String[] args) throws Exception {
    Path dataDir;
    try (SageMakerLocal local = SageMakerLocal.builder().temporaryDataDirectory().build()) {
      dataDir = local.dataDirectory();
      SageMakerClientConfiguration config =
          SageMakerClientConfiguration.forLocal(
              local.apiEndpoint(),
              local.runtimeEndpoint(),
              local.s3Endpoint(),
              local.stsEndpoint(),
              local.region(),
              local.credentials().accessKeyId(),
              local.credentials().secretAccessKey());
      SparkSession spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("getting-started")
              .config("spark.ui.enabled", "false")
              .getOrCreate();
      try {
        Dataset<Row> training = clusters(spark, 600, 1);
        Dataset<Row> test = clusters(spark, 90, 2);

        KMeansSageMakerEstimator kmeans =
            new KMeansSageMakerEstimator(
                    SageMakerEstimatorOptions.builder()
                        .clientConfiguration(config)
                        .sagemakerRole(
                            new IAMRole(
                                "arn:aws:iam::" + local.accountId() + ":role/SageMakerRole"))
                        .trainingInstanceType("ml.m5.large")
                        .endpointInstanceType("ml.m5.large")
                        .build())
                .setK(3)
                .setFeatureDim(FEATURES);
        long start = System.nanoTime();
        SageMakerModel model = kmeans.fit(training);
        System.out.printf(
            "fit() took %d ms: job %s, endpoint %s%n",
            (System.nanoTime() - start) / 1_000_000,
            model.getTrainingJobName(),
            model.getEndpointName());

        List<Row> rows = model.transform(test).collectAsList();
        double purity = purity(rows);
        System.out.printf("transform(): %d rows, cluster purity %.3f%n", rows.size(), purity);
        check(rows.size() == 90, "transform() returned " + rows.size() + " rows, not 90");
        check(purity > 0.95, "cluster purity " + purity + " <= 0.95");

        // fit() deleted what it staged (S3 DeleteObjects, which failed with clashing Jackson
        // versions)
        try (S3Client s3 = SageMakerClients.s3(config)) {
          String bucket = local.accountId() + "-sagemaker-" + local.region();
          long staged =
              s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
                  .filter(o -> o.key().contains("/training/"))
                  .count();
          check(staged == 0, staged + " staged training objects are left in " + bucket);
        }

        try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
          new SageMakerResourceCleanup(client).deleteResources(model.getCreatedResources());
          check(
              client.listEndpoints(r -> r.maxResults(10)).endpoints().isEmpty(),
              "an endpoint is left");
        }
      } finally {
        spark.stop();
      }
    }
    check(!Files.exists(dataDir), "SageMaker Local's temporary data directory is left: " + dataDir);
    System.out.println("GETTING STARTED OK");
  }

  /** Three well-separated clusters; the label is the cluster a row was drawn from. */
  private static Dataset<Row> clusters(SparkSession spark, int rows, long seed) {
    Random random = new Random(seed);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int cluster = i % 3;
      double[] x = new double[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        x[j] = (j % 3 == cluster ? 10.0 : 0.0) + random.nextGaussian();
      }
      data.add(RowFactory.create((double) cluster, Vectors.dense(x)));
    }
    StructType schema =
        new StructType()
            .add("label", DataTypes.DoubleType)
            .add("features", SQLDataTypes.VectorType());
    return spark.createDataFrame(data, schema).repartition(2);
  }

  private static double purity(List<Row> rows) {
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

  private static void check(boolean ok, String failure) {
    if (!ok) {
      throw new AssertionError(failure);
    }
  }
}
