package dev.sagemakerbeam.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the records of one byte range of a RecordIO file: every record whose first header starts in
 * {@code [start, end)}, read to its end even if that lies past {@code end}. Ranges that tile a file
 * therefore give each record exactly once, which is how Beam's source and the Spark data source
 * split large files.
 *
 * <p>A range may start anywhere. Records start at multiples of 4 and only record headers hold the
 * magic word at an aligned offset (the writer escapes it elsewhere, see {@link RecordIoCodec}), so
 * the range resynchronises at the first aligned magic word of a whole or first part at or after
 * {@code start} ({@link RecordIoReader#seekToRecordStart}).
 *
 * <p>Usage: {@code while (range.next()) { use(range.buffer(), range.length()); }}.
 */
public final class RecordIoRange implements AutoCloseable {
  private final RecordIoReader reader;
  private final long end;
  private boolean started;
  private boolean done;

  /**
   * @param in the file's bytes from offset {@code start} on (the caller has already positioned it)
   * @param start first byte of the range within the file
   * @param end end of the range (exclusive); {@link Long#MAX_VALUE} for the rest of the file
   */
  public RecordIoRange(InputStream in, long start, long end) throws IOException {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(
          "a RecordIO range needs 0 <= start <= end, got [" + start + ", " + end + ")");
    }
    long aligned = RecordIoCodec.paddedLength(start);
    boolean endedEarly = false;
    if (aligned > start) {
      try {
        in.skipNBytes(aligned - start);
      } catch (EOFException e) {
        endedEarly = true;
      }
    }
    this.reader = new RecordIoReader(in, aligned);
    this.end = end;
    this.done = endedEarly || aligned >= end;
  }

  /**
   * Reads the next record of the range.
   *
   * @return false when the next record starts at or after the end of the range, or the file ends
   */
  public boolean next() throws IOException {
    if (done) {
      return false;
    }
    if (!started) {
      started = true;
      long first = reader.seekToRecordStart();
      if (first < 0 || first >= end) {
        done = true;
        return false;
      }
    } else if (reader.position() >= end) {
      // the previous record ended at or past the end: the next one belongs to the next range
      done = true;
      return false;
    }
    if (!reader.next() || reader.recordOffset() >= end) {
      done = true;
      return false;
    }
    return true;
  }

  /** The buffer holding the current record in {@code [0, length())}; reused by {@link #next()}. */
  public byte[] buffer() {
    return reader.buffer();
  }

  public int length() {
    return reader.length();
  }

  /** Byte offset in the file of the current record's first header. */
  public long recordOffset() {
    return reader.recordOffset();
  }

  /** Closes the underlying stream. */
  @Override
  public void close() throws IOException {
    reader.close();
  }
}
