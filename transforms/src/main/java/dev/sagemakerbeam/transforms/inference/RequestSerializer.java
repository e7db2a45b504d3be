package dev.sagemakerbeam.transforms.inference;

import java.io.Serializable;

/**
 * Turns elements into an InvokeEndpoint request body. A body is {@link #bodyPrefix()}, the rows
 * joined by {@link #rowSeparator()}, then {@link #bodySuffix()}; the batching engine packs rows up
 * to the byte limit by adding these sizes, so {@link #serialize} must return a row exactly as it
 * appears in the body (RecordIO framing, trailing newline, ... included).
 *
 * <p>Implement this for a format of your own. Implementations must be serializable and may be
 * called from one thread at a time per instance (each DoFn instance has its own copy).
 */
public interface RequestSerializer<T> extends Serializable {
  byte[] EMPTY = new byte[0];

  /** The request's Content-Type, e.g. {@code application/x-recordio-protobuf}. */
  String contentType();

  /**
   * One row's bytes as they appear in the body.
   *
   * @throws RuntimeException (for example {@link IllegalArgumentException}) if the element cannot
   *     be serialized; the element then goes to the failures output with the message
   */
  byte[] serialize(T element);

  /** Bytes before the first row (e.g. {@code {"instances":[}). */
  default byte[] bodyPrefix() {
    return EMPTY;
  }

  /** Bytes between two rows (e.g. a comma). */
  default byte[] rowSeparator() {
    return EMPTY;
  }

  /** Bytes after the last row. */
  default byte[] bodySuffix() {
    return EMPTY;
  }
}
