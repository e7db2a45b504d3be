package dev.sagemakerbeam.transforms.training;

import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.beam.TrainingDataFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.FileIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One staged training-data object: rows written through the format's sink into a local temporary
 * file, then one S3 PUT. The object's name is a function of the shard number only, and a PUT
 * replaces atomically, so a retried or speculative attempt rewrites the same object with the same
 * rows and never adds a copy. Staging from Beam ({@link SageMakerTrain}) and from Spark both write
 * through here.
 */
public final class TrainingDataShard {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingDataShard.class);

  private TrainingDataShard() {}

  /**
   * The shard of an element from its coder's bytes: the same on every attempt and worker, so a
   * retried bundle stages the same elements in the same objects.
   */
  public static int shardOf(byte[] encoded, int numShards) {
    int h = java.util.Arrays.hashCode(encoded);
    h ^= h >>> 16; // spread the low bits, which the modulus keeps
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return Math.floorMod(h, numShards);
  }

  /** {@code part-00003.pbr}, {@code part-00003.libsvm.gz}, ... */
  public static String name(int shard, TrainingDataFormat format, boolean gzip) {
    return String.format("part-%05d%s%s", shard, format.suffix(), gzip ? ".gz" : "");
  }

  /**
   * Writes {@code rows} to {@code s3://<directory>/<name(shard, format, gzip)>}.
   *
   * @param directory {@code s3://bucket/prefix} (no trailing slash)
   * @return the object's {@code s3://} URI
   */
  public static String upload(
      S3Client s3,
      String directory,
      int shard,
      TrainingDataFormat format,
      boolean gzip,
      Iterator<LabeledExample> rows) {
    URI uri = URI.create(directory + "/" + name(shard, format, gzip));
    String bucket = uri.getHost();
    String key = uri.getPath().substring(1);
    Path file = null;
    try {
      file = Files.createTempFile("sagemaker-staging-", name(shard, format, gzip));
      long count = 0;
      OutputStream out = Files.newOutputStream(file);
      if (gzip) {
        out = new GZIPOutputStream(out, 64 * 1024);
      }
      try (WritableByteChannel channel = Channels.newChannel(out)) {
        FileIO.Sink<LabeledExample> sink = format.sink();
        sink.open(channel);
        while (rows.hasNext()) {
          sink.write(rows.next());
          count++;
        }
        sink.flush();
      }
      s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(file));
      LOG.info("Staged {} rows ({} bytes) to {}", count, Files.size(file), uri);
      return uri.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("staging training data shard " + shard + " to " + uri, e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          LOG.warn("Could not delete the temporary staging file {}", file, e);
        }
      }
    }
  }
}
