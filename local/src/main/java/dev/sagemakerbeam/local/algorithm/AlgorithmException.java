package dev.sagemakerbeam.local.algorithm;

/** Training or loading failed; the message is what SageMaker reports (FailureReason). */
public class AlgorithmException extends Exception {
  private static final long serialVersionUID = 1L;

  public AlgorithmException(String message) {
    super(message);
  }

  public AlgorithmException(String message, Throwable cause) {
    super(message, cause);
  }
}
