package dev.sagemakerbeam.io.beam;

import dev.sagemakerbeam.io.AmazonRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.CompressedSource;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileBasedSource;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.options.ValueProvider.StaticValueProvider;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Beam IO for SageMaker's RecordIO-protobuf training data (RecordIO-wrapped Amazon Records).
 *
 * <pre>{@code
 * // write labelled examples as 4 files under a prefix
 * examples.apply(SageMakerRecordIO.write().to("s3://bucket/train/").withNumShards(4));
 *
 * // read them back, splitting large files at record boundaries
 * PCollection<LabeledExample> back =
 *     pipeline.apply(SageMakerRecordIO.readExamples().from("s3://bucket/train/*.pbr"));
 * }</pre>
 *
 * <p>Writing goes through {@link AmazonRecordSink} (also usable directly with {@link
 * FileIO#write()} for dynamic destinations); reading through the splittable {@link
 * AmazonRecordSource}.
 */
public final class SageMakerRecordIO {
  /**
   * Smallest piece a file is split into when reading, unless {@link Read#withMinBundleSize} says
   * otherwise.
   */
  public static final long DEFAULT_MIN_BUNDLE_SIZE = 1 << 20;

  private SageMakerRecordIO() {}

  /**
   * Writes labelled examples as sharded RecordIO-protobuf files; set the directory with {@code to}.
   */
  public static TrainingDataIO.Write write() {
    return TrainingDataIO.write(TrainingDataFormat.RECORDIO_PROTOBUF);
  }

  /** The sink for {@code FileIO.<LabeledExample>write().via(SageMakerRecordIO.sink())}. */
  public static FileIO.Sink<LabeledExample> sink() {
    return new AmazonRecordSink();
  }

  /** Reads whole Amazon Records (every feature and label tensor, uid, metadata). */
  public static ReadRecords<AmazonRecord> read() {
    return new ReadRecords<>(
        null,
        DEFAULT_MIN_BUNDLE_SIZE,
        EmptyMatchTreatment.DISALLOW,
        Compression.AUTO,
        new IdentityConversion(),
        AmazonRecordCoder.of());
  }

  /**
   * Reads records as {@link LabeledExample}s: features from {@code features["values"]}, the label
   * from {@code label["values"]} when present.
   */
  public static ReadRecords<LabeledExample> readExamples() {
    return new ReadRecords<>(
        null,
        DEFAULT_MIN_BUNDLE_SIZE,
        EmptyMatchTreatment.DISALLOW,
        Compression.AUTO,
        new ExampleConversion(),
        LabeledExampleCoder.of());
  }

  /** Immutable specification of a read; every {@code with*} returns a copy. */
  public static final class ReadRecords<T> extends PTransform<PBegin, PCollection<T>> {
    private static final long serialVersionUID = 1L;

    private final String filepattern;
    private final long minBundleSize;
    private final EmptyMatchTreatment emptyMatchTreatment;
    private final Compression compression;
    private final SerializableFunction<AmazonRecord, T> convert;
    private final Coder<T> coder;

    private ReadRecords(
        String filepattern,
        long minBundleSize,
        EmptyMatchTreatment emptyMatchTreatment,
        Compression compression,
        SerializableFunction<AmazonRecord, T> convert,
        Coder<T> coder) {
      this.filepattern = filepattern;
      this.minBundleSize = minBundleSize;
      this.emptyMatchTreatment = emptyMatchTreatment;
      this.compression = compression;
      this.convert = convert;
      this.coder = coder;
    }

    /** The files to read: a file, or a glob such as {@code s3://bucket/train/*.pbr}. */
    public ReadRecords<T> from(String filepattern) {
      if (filepattern == null || filepattern.isEmpty()) {
        throw new IllegalArgumentException(
            "from(filepattern) needs a file or glob such as \"s3://bucket/train/*.pbr\", got "
                + filepattern);
      }
      return new ReadRecords<>(
          filepattern, minBundleSize, emptyMatchTreatment, compression, convert, coder);
    }

    /** Smallest byte range a file is split into (default 1 MiB). */
    public ReadRecords<T> withMinBundleSize(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException(
            "withMinBundleSize needs a positive number of bytes, got " + bytes);
      }
      return new ReadRecords<>(
          filepattern, bytes, emptyMatchTreatment, compression, convert, coder);
    }

    /** What to do when the pattern matches no file (default: fail). */
    public ReadRecords<T> withEmptyMatchTreatment(EmptyMatchTreatment treatment) {
      if (treatment == null) {
        throw new IllegalArgumentException(
            "withEmptyMatchTreatment needs a value, e.g. EmptyMatchTreatment.ALLOW");
      }
      return new ReadRecords<>(filepattern, minBundleSize, treatment, compression, convert, coder);
    }

    /**
     * Compression of the files (default {@link Compression#AUTO}: by file name extension, so {@code
     * .gz} files written with {@code withCompression(GZIP)} read back). Compressed files are read
     * whole; uncompressed ones are split.
     */
    public ReadRecords<T> withCompression(Compression compression) {
      if (compression == null) {
        throw new IllegalArgumentException(
            "withCompression needs a Compression, e.g. Compression.AUTO");
      }
      return new ReadRecords<>(
          filepattern, minBundleSize, emptyMatchTreatment, compression, convert, coder);
    }

    /**
     * The source this read applies: {@link AmazonRecordSource} behind Beam's decompression (which
     * passes uncompressed files straight through, splittable), for splitting or testing directly.
     */
    public FileBasedSource<T> source() {
      requireFilepattern();
      AmazonRecordSource<T> records =
          new AmazonRecordSource<>(
              StaticValueProvider.of(filepattern),
              emptyMatchTreatment,
              minBundleSize,
              convert,
              coder);
      return CompressedSource.from(records).withCompression(compression);
    }

    @Override
    public PCollection<T> expand(PBegin input) {
      requireFilepattern();
      return input.apply("ReadAmazonRecords", Read.from(source()));
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .addIfNotNull(DisplayData.item("filePattern", filepattern))
          .add(DisplayData.item("minBundleSize", minBundleSize))
          .add(DisplayData.item("emptyMatchTreatment", emptyMatchTreatment.name()))
          .add(DisplayData.item("compression", compression.name()));
    }

    private void requireFilepattern() {
      if (filepattern == null) {
        throw new IllegalStateException(
            "SageMakerRecordIO read has no files to read; call .from(\"s3://bucket/train/*.pbr\") first");
      }
    }
  }

  private static final class IdentityConversion
      implements SerializableFunction<AmazonRecord, AmazonRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public AmazonRecord apply(AmazonRecord record) {
      return record;
    }
  }

  private static final class ExampleConversion
      implements SerializableFunction<AmazonRecord, LabeledExample> {
    private static final long serialVersionUID = 1L;

    @Override
    public LabeledExample apply(AmazonRecord record) {
      return LabeledExample.fromRecord(record);
    }
  }
}
