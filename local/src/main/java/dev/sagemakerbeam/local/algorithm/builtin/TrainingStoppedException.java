package dev.sagemakerbeam.local.algorithm.builtin;

/**
 * Training ended early because StopTrainingJob was called, MaxRuntimeInSeconds ran out or the
 * thread was interrupted. An {@link InterruptedException}, so the server treats it as the stop it
 * asked for, never as a failure.
 */
public final class TrainingStoppedException extends InterruptedException {
  private static final long serialVersionUID = 1L;

  public TrainingStoppedException(String message) {
    super(message);
  }
}
