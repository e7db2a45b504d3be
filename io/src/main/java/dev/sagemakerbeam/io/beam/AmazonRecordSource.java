package dev.sagemakerbeam.io.beam;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.AmazonRecordDecoder;
import dev.sagemakerbeam.io.MalformedRecordException;
import dev.sagemakerbeam.io.RecordIoFormatException;
import dev.sagemakerbeam.io.RecordIoRange;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.FileBasedSource;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.ValueProvider;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A splittable {@link FileBasedSource} of RecordIO files of Amazon Records. A file is split at any
 * byte offset; each reader resynchronises on the next record header (the magic word, which the
 * writer keeps off every other aligned position) and reads the records that start in its range, so
 * every record is read exactly once. Each record is a split point, so runners can also split
 * dynamically.
 *
 * @param <T> what each record becomes: the {@link AmazonRecord} itself or a {@link LabeledExample}
 */
public final class AmazonRecordSource<T> extends FileBasedSource<T> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AmazonRecordSource.class);

  private final SerializableFunction<AmazonRecord, T> convert;
  private final Coder<T> coder;

  AmazonRecordSource(
      ValueProvider<String> filepattern,
      EmptyMatchTreatment emptyMatchTreatment,
      long minBundleSize,
      SerializableFunction<AmazonRecord, T> convert,
      Coder<T> coder) {
    super(filepattern, emptyMatchTreatment, minBundleSize);
    this.convert = convert;
    this.coder = coder;
  }

  private AmazonRecordSource(
      MatchResult.Metadata file,
      long minBundleSize,
      long start,
      long end,
      SerializableFunction<AmazonRecord, T> convert,
      Coder<T> coder) {
    super(file, minBundleSize, start, end);
    this.convert = convert;
    this.coder = coder;
  }

  @Override
  protected FileBasedSource<T> createForSubrangeOfFile(
      MatchResult.Metadata file, long start, long end) {
    return new AmazonRecordSource<>(file, getMinBundleSize(), start, end, convert, coder);
  }

  @Override
  protected FileBasedReader<T> createSingleFileReader(PipelineOptions options) {
    return new Reader<>(this);
  }

  @Override
  public Coder<T> getOutputCoder() {
    return coder;
  }

  private static final class Reader<T> extends FileBasedReader<T> {
    private RecordIoRange range;
    private long offset = -1;
    private T current;

    Reader(AmazonRecordSource<T> source) {
      super(source);
    }

    @Override
    protected void startReading(ReadableByteChannel channel) throws IOException {
      long start = getCurrentSource().getStartOffset();
      LOG.debug("Reading Amazon Records of {} from byte {}", fileName(), start);
      // The channel is at `start`. The range tracker ends the read (also after dynamic splits),
      // so the range itself runs to the end of the file.
      range =
          new RecordIoRange(
              new BufferedInputStream(Channels.newInputStream(channel), 1 << 16),
              start,
              Long.MAX_VALUE);
    }

    @Override
    protected boolean readNextRecord() throws IOException {
      boolean more;
      try {
        more = range.next();
      } catch (RecordIoFormatException e) {
        throw new IOException("Bad RecordIO framing in " + fileName() + ": " + e.getMessage(), e);
      }
      if (!more) {
        current = null;
        return false;
      }
      offset = range.recordOffset();
      try {
        AmazonRecordSource<T> source = (AmazonRecordSource<T>) getCurrentSource();
        current =
            source.convert.apply(AmazonRecordDecoder.decode(range.buffer(), 0, range.length()));
      } catch (MalformedRecordException | IllegalArgumentException e) {
        throw new IOException(
            "Cannot read the record at byte "
                + offset
                + " of "
                + fileName()
                + ": "
                + e.getMessage(),
            e);
      }
      return true;
    }

    @Override
    protected long getCurrentOffset() throws NoSuchElementException {
      if (offset < 0) {
        throw new NoSuchElementException("no record read yet");
      }
      return offset;
    }

    @Override
    public T getCurrent() throws NoSuchElementException {
      if (current == null) {
        throw new NoSuchElementException("no current record");
      }
      return current;
    }

    private String fileName() {
      return getCurrentSource().getSingleFileMetadata().resourceId().toString();
    }
  }
}
