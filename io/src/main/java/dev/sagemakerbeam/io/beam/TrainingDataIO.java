package dev.sagemakerbeam.io.beam;

import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes {@link LabeledExample}s as sharded SageMaker training files in a {@link
 * TrainingDataFormat} to any Beam FileSystem (local paths, {@code s3://} through Beam's AWS v2 file
 * system, ...).
 *
 * <pre>{@code
 * examples.apply(TrainingDataIO.write(TrainingDataFormat.LIBSVM)
 *     .to("s3://bucket/training/job-1/train/")
 *     .withNumShards(4));
 * }</pre>
 *
 * <p>{@link SageMakerRecordIO#write()} is the same transform for RecordIO-protobuf. The result
 * lists the files written, which is what a training job's S3 prefix or manifest is built from.
 */
public final class TrainingDataIO {
  private TrainingDataIO() {}

  /** A write of {@code format}; set the output directory with {@link Write#to(String)}. */
  public static Write write(TrainingDataFormat format) {
    if (format == null) {
      throw new IllegalArgumentException("write(format) needs a TrainingDataFormat, got null");
    }
    return new Write(format, null, "part", format.suffix(), 0, Compression.UNCOMPRESSED, null);
  }

  /** Immutable specification of a training-data write; every {@code with*} returns a copy. */
  public static final class Write
      extends PTransform<PCollection<LabeledExample>, WriteFilesResult<Void>> {
    private static final long serialVersionUID = 1L;

    private final TrainingDataFormat format;
    private final String directory;
    private final String prefix;
    private final String suffix;
    private final int numShards;
    private final Compression compression;
    private final String tempDirectory;

    private Write(
        TrainingDataFormat format,
        String directory,
        String prefix,
        String suffix,
        int numShards,
        Compression compression,
        String tempDirectory) {
      this.format = format;
      this.directory = directory;
      this.prefix = prefix;
      this.suffix = suffix;
      this.numShards = numShards;
      this.compression = compression;
      this.tempDirectory = tempDirectory;
    }

    /** Directory the files go into, e.g. {@code s3://bucket/prefix/} or {@code /tmp/train/}. */
    public Write to(String directory) {
      if (directory == null || directory.isEmpty()) {
        throw new IllegalArgumentException(
            "to(directory) needs a directory such as \"s3://bucket/prefix/\", got "
                + quote(directory));
      }
      return new Write(format, directory, prefix, suffix, numShards, compression, tempDirectory);
    }

    /** File name prefix (default {@code part}). */
    public Write withPrefix(String prefix) {
      if (prefix == null || prefix.isEmpty() || prefix.contains("/")) {
        throw new IllegalArgumentException(
            "withPrefix needs a non-empty file name prefix without '/', got "
                + quote(prefix)
                + "; put directories in to(...)");
      }
      return new Write(format, directory, prefix, suffix, numShards, compression, tempDirectory);
    }

    /** File name suffix (default the format's, e.g. {@code .pbr}). */
    public Write withSuffix(String suffix) {
      if (suffix == null) {
        throw new IllegalArgumentException("withSuffix needs a suffix; use \"\" for none");
      }
      return new Write(format, directory, prefix, suffix, numShards, compression, tempDirectory);
    }

    /**
     * Number of files to write; 0 (the default) lets the runner decide. SageMaker's {@code
     * ShardedByS3Key} distribution gives each training instance whole files, so use at least as
     * many shards as instances.
     */
    public Write withNumShards(int numShards) {
      if (numShards < 0) {
        throw new IllegalArgumentException(
            "withNumShards needs 0 (runner decides) or a positive number of files, got "
                + numShards);
      }
      return new Write(format, directory, prefix, suffix, numShards, compression, tempDirectory);
    }

    /**
     * Compression of the files (default none). SageMaker reads gzip training files when the
     * channel's {@code CompressionType} is {@code Gzip}.
     */
    public Write withCompression(Compression compression) {
      if (compression == null) {
        throw new IllegalArgumentException(
            "withCompression needs a Compression; use Compression.UNCOMPRESSED for none");
      }
      return new Write(format, directory, prefix, suffix, numShards, compression, tempDirectory);
    }

    /** Where files are written before being moved into place (default inside the directory). */
    public Write withTempDirectory(String tempDirectory) {
      if (tempDirectory == null || tempDirectory.isEmpty()) {
        throw new IllegalArgumentException(
            "withTempDirectory needs a directory, got " + quote(tempDirectory));
      }
      return new Write(format, directory, prefix, suffix, numShards, compression, tempDirectory);
    }

    public TrainingDataFormat getFormat() {
      return format;
    }

    public String getDirectory() {
      return directory;
    }

    public int getNumShards() {
      return numShards;
    }

    @Override
    public WriteFilesResult<Void> expand(PCollection<LabeledExample> input) {
      if (directory == null) {
        throw new IllegalStateException(
            "the "
                + format
                + " training-data write has no output directory; call .to(\"s3://bucket/prefix/\")"
                + " (or a local directory) before applying it");
      }
      FileIO.Write<Void, LabeledExample> write =
          FileIO.<LabeledExample>write()
              .via(format.sink())
              .to(directory)
              .withPrefix(prefix)
              .withSuffix(suffix)
              .withCompression(compression);
      if (numShards > 0) {
        write = write.withNumShards(numShards);
      }
      if (tempDirectory != null) {
        write = write.withTempDirectory(tempDirectory);
      }
      return input.apply("Write" + format, write);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(DisplayData.item("format", format.name()))
          .add(DisplayData.item("contentType", format.contentType()))
          .addIfNotNull(DisplayData.item("directory", directory))
          .add(DisplayData.item("prefix", prefix))
          .add(DisplayData.item("suffix", suffix))
          .add(DisplayData.item("numShards", numShards))
          .add(DisplayData.item("compression", compression.name()));
    }
  }

  private static String quote(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
