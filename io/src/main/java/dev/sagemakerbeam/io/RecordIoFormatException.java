package dev.sagemakerbeam.io;

import java.io.IOException;

/** RecordIO input that does not follow the framing: names the byte offset and what was expected. */
public class RecordIoFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long offset;

  public RecordIoFormatException(long offset, String message) {
    super("Invalid RecordIO at byte offset " + offset + ": " + message);
    this.offset = offset;
  }

  /** Byte offset in the input where the problem was found. */
  public long offset() {
    return offset;
  }
}
