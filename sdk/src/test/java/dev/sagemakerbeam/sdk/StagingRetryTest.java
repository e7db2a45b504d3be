package dev.sagemakerbeam.sdk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import dev.sagemakerbeam.io.beam.TrainingDataFormat;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import dev.sagemakerbeam.transforms.training.StagingArea;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
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
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Staging under task retries: attempts that upload and then fail (as when an executor is lost after
 * its upload) are retried by Spark, and every row is still staged exactly once.
 */
class StagingRetryTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String BUCKET = "staging-retry";
  private static SageMakerClientConfiguration config;
  private static S3Client s3;
  private static SparkSession spark;

  /** Partitions whose first attempt failed after uploading. */
  static final Set<Integer> FAILED_AFTER_UPLOAD = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() {
    config = LOCAL.config();
    s3 = SageMakerClients.s3(config);
    new StagingArea(s3).ensureBucket(BUCKET, Region.of(LOCAL.local().region()));
    // local[2, 4]: two threads, and a failed task is retried up to 3 more times
    spark =
        SparkSession.builder()
            .master("local[2,4]")
            .appName("StagingRetryTest")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
  }

  @AfterAll
  static void stop() {
    TrainingDataStager.afterUploadHook = null;
    if (spark != null) {
      spark.stop();
    }
    s3.close();
  }

  @Test
  void anAttemptFailingAfterItsUploadIsReplacedNotDuplicated() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(RowFactory.create((double) i, Vectors.dense(i + 1, 1)));
    }
    StructType schema =
        new StructType()
            .add("label", DataTypes.DoubleType)
            .add("features", SQLDataTypes.VectorType());
    Dataset<Row> data = spark.createDataFrame(rows, schema).repartition(4);
    TrainingDataStager.afterUploadHook =
        (partition, attempt) -> {
          if (attempt == 0 && partition % 2 == 1) {
            FAILED_AFTER_UPLOAD.add(partition);
            throw new IllegalStateException(
                "test: attempt 0 of partition " + partition + " lost after its upload");
          }
        };
    try {
      data.foreachPartition(
          new TrainingDataStager(
              config,
              TrainingDataFormat.LIBSVM,
              false,
              BUCKET,
              "fit-1/training",
              "label",
              "features",
              2));
    } finally {
      TrainingDataStager.afterUploadHook = null;
    }
    assertThat(new TreeSet<>(FAILED_AFTER_UPLOAD), contains(1, 3));

    List<String> keys =
        s3
            .listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix("fit-1/training/"))
            .contents()
            .stream()
            .map(S3Object::key)
            .sorted()
            .collect(Collectors.toList());
    assertThat(
        keys,
        contains(
            "fit-1/training/part-00000.libsvm",
            "fit-1/training/part-00001.libsvm",
            "fit-1/training/part-00002.libsvm",
            "fit-1/training/part-00003.libsvm"));
    List<Integer> labels = new ArrayList<>();
    for (String key : keys) {
      String text = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String();
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          labels.add((int) Double.parseDouble(line.split(" ")[0]));
        }
      }
    }
    labels.sort(null);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add(i);
    }
    assertThat(labels, is(expected)); // every row once: none lost, none doubled
  }
}
