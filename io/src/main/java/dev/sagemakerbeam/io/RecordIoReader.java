package dev.sagemakerbeam.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Streams records out of RecordIO framing (see {@link RecordIoCodec}), reassembling multi-part
 * records.
 *
 * <p>Input that breaks the framing raises {@link RecordIoFormatException} naming the byte offset
 * and what was expected. Lengths in headers are not trusted: the payload buffer grows only as bytes
 * actually arrive, so a corrupt header claiming half a gigabyte costs no more memory than the bytes
 * that really follow it.
 *
 * <p>Usage: {@code while (reader.next()) { use(reader.buffer(), reader.length()); }}. The buffer is
 * reused by the next call to {@link #next()}.
 */
public final class RecordIoReader implements AutoCloseable {
  private static final int INITIAL_CAPACITY = 4096;
  private static final int MAX_GROWTH_STEP = 1 << 20;
  private static final int MAX_RECORD = Integer.MAX_VALUE - 16;

  private final InputStream in;
  private final byte[] header = new byte[RecordIoCodec.HEADER_BYTES];
  private boolean headerPending; // header[] holds a header already consumed by seekToRecordStart
  private long position;
  private byte[] buffer = new byte[INITIAL_CAPACITY];
  private int length;
  private long recordOffset = -1;

  public RecordIoReader(InputStream in) {
    this(in, 0);
  }

  /**
   * A reader whose stream starts at byte {@code startPosition} of the input (for offsets in
   * messages).
   */
  public RecordIoReader(InputStream in, long startPosition) {
    this.in = in;
    this.position = startPosition;
  }

  /**
   * Reads the next record.
   *
   * @return false at the clean end of the input (between records)
   */
  public boolean next() throws IOException {
    length = 0;
    long start = -1;
    while (true) {
      long headerOffset = headerPending ? position - RecordIoCodec.HEADER_BYTES : position;
      if (!readHeader()) {
        if (start >= 0) {
          throw new RecordIoFormatException(
              headerOffset,
              "input ended inside the multi-part record that starts at offset "
                  + start
                  + "; expected a header of a middle (flag 2) or last (flag 3) part");
        }
        return false;
      }
      int magic = RecordIoCodec.readIntLe(header, 0);
      if (magic != RecordIoCodec.MAGIC) {
        throw new RecordIoFormatException(
            headerOffset,
            String.format(
                "expected the magic word 0x%08X but found 0x%08X; this is not RecordIO data or the"
                    + " previous record's length was wrong",
                RecordIoCodec.MAGIC, magic));
      }
      int lrecord = RecordIoCodec.readIntLe(header, 4);
      int flag = RecordIoCodec.flagOf(lrecord);
      int partLength = RecordIoCodec.lengthOf(lrecord);
      if (flag > RecordIoCodec.FLAG_LAST) {
        throw new RecordIoFormatException(
            headerOffset + 4,
            "continuation flag "
                + flag
                + " is not one of 0 (whole record), 1 (first part),"
                + " 2 (middle part), 3 (last part)");
      }
      boolean first = start < 0;
      if (first && (flag == RecordIoCodec.FLAG_MIDDLE || flag == RecordIoCodec.FLAG_LAST)) {
        throw new RecordIoFormatException(
            headerOffset + 4,
            "found a continuation part (flag "
                + flag
                + ") with no first part before it;"
                + " expected flag 0 (whole record) or 1 (first part)");
      }
      if (!first && (flag == RecordIoCodec.FLAG_WHOLE || flag == RecordIoCodec.FLAG_FIRST)) {
        throw new RecordIoFormatException(
            headerOffset + 4,
            "expected a middle (flag 2) or last (flag 3) part of the record that starts at offset "
                + start
                + " but found flag "
                + flag);
      }
      if (first) {
        start = headerOffset;
      } else {
        // the writer dropped the magic word where it split the payload: put it back
        appendMagic(headerOffset);
      }
      readPart(headerOffset, partLength);
      if (flag == RecordIoCodec.FLAG_WHOLE || flag == RecordIoCodec.FLAG_LAST) {
        recordOffset = start;
        return true;
      }
    }
  }

  /**
   * Skips to the first record that starts at or after the current position, for readers that begin
   * in the middle of a file. The current position must be a multiple of 4 (every record starts at
   * one). Only record headers hold the magic word at an aligned offset, so the first aligned magic
   * word followed by a whole-record or first-part flag is a record start.
   *
   * @return the offset of that record, or -1 if the input ends first
   */
  public long seekToRecordStart() throws IOException {
    if ((position & 3) != 0) {
      throw new IllegalStateException(
          "seekToRecordStart needs a position that is a multiple of 4, was " + position);
    }
    if (headerPending) {
      return position - RecordIoCodec.HEADER_BYTES;
    }
    int have = 0; // bytes of header[] that hold unexamined input
    while (true) {
      int n = readFully(header, have, RecordIoCodec.HEADER_BYTES - have);
      have += n;
      position += n;
      if (have < RecordIoCodec.HEADER_BYTES) {
        return -1;
      }
      if (RecordIoCodec.readIntLe(header, 0) == RecordIoCodec.MAGIC) {
        int flag = RecordIoCodec.flagOf(RecordIoCodec.readIntLe(header, 4));
        if (flag == RecordIoCodec.FLAG_WHOLE || flag == RecordIoCodec.FLAG_FIRST) {
          headerPending = true;
          return position - RecordIoCodec.HEADER_BYTES;
        }
      }
      // slide by one aligned word
      System.arraycopy(header, 4, header, 0, 4);
      have = 4;
    }
  }

  /** The buffer holding the current record in {@code [0, length())}; reused by {@link #next()}. */
  public byte[] buffer() {
    return buffer;
  }

  /** Length of the current record. */
  public int length() {
    return length;
  }

  /** A copy of the current record. */
  public byte[] payload() {
    return Arrays.copyOf(buffer, length);
  }

  /** Byte offset of the current record's first header. */
  public long recordOffset() {
    return recordOffset;
  }

  /** Byte offset just past what has been read. */
  public long position() {
    return position;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private boolean readHeader() throws IOException {
    if (headerPending) {
      headerPending = false;
      return true;
    }
    int n = readFully(header, 0, header.length);
    position += n;
    if (n == 0) {
      return false;
    }
    if (n < header.length) {
      throw new RecordIoFormatException(
          position - n,
          "expected an 8-byte record header (magic word and length) but the input ends after "
              + n
              + " byte"
              + (n == 1 ? "" : "s"));
    }
    return true;
  }

  private void readPart(long headerOffset, int partLength) throws IOException {
    long padded = RecordIoCodec.paddedLength(partLength);
    if ((long) length + padded > MAX_RECORD) {
      throw new RecordIoFormatException(
          headerOffset,
          "multi-part record grows past " + MAX_RECORD + " bytes, more than a Java array holds");
    }
    int target = (int) (length + padded);
    int at = length;
    while (at < target) {
      // grow only as data arrives, never to a size the header merely claims
      if (at == buffer.length) {
        int step = Math.min(Math.max(buffer.length, INITIAL_CAPACITY), MAX_GROWTH_STEP);
        buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length + step, target));
      }
      int n = in.read(buffer, at, Math.min(buffer.length, target) - at);
      if (n < 0) {
        long got = at - length;
        throw new RecordIoFormatException(
            headerOffset,
            "record header says "
                + partLength
                + " payload bytes ("
                + padded
                + " with padding) but the input ends after "
                + got
                + " of them, at offset "
                + (position + got)
                + "; the file is truncated or the length is corrupt");
      }
      at += n;
    }
    position += padded;
    length += partLength;
  }

  private void appendMagic(long headerOffset) throws IOException {
    if (buffer.length - length < 4) {
      if (length > MAX_RECORD - 4) {
        throw new RecordIoFormatException(headerOffset, "multi-part record too large");
      }
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + 4));
    }
    RecordIoCodec.writeIntLe(buffer, length, RecordIoCodec.MAGIC);
    length += 4;
  }

  private int readFully(byte[] b, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int n = in.read(b, off + total, len - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}
