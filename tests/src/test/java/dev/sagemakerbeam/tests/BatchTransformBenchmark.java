package dev.sagemakerbeam.tests;

import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Rows per second of one K-Means model (MNIST, k = 10) scoring the same rows two ways from Spark on
 * {@code local[2]} against SageMaker Local: {@code SageMakerModel.transform} through its endpoint
 * (1,000-row InvokeEndpoint requests, 4 in flight per partition), and {@code batchTransform}
 * (stage, one batch transform job, read back; MultiRecord at 6 MB). Each figure is the best of the
 * repetitions, wall time from the call to the last row collected; the batch time includes staging,
 * the job's start and the cleanup, which is what a user waits for. Not a test: run it by hand as
 * LinearLearnerBenchmark's comment shows, with this class's name and {@code [rows] [repetitions]}.
 */
public final class BatchTransformBenchmark {
  private BatchTransformBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("batch-bench");
    try (SageMakerLocal local =
        SageMakerLocal.builder().dataDirectory(dir).port(0).s3Port(0).build()) {
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
              .appName("BatchTransformBenchmark")
              .config("spark.ui.enabled", "false")
              .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      Dataset<Row> mnist =
          spark
              .read()
              .format("libsvm")
              .option("numFeatures", "784")
              .load(Path.of("data", "mnist", "mnist-train.libsvm.gz").toString());
      Dataset<Row> train = mnist.limit(5000).repartition(2).cache();
      // the scored rows: the training file repeated up to `rows`, cached so both ways read the same
      Dataset<Row> scored = mnist;
      while (scored.count() < rows) {
        scored = scored.union(mnist);
      }
      scored = scored.limit(rows).repartition(4).cache();
      long n = scored.count();
      SageMakerModel model =
          new KMeansSageMakerEstimator(
                  SageMakerEstimatorOptions.builder()
                      .clientConfiguration(config)
                      .roleArn("arn:aws:iam::" + SageMakerLocal.ACCOUNT_ID + ":role/R")
                      .pollInterval(Duration.ofMillis(100))
                      .batchTransformTimeout(Duration.ofMinutes(30))
                      .build())
              .setK(10)
              .setFeatureDim(784)
              .fit(train);
      try {
        double endpoint = Double.MAX_VALUE;
        double batch = Double.MAX_VALUE;
        for (int r = 1; r <= repetitions; r++) {
          long t0 = System.nanoTime();
          long out = model.transform(scored).count();
          double e = (System.nanoTime() - t0) / 1e9;
          check(out, n);
          t0 = System.nanoTime();
          out = model.batchTransform(scored).count();
          double b = (System.nanoTime() - t0) / 1e9;
          check(out, n);
          System.out.printf("repetition %d: endpoint %.2f s, batch transform %.2f s%n", r, e, b);
          endpoint = Math.min(endpoint, e);
          batch = Math.min(batch, b);
        }
        System.out.printf(
            "%d rows, best of %d: endpoint transform %.2f s (%.0f rows/s), batch transform %.2f s"
                + " (%.0f rows/s), batch/endpoint rate %.2f%n",
            n, repetitions, endpoint, n / endpoint, batch, n / batch, endpoint / batch);
      } finally {
        try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
          new SageMakerResourceCleanup(client).deleteResources(model.getCreatedResources());
        }
        spark.stop();
      }
    }
  }

  private static void check(long out, long in) {
    if (out != in) {
      throw new IllegalStateException(out + " rows out for " + in + " in");
    }
  }
}
