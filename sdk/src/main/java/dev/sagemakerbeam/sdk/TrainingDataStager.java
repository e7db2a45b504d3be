package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.beam.TrainingDataFormat;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.training.TrainingDataShard;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs on the executors: writes one partition's rows as {@code s3://bucket/prefix/part-<partition>}
 * through {@link TrainingDataShard} (the prefix is the fit's own). Nothing is collected to the
 * driver. Empty partitions write nothing.
 *
 * <p>Exactly once under retries: the object's key is a function of the fit and the partition only,
 * and an S3 PUT replaces atomically, so a task attempt that uploads and then fails (executor lost),
 * its retry and a speculative duplicate all write the same object with the same rows; none adds a
 * copy.
 */
final class TrainingDataStager implements ForeachPartitionFunction<Row> {
  private static final long serialVersionUID = 1L;

  private final SageMakerClientConfiguration config;
  private final TrainingDataFormat format;
  private final boolean gzip;
  private final String bucket;
  private final String prefix;
  private final String labelColumn; // null: unlabelled
  private final String featuresColumn;
  private final int featureDim; // 0: any size

  /** Tests only: runs on the executor after a partition's upload (to fail an attempt there). */
  interface AfterUpload {
    void uploaded(int partition, int attempt);
  }

  static volatile AfterUpload afterUploadHook;

  TrainingDataStager(
      SageMakerClientConfiguration config,
      TrainingDataFormat format,
      boolean gzip,
      String bucket,
      String prefix,
      String labelColumn,
      String featuresColumn,
      int featureDim) {
    this.config = config;
    this.format = format;
    this.gzip = gzip;
    this.bucket = bucket;
    this.prefix = prefix;
    this.labelColumn = labelColumn;
    this.featuresColumn = featuresColumn;
    this.featureDim = featureDim;
  }

  @Override
  public void call(Iterator<Row> rows) throws Exception {
    if (!rows.hasNext()) {
      return;
    }
    int partition = TaskContext.getPartitionId();
    Iterator<LabeledExample> examples =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return rows.hasNext();
          }

          @Override
          public LabeledExample next() {
            Row row = rows.next();
            FeatureVector features = SparkFeatureVectors.features(row, featuresColumn, featureDim);
            return labelColumn == null
                ? LabeledExample.unlabeled(features)
                : LabeledExample.of(SparkFeatureVectors.label(row, labelColumn), features);
          }
        };
    try (S3Client s3 = SageMakerClients.s3(config)) {
      TrainingDataShard.upload(
          s3, "s3://" + bucket + "/" + prefix, partition, format, gzip, examples);
    }
    AfterUpload hook = afterUploadHook;
    if (hook != null) {
      hook.uploaded(partition, TaskContext.get().attemptNumber());
    }
  }
}
