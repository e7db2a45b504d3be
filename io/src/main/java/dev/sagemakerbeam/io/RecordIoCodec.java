package dev.sagemakerbeam.io;

/**
 * The RecordIO framing of dmlc-core, as read by SageMaker's built-in algorithms.
 *
 * <p>Each record is {@code uint32 magic, uint32 lrecord} (little-endian), the payload, and zero
 * padding to a multiple of 4 bytes. The low 29 bits of {@code lrecord} hold the part length, the
 * high 3 bits a continuation flag: 0 a whole record, 1 the first part, 2 a middle part, 3 the last
 * part. A payload containing the magic word at a 4-byte-aligned offset is written in parts split at
 * each such word, which is dropped; the reader puts it back. This keeps the magic word off every
 * aligned position of a file except record headers, which is what lets a reader resynchronise
 * anywhere in a file (see {@link RecordIoReader#seekToRecordStart}).
 *
 * <p>{@link RecordIoWriter} writes the framing and {@link RecordIoReader} reads it; this class
 * holds the constants and the arithmetic both share.
 */
public final class RecordIoCodec {
  /** The magic word, as an int read little-endian. */
  public static final int MAGIC = 0xCED7230A;

  /** Largest part length the 29-bit length field can carry. */
  public static final int MAX_PART_LENGTH = (1 << 29) - 1;

  /** Header size: magic plus lrecord. */
  public static final int HEADER_BYTES = 8;

  public static final int FLAG_WHOLE = 0;
  public static final int FLAG_FIRST = 1;
  public static final int FLAG_MIDDLE = 2;
  public static final int FLAG_LAST = 3;

  private RecordIoCodec() {}

  /** The lrecord word for a part of {@code length} bytes with continuation flag {@code flag}. */
  public static int encodeLrecord(int flag, int length) {
    return (flag << 29) | length;
  }

  public static int flagOf(int lrecord) {
    return lrecord >>> 29;
  }

  public static int lengthOf(int lrecord) {
    return lrecord & MAX_PART_LENGTH;
  }

  /** {@code length} rounded up to a multiple of 4. */
  public static long paddedLength(long length) {
    return (length + 3) & ~3L;
  }

  /**
   * Exact number of bytes {@link RecordIoWriter} writes for this payload, multi-part splits
   * included. Used to pack requests up to a byte limit without writing them first.
   */
  public static long framedSize(byte[] payload, int offset, int length) {
    int splits = countAlignedMagic(payload, offset, length);
    // each split drops the 4-byte magic word from the payload and adds one 8-byte header
    return (long) HEADER_BYTES + paddedLength(length) + (long) splits * (HEADER_BYTES - 4);
  }

  /** Framed size of a payload of {@code length} bytes that contains no aligned magic word. */
  public static long framedSize(int length) {
    return HEADER_BYTES + paddedLength(length);
  }

  /** Number of 4-byte-aligned positions of the payload holding the magic word. */
  static int countAlignedMagic(byte[] payload, int offset, int length) {
    int count = 0;
    int lowerAligned = length & ~3;
    for (int i = 0; i < lowerAligned; i += 4) {
      if (isMagicAt(payload, offset + i)) {
        count++;
      }
    }
    return count;
  }

  static boolean isMagicAt(byte[] b, int at) {
    // 0xCED7230A little-endian: 0A 23 D7 CE
    return b[at] == (byte) 0x0A
        && b[at + 1] == (byte) 0x23
        && b[at + 2] == (byte) 0xD7
        && b[at + 3] == (byte) 0xCE;
  }

  static int readIntLe(byte[] b, int at) {
    return (b[at] & 0xFF)
        | (b[at + 1] & 0xFF) << 8
        | (b[at + 2] & 0xFF) << 16
        | (b[at + 3] & 0xFF) << 24;
  }

  static void writeIntLe(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }
}
