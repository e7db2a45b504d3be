package dev.sagemakerbeam.transforms.training;

import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.beam.LabeledExampleCoder;
import dev.sagemakerbeam.io.beam.TrainingDataFormat;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Stages examples as {@code numShards} objects {@code <directory>/part-<shard><suffix>} with the
 * client configuration's own S3 client, so nothing touches the pipeline's options: Beam's S3 file
 * system stays as the user configured it, and no credential is written into the options that travel
 * to workers and job metadata.
 *
 * <p>Exactly once under retries: each example's shard is a hash of its encoded bytes, shards are
 * grouped, and each shard is one object written by {@link TrainingDataShard} with a single PUT. A
 * retried or duplicated upload rewrites the same object with the same rows. Outputs the URI of
 * every object written.
 */
final class StageTrainingData extends PTransform<PCollection<LabeledExample>, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  private final SageMakerClientConfiguration config;
  private final TrainingDataFormat format;
  private final boolean gzip;
  private final StagingLocation staging;
  private final String directory;
  private final int numShards;

  /** Stages under {@code <staging>/<directory>}, the staging location resolved at run time. */
  StageTrainingData(
      SageMakerClientConfiguration config,
      TrainingDataFormat format,
      boolean gzip,
      StagingLocation staging,
      String directory,
      int numShards) {
    if (numShards < 1) {
      throw new IllegalArgumentException("numShards must be at least 1, got " + numShards);
    }
    this.config = config;
    this.format = format;
    this.gzip = gzip;
    this.staging = staging;
    this.directory = directory;
    this.numShards = numShards;
  }

  @Override
  public PCollection<String> expand(PCollection<LabeledExample> examples) {
    return examples
        .apply("AssignShard", ParDo.of(new AssignShardFn(numShards)))
        .setCoder(KvCoder.of(VarIntCoder.of(), LabeledExampleCoder.of()))
        .apply("GroupByShard", GroupByKey.create())
        .apply("Upload", ParDo.of(new UploadShardFn(config, format, gzip, staging, directory)));
  }

  /** The shard of an example: a hash of its encoding, the same on every attempt and worker. */
  static final class AssignShardFn extends DoFn<LabeledExample, KV<Integer, LabeledExample>> {
    private static final long serialVersionUID = 1L;
    private final int numShards;
    private transient ByteArrayOutputStream buffer;

    AssignShardFn(int numShards) {
      this.numShards = numShards;
    }

    @ProcessElement
    public void process(
        @Element LabeledExample example, OutputReceiver<KV<Integer, LabeledExample>> out) {
      if (buffer == null) {
        buffer = new ByteArrayOutputStream(4096);
      }
      buffer.reset();
      try {
        LabeledExampleCoder.of().encode(example, buffer);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.output(KV.of(shardOf(buffer.toByteArray(), numShards), example));
    }

    static int shardOf(byte[] encoded, int numShards) {
      return TrainingDataShard.shardOf(encoded, numShards);
    }
  }

  /** Writes one shard's examples as one object. */
  static final class UploadShardFn extends DoFn<KV<Integer, Iterable<LabeledExample>>, String> {
    private static final long serialVersionUID = 1L;
    private final SageMakerClientConfiguration config;
    private final TrainingDataFormat format;
    private final boolean gzip;
    private final StagingLocation staging;
    private final String directory;
    private transient S3Client s3;

    UploadShardFn(
        SageMakerClientConfiguration config,
        TrainingDataFormat format,
        boolean gzip,
        StagingLocation staging,
        String directory) {
      this.config = config;
      this.format = format;
      this.gzip = gzip;
      this.staging = staging;
      this.directory = directory;
    }

    @Setup
    public void setup() {
      s3 = SageMakerClients.s3(config);
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<LabeledExample>> shard, OutputReceiver<String> out) {
      out.output(
          TrainingDataShard.upload(
              s3,
              staging.resolve(directory),
              shard.getKey(),
              format,
              gzip,
              shard.getValue().iterator()));
    }

    @Teardown
    public void teardown() {
      if (s3 != null) {
        s3.close();
      }
    }
  }
}
