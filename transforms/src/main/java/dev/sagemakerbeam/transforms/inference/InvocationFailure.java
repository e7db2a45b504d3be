package dev.sagemakerbeam.transforms.inference;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import javax.annotation.Nullable;

/**
 * Why an element got no prediction: the HTTP status and SageMaker error code of the final attempt
 * (null when no response came back, e.g. a timeout), the message, the model's own status and
 * message for a {@code ModelError} (424), and how many attempts were made. An AutoValue value.
 */
@AutoValue
public abstract class InvocationFailure implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Error code used when an element alone is larger than the request byte limit. */
  public static final String ELEMENT_TOO_LARGE = "ElementTooLarge";

  /** Error code used when the serializer rejected an element. */
  public static final String SERIALIZATION_ERROR = "SerializationError";

  /** Error code used when a response could not be read or had the wrong number of predictions. */
  public static final String RESPONSE_ERROR = "ResponseError";

  /** Error code used when no HTTP response came back (connection error, timeout). */
  public static final String CLIENT_ERROR = "ClientError";

  InvocationFailure() {}

  /** A failure with every detail; the nullable ones are null when no response carried them. */
  public static InvocationFailure create(
      @Nullable Integer statusCode,
      @Nullable String errorCode,
      @Nullable String message,
      @Nullable Integer originalStatusCode,
      @Nullable String originalMessage,
      @Nullable String logStreamArn,
      int attempts) {
    return new AutoValue_InvocationFailure(
        statusCode,
        errorCode,
        message,
        originalStatusCode,
        originalMessage,
        logStreamArn,
        attempts);
  }

  static InvocationFailure of(String errorCode, String message, int attempts) {
    return create(null, errorCode, message, null, null, null, attempts);
  }

  /** HTTP status of the last response, or null if none came back. */
  public abstract @Nullable Integer statusCode();

  /**
   * SageMaker's error code (e.g. {@code ModelError}, {@code ValidationError}) or one of this
   * class's.
   */
  public abstract @Nullable String errorCode();

  public abstract @Nullable String message();

  /** For a ModelError: the status the model container answered with. */
  public abstract @Nullable Integer originalStatusCode();

  /** For a ModelError: the model container's message. */
  public abstract @Nullable String originalMessage();

  /** For a ModelError: the CloudWatch log stream of the container. */
  public abstract @Nullable String logStreamArn();

  /** Requests made for this element's batch (0 if none was sent). */
  public abstract int attempts();

  /** Leaves out the ModelError details that are absent. */
  @Override
  public final String toString() {
    return "InvocationFailure{status="
        + statusCode()
        + ", errorCode="
        + errorCode()
        + ", message="
        + message()
        + (originalStatusCode() != null ? ", originalStatusCode=" + originalStatusCode() : "")
        + (originalMessage() != null ? ", originalMessage=" + originalMessage() : "")
        + (logStreamArn() != null ? ", logStreamArn=" + logStreamArn() : "")
        + ", attempts="
        + attempts()
        + "}";
  }
}
