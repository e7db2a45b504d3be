package dev.sagemakerbeam.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes payloads in RecordIO framing (see {@link RecordIoCodec}) to an {@link OutputStream}.
 *
 * <p>Not thread-safe. The stream is not buffered here: give a buffered stream when writing many
 * small records to a file or channel.
 */
public final class RecordIoWriter implements AutoCloseable {
  private static final byte[] ZEROS = new byte[4];

  private final OutputStream out;
  private final byte[] header = new byte[RecordIoCodec.HEADER_BYTES];
  private long bytesWritten;
  private long recordsWritten;

  public RecordIoWriter(OutputStream out) {
    this.out = out;
    RecordIoCodec.writeIntLe(header, 0, RecordIoCodec.MAGIC);
  }

  /** Frames a single payload into a new array. */
  public static byte[] frame(byte[] payload) {
    return frame(payload, 0, payload.length);
  }

  /**
   * Frames {@code length} bytes of {@code payload} from {@code offset} into a new array of exactly
   * the framed size. A payload without an aligned magic word (nearly all) is copied once, with no
   * stream in between: this runs once per row when requests are packed.
   */
  public static byte[] frame(byte[] payload, int offset, int length) {
    if (length > RecordIoCodec.MAX_PART_LENGTH) {
      throw new IllegalArgumentException(
          "RecordIO record of "
              + length
              + " bytes is too large: the format caps a record at "
              + RecordIoCodec.MAX_PART_LENGTH
              + " bytes (2^29 - 1); split the data into smaller records");
    }
    long framedSize = RecordIoCodec.framedSize(payload, offset, length);
    if (framedSize == RecordIoCodec.framedSize(length)) {
      byte[] framed = new byte[(int) framedSize];
      RecordIoCodec.writeIntLe(framed, 0, RecordIoCodec.MAGIC);
      RecordIoCodec.writeIntLe(
          framed, 4, RecordIoCodec.encodeLrecord(RecordIoCodec.FLAG_WHOLE, length));
      System.arraycopy(payload, offset, framed, RecordIoCodec.HEADER_BYTES, length);
      return framed; // the padding is already zero
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) framedSize);
    try (RecordIoWriter writer = new RecordIoWriter(bytes)) {
      writer.write(payload, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return bytes.toByteArray();
  }

  public void write(byte[] payload) throws IOException {
    write(payload, 0, payload.length);
  }

  /**
   * Writes one record. A payload holding the magic word at an aligned offset is written as a
   * multi-part record with that word dropped, exactly as dmlc-core's writer does.
   *
   * @throws IllegalArgumentException if the payload is {@code 2^29} bytes or longer
   */
  public void write(byte[] payload, int offset, int length) throws IOException {
    if (length > RecordIoCodec.MAX_PART_LENGTH) {
      throw new IllegalArgumentException(
          "RecordIO record of "
              + length
              + " bytes is too large: the format caps a record at "
              + RecordIoCodec.MAX_PART_LENGTH
              + " bytes (2^29 - 1); split the data into smaller records");
    }
    int lowerAligned = length & ~3;
    int partStart = 0; // relative to offset
    for (int i = 0; i < lowerAligned; i += 4) {
      if (RecordIoCodec.isMagicAt(payload, offset + i)) {
        int flag = partStart == 0 ? RecordIoCodec.FLAG_FIRST : RecordIoCodec.FLAG_MIDDLE;
        writePart(flag, payload, offset + partStart, i - partStart);
        partStart = i + 4;
      }
    }
    int flag = partStart == 0 ? RecordIoCodec.FLAG_WHOLE : RecordIoCodec.FLAG_LAST;
    writePart(flag, payload, offset + partStart, length - partStart);
    int padding = (int) (RecordIoCodec.paddedLength(length) - length);
    if (padding > 0) {
      out.write(ZEROS, 0, padding);
      bytesWritten += padding;
    }
    recordsWritten++;
  }

  private void writePart(int flag, byte[] payload, int offset, int length) throws IOException {
    RecordIoCodec.writeIntLe(header, 4, RecordIoCodec.encodeLrecord(flag, length));
    out.write(header, 0, header.length);
    if (length > 0) {
      out.write(payload, offset, length);
    }
    bytesWritten += header.length + length;
  }

  /** Bytes written so far, headers and padding included. */
  public long bytesWritten() {
    return bytesWritten;
  }

  public long recordsWritten() {
    return recordsWritten;
  }

  public void flush() throws IOException {
    out.flush();
  }

  /** Flushes and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    out.close();
  }
}
