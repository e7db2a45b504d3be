package dev.sagemakerbeam.local.training;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import dev.sagemakerbeam.local.storage.LocalS3;
import dev.sagemakerbeam.local.storage.S3DataSource;
import dev.sagemakerbeam.local.storage.S3Location;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Copies one channel's objects from S3 to {@code input/data/<channel>/} as SageMaker File mode
 * does: an S3Prefix channel takes every object under the prefix (path kept relative to the prefix's
 * last {@code /}), a ManifestFile channel the objects its manifest lists. ShardedByS3Key gives this
 * host (SageMaker Local runs one host, algo-1) every N-th object in key order, N being the
 * InstanceCount, as SageMaker gives each of N hosts its share.
 */
final class ChannelDownloader {
  /** The channel cannot be read; the job fails with a ClientError. */
  static final class ChannelException extends Exception {
    private static final long serialVersionUID = 1L;

    ChannelException(String message) {
      super(message);
    }
  }

  private final LocalS3 s3;
  private final Path dataDir;
  private final int instanceCount;
  private final Consumer<String> log;

  ChannelDownloader(LocalS3 s3, Path dataDir, int instanceCount, Consumer<String> log) {
    this.s3 = s3;
    this.dataDir = dataDir;
    this.instanceCount = instanceCount;
    this.log = log;
  }

  TrainingJobContext.Channel download(JsonNode channel, BooleanSupplier stopRequested)
      throws ChannelException, IOException {
    String name = channel.get("ChannelName").asText();
    JsonNode source = channel.get("DataSource").get("S3DataSource");
    String type = source.get("S3DataType").asText();
    String uri = source.get("S3Uri").asText();
    String distribution = source.path("S3DataDistributionType").asText("FullyReplicated");
    S3Location location = S3Location.parse("S3Uri", uri);

    List<S3DataSource.Entry> objects;
    try {
      objects = S3DataSource.list(s3, type, location);
    } catch (S3DataSource.InvalidDataSourceException e) {
      throw new ChannelException(e.getMessage());
    }
    if (objects.isEmpty()) {
      throw new ChannelException(
          "No S3 objects found under S3 URL \""
              + uri
              + "\" given in input data source for channel '"
              + name
              + "'. Please ensure that the bucket exists and that objects exist under that"
              + " S3 prefix.");
    }
    Path channelDir = dataDir.resolve(name);
    java.nio.file.Files.createDirectories(channelDir);
    int index = 0;
    int taken = 0;
    for (S3DataSource.Entry object : objects) {
      boolean mine = !distribution.equals("ShardedByS3Key") || index % instanceCount == 0;
      index++;
      if (!mine) {
        continue;
      }
      if (stopRequested.getAsBoolean()) {
        break;
      }
      Path target = channelDir.resolve(object.relativePath()).normalize();
      if (!target.startsWith(channelDir)) {
        throw new ChannelException(
            "S3 object " + object.location() + " would be written outside the channel directory");
      }
      s3.download(object.location(), target);
      taken++;
    }
    log.accept(
        "Channel '"
            + name
            + "': "
            + taken
            + " of "
            + objects.size()
            + " objects from "
            + uri
            + (distribution.equals("ShardedByS3Key")
                ? " (ShardedByS3Key, host 1 of " + instanceCount + ")"
                : ""));
    return new TrainingJobContext.Channel(
        name,
        channelDir,
        channel.hasNonNull("ContentType") ? channel.get("ContentType").asText() : null,
        channel.path("CompressionType").asText("None"));
  }
}
