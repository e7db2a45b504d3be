package dev.sagemakerbeam.local.algorithm;

/** One loaded model answering invocations; thread-safe; closed when its endpoint goes away. */
public interface ModelWorker extends AutoCloseable {

  /**
   * Answers one InvokeEndpoint request.
   *
   * @param contentType the request's Content-Type
   * @param accept the request's Accept, or null
   * @throws ModelError when the model fails; the runtime answers 424 ModelError with its status and
   *     message as OriginalStatusCode and OriginalMessage
   */
  Invocation invoke(byte[] body, String contentType, String accept) throws ModelError;

  /** Whether the worker answers; for user algorithms, the container's {@code GET /ping}. */
  default boolean ping() {
    return true;
  }

  @Override
  default void close() {}

  /** A model's answer: body and its content type. */
  record Invocation(byte[] body, String contentType) {}

  /** A model's failure to answer, as the container reported it. */
  class ModelError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int statusCode;

    public ModelError(int statusCode, String message) {
      super(message);
      this.statusCode = statusCode;
    }

    /** The status the container answered with (400 for input it cannot read). */
    public int statusCode() {
      return statusCode;
    }
  }
}
