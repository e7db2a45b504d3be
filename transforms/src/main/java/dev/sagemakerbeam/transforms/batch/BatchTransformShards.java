package dev.sagemakerbeam.transforms.batch;

import dev.sagemakerbeam.transforms.inference.RequestSerializer;
import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The staged side of a batch transform, shared by the Beam transform and the Spark model: each
 * shard of the input is one object {@code <input>/part-00007}, its records serialized as the
 * endpoint would receive them, in order; the job writes {@code <output>/part-00007.out}, whose
 * predictions are read back in the same order and checked to be one per record.
 */
public final class BatchTransformShards {
  private static final Logger LOG = LoggerFactory.getLogger(BatchTransformShards.class);

  private BatchTransformShards() {}

  /** {@code part-00007}: the name of shard 7's input object. */
  public static String inputName(int shard) {
    return String.format("part-%05d", shard);
  }

  /** {@code part-00007.out}: what the job writes for it. */
  public static String outputName(int shard) {
    return inputName(shard) + ".out";
  }

  /**
   * Serializes {@code elements} in order into {@code <directory>/part-<shard>} (replacing it, so a
   * retried upload never adds a copy). An element the serializer refuses is passed to {@code
   * refused} and left out.
   *
   * @param directory {@code s3://bucket/prefix} without the trailing slash
   * @return the elements written, in the order the job will answer them
   */
  public static <T> List<T> upload(
      S3Client s3,
      String directory,
      int shard,
      RequestSerializer<T> serializer,
      Iterator<T> elements,
      BiConsumer<T, RuntimeException> refused) {
    BatchTransformSpec.checkSplittable(serializer);
    URI uri = URI.create(directory + "/" + inputName(shard));
    List<T> written = new ArrayList<>();
    Path file = null;
    try {
      file = Files.createTempFile("sagemaker-batch-", inputName(shard));
      try (OutputStream out = Files.newOutputStream(file)) {
        while (elements.hasNext()) {
          T element = elements.next();
          byte[] bytes;
          try {
            bytes = serializer.serialize(element);
          } catch (RuntimeException e) {
            refused.accept(element, e);
            continue;
          }
          out.write(bytes);
          if (!BatchTransformSpec.isRecordIo(serializer.contentType())
              && (bytes.length == 0 || bytes[bytes.length - 1] != '\n')) {
            out.write('\n');
          }
          written.add(element);
        }
      }
      if (!written.isEmpty()) {
        s3.putObject(
            r -> r.bucket(uri.getHost()).key(uri.getPath().substring(1)),
            RequestBody.fromFile(file));
        LOG.info(
            "Staged {} records ({} bytes) for batch transform to {}",
            written.size(),
            Files.size(file),
            uri);
      }
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("staging batch transform shard " + shard + " to " + uri, e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          LOG.debug("could not delete {}", file, e);
        }
      }
    }
  }

  /**
   * The predictions of shard {@code shard}, in record order, or null when the job wrote no output
   * for it (the job failed or stopped before finishing it).
   *
   * @throws IllegalStateException when the output holds another number of predictions than {@code
   *     expected} records were staged, naming the object
   */
  public static <R> List<R> read(
      S3Client s3,
      String outputDirectory,
      int shard,
      ResponseDeserializer<R> deserializer,
      int expected) {
    URI uri = URI.create(outputDirectory + "/" + outputName(shard));
    byte[] body;
    try {
      body =
          s3.getObjectAsBytes(r -> r.bucket(uri.getHost()).key(uri.getPath().substring(1)))
              .asByteArray();
    } catch (NoSuchKeyException e) {
      return null;
    }
    List<R> predictions = parse(deserializer, body);
    if (predictions.size() != expected) {
      throw new IllegalStateException(
          "batch transform output "
              + uri
              + " has "
              + predictions.size()
              + " predictions for "
              + expected
              + " records; the model must answer one prediction per record (check the"
              + " deserializer "
              + deserializer.getClass().getName()
              + " fits the model's "
              + deserializer.accept()
              + " responses)");
    }
    return predictions;
  }

  private static boolean blank(byte[] body, int start, int end) {
    for (int i = start; i < end; i++) {
      if (body[i] != ' ' && body[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  /**
   * RecordIO-protobuf output is one stream of records; other output has one response per line
   * (AssembleWith Line), each holding one or more predictions.
   */
  static <R> List<R> parse(ResponseDeserializer<R> deserializer, byte[] body) {
    if (BatchTransformSpec.isRecordIo(deserializer.accept())) {
      return deserializer.deserialize(body);
    }
    List<R> predictions = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '\n') {
        int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
        if (!blank(body, start, end)) {
          predictions.addAll(deserializer.deserialize(Arrays.copyOfRange(body, start, end)));
        }
        start = i + 1;
      }
    }
    return predictions;
  }
}
