package dev.sagemakerbeam.transforms.inference;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;

/**
 * Turns an InvokeEndpoint response body into one prediction per request row, in row order. The
 * engine checks that the count matches the request's rows; a mismatch sends the whole batch to the
 * failures output.
 *
 * <p>Implement this for a format of your own. Implementations must be serializable and thread-safe
 * (responses are decoded on the HTTP client's threads).
 */
public interface ResponseDeserializer<R> extends Serializable {
  /** The Accept header sent with the request. */
  String accept();

  /**
   * The predictions in the body, in row order.
   *
   * @throws RuntimeException if the body is malformed; the batch then goes to failures
   */
  List<R> deserialize(byte[] body);

  /** A Beam coder for the predictions. */
  Coder<R> predictionCoder();
}
