package dev.sagemakerbeam.local.server;

/**
 * An error answered the way SageMaker answers it: an HTTP status and an error code ({@code __type}
 * in AWS JSON 1.1, {@code x-amzn-ErrorType} in REST-JSON) with a message.
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final boolean injected;

  public ApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
    this.injected = false;
  }

  private ApiException(int status, String code, String message, boolean injected) {
    super(message, null, false, false); // an answer asked for: no stack trace to fill in
    this.status = status;
    this.code = code;
    this.injected = injected;
  }

  /**
   * An answer a fault injection asked for (throttling, 5xx): logged at debug only, since the user
   * asked for it, and without a stack trace, which would cost more than the answer.
   */
  public static ApiException injected(int status, String code, String message) {
    return new ApiException(status, code, message, true);
  }

  /** HTTP 400 ValidationException. */
  public static ApiException validation(String message) {
    return new ApiException(400, "ValidationException", message);
  }

  /** HTTP 400 ResourceNotFound. */
  public static ApiException notFound(String message) {
    return new ApiException(400, "ResourceNotFound", message);
  }

  /** HTTP 400 ResourceInUse. */
  public static ApiException inUse(String message) {
    return new ApiException(400, "ResourceInUse", message);
  }

  /** HTTP 400 ResourceLimitExceeded. */
  public static ApiException limitExceeded(String message) {
    return new ApiException(400, "ResourceLimitExceeded", message);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** Whether a fault injection asked for this answer. */
  public boolean injected() {
    return injected;
  }

  /** The AWS error code. */
  public String code() {
    return code;
  }
}
