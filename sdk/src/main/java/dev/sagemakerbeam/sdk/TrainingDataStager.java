package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.beam.TrainingDataFormat;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.FileIO;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs on the executors: writes one partition's rows through the shared {@link TrainingDataFormat}
 * sink to a local temporary file, then uploads it to {@code s3://bucket/prefix/part-<partition>}
 * (the prefix is the fit's own). Nothing is collected to the driver. Empty partitions write
 * nothing.
 *
 * <p>Exactly once under retries: the object's key is a function of the fit and the partition only,
 * and an S3 PUT replaces atomically, so a task attempt that uploads and then fails (executor lost),
 * its retry and a speculative duplicate all write the same object with the same rows; none adds a
 * copy.
 */
final class TrainingDataStager implements ForeachPartitionFunction<Row> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TrainingDataStager.class);

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
    String name = String.format("part-%05d%s%s", partition, format.suffix(), gzip ? ".gz" : "");
    Path file = Files.createTempFile("sagemaker-staging-", name);
    try {
      long count = 0;
      OutputStream out = Files.newOutputStream(file);
      if (gzip) {
        out = new GZIPOutputStream(out, 64 * 1024);
      }
      try (WritableByteChannel channel = Channels.newChannel(out)) {
        FileIO.Sink<LabeledExample> sink = format.sink();
        sink.open(channel);
        while (rows.hasNext()) {
          Row row = rows.next();
          FeatureVector features = SparkFeatureVectors.features(row, featuresColumn, featureDim);
          sink.write(
              labelColumn == null
                  ? LabeledExample.unlabeled(features)
                  : LabeledExample.of(SparkFeatureVectors.label(row, labelColumn), features));
          count++;
        }
        sink.flush();
      }
      String key = prefix + "/" + name;
      try (S3Client s3 = config.buildS3Client()) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(file));
      }
      AfterUpload hook = afterUploadHook;
      if (hook != null) {
        hook.uploaded(partition, TaskContext.get().attemptNumber());
      }
      LOG.info(
          "Staged {} rows of partition {} ({} bytes) to s3://{}/{}",
          count,
          partition,
          Files.size(file),
          bucket,
          key);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "staging partition " + partition + " to s3://" + bucket + "/" + prefix, e);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
