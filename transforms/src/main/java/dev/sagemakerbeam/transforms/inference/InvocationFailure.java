package dev.sagemakerbeam.transforms.inference;

import java.io.Serializable;
import java.util.Objects;

/**
 * Why an element got no prediction: the HTTP status and SageMaker error code of the final attempt
 * (null when no response came back, e.g. a timeout), the message, the model's own status and
 * message for a {@code ModelError} (424), and how many attempts were made.
 */
public final class InvocationFailure implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Error code used when an element alone is larger than the request byte limit. */
  public static final String ELEMENT_TOO_LARGE = "ElementTooLarge";

  /** Error code used when the serializer rejected an element. */
  public static final String SERIALIZATION_ERROR = "SerializationError";

  /** Error code used when a response could not be read or had the wrong number of predictions. */
  public static final String RESPONSE_ERROR = "ResponseError";

  /** Error code used when no HTTP response came back (connection error, timeout). */
  public static final String CLIENT_ERROR = "ClientError";

  private final Integer statusCode;
  private final String errorCode;
  private final String message;
  private final Integer originalStatusCode;
  private final String originalMessage;
  private final String logStreamArn;
  private final int attempts;

  public InvocationFailure(
      Integer statusCode,
      String errorCode,
      String message,
      Integer originalStatusCode,
      String originalMessage,
      String logStreamArn,
      int attempts) {
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.message = message;
    this.originalStatusCode = originalStatusCode;
    this.originalMessage = originalMessage;
    this.logStreamArn = logStreamArn;
    this.attempts = attempts;
  }

  static InvocationFailure of(String errorCode, String message, int attempts) {
    return new InvocationFailure(null, errorCode, message, null, null, null, attempts);
  }

  /** HTTP status of the last response, or null if none came back. */
  public Integer statusCode() {
    return statusCode;
  }

  /**
   * SageMaker's error code (e.g. {@code ModelError}, {@code ValidationError}) or one of this
   * class's.
   */
  public String errorCode() {
    return errorCode;
  }

  public String message() {
    return message;
  }

  /** For a ModelError: the status the model container answered with. */
  public Integer originalStatusCode() {
    return originalStatusCode;
  }

  /** For a ModelError: the model container's message. */
  public String originalMessage() {
    return originalMessage;
  }

  /** For a ModelError: the CloudWatch log stream of the container. */
  public String logStreamArn() {
    return logStreamArn;
  }

  /** Requests made for this element's batch (0 if none was sent). */
  public int attempts() {
    return attempts;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof InvocationFailure)) {
      return false;
    }
    InvocationFailure f = (InvocationFailure) o;
    return Objects.equals(statusCode, f.statusCode)
        && Objects.equals(errorCode, f.errorCode)
        && Objects.equals(message, f.message)
        && Objects.equals(originalStatusCode, f.originalStatusCode)
        && Objects.equals(originalMessage, f.originalMessage)
        && Objects.equals(logStreamArn, f.logStreamArn)
        && attempts == f.attempts;
  }

  @Override
  public int hashCode() {
    return Objects.hash(statusCode, errorCode, message, attempts);
  }

  @Override
  public String toString() {
    return "InvocationFailure{status="
        + statusCode
        + ", errorCode="
        + errorCode
        + ", message="
        + message
        + (originalStatusCode != null ? ", originalStatusCode=" + originalStatusCode : "")
        + (originalMessage != null ? ", originalMessage=" + originalMessage : "")
        + (logStreamArn != null ? ", logStreamArn=" + logStreamArn : "")
        + ", attempts="
        + attempts
        + "}";
  }
}
