package dev.sagemakerbeam.io;

/**
 * A protobuf payload that is not a well-formed Amazon Record, or not the shape the caller needs.
 */
public class MalformedRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedRecordException(String message) {
    super(message);
  }
}
