package dev.sagemakerbeam.transforms.training;

/**
 * A training job that did not complete: Failed (with SageMaker's FailureReason), Stopped, or not
 * finished within the wait timeout (in which case it was asked to stop).
 */
public class TrainingJobException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String trainingJobName;
  private final String status;
  private final String failureReason;

  public TrainingJobException(
      String trainingJobName, String status, String failureReason, String message) {
    super(message);
    this.trainingJobName = trainingJobName;
    this.status = status;
    this.failureReason = failureReason;
  }

  public TrainingJobException(
      String trainingJobName, String status, String message, Throwable cause) {
    super(message, cause);
    this.trainingJobName = trainingJobName;
    this.status = status;
    this.failureReason = null;
  }

  public String trainingJobName() {
    return trainingJobName;
  }

  /** The job's TrainingJobStatus when the wait ended (Failed, Stopped, InProgress, ...). */
  public String status() {
    return status;
  }

  /** SageMaker's FailureReason, or null. */
  public String failureReason() {
    return failureReason;
  }
}
