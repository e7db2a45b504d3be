package dev.sagemakerbeam.local.hosting;

import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.faults.FaultInjector;
import dev.sagemakerbeam.local.server.ApiException;

/**
 * The runtime's answers to injected faults, with the status codes and error codes SageMaker Runtime
 * really sends, so the AWS SDKs map them to the same exceptions: 400 {@code ThrottlingException}
 * (null message, as SageMaker sends it), 429 {@code ModelNotReadyException}, 500 {@code
 * InternalFailure}, 503 {@code ServiceUnavailable}; a model error becomes the usual 424 {@code
 * ModelError}.
 */
final class InjectedFaults {
  static final String MARK = " (fault injected by SageMaker Local)";

  private InjectedFaults() {}

  /** Throws the front end's answer when the fault is one that never reaches the model. */
  static void answerFrontEnd(FaultInjector.Decision fault) {
    switch (fault.outcome()) {
      case THROTTLE -> throw throttling();
      case MODEL_NOT_READY ->
          throw ApiException.injected(
              429,
              "ModelNotReadyException",
              "Either a serverless endpoint variant's resources are still being provisioned, or a"
                  + " multi-model endpoint is still downloading or loading the target model. Wait"
                  + " and try your request again."
                  + MARK);
      case INTERNAL_FAILURE ->
          throw ApiException.injected(
              500, "InternalFailure", "An internal failure occurred." + MARK);
      case SERVICE_UNAVAILABLE ->
          throw ApiException.injected(
              503, "ServiceUnavailable", "The service is unavailable. Try again later." + MARK);
      case INTERNAL_DEPENDENCY ->
          throw ApiException.injected(
              530,
              "InternalDependencyException",
              "Your request caused an exception with an internal dependency. Contact customer"
                  + " support."
                  + MARK);
      default -> {}
    }
  }

  /** SageMaker's throttling answer: HTTP 400, code ThrottlingException, no message. */
  static ApiException throttling() {
    return ApiException.injected(400, "ThrottlingException", null);
  }

  static ModelWorker.ModelError modelError(FaultInjector.Decision fault) {
    return new ModelWorker.ModelError(
        fault.spec().modelErrorStatusCode(),
        "Injected model error for request " + fault.sequence() + MARK);
  }

  /** Waits the fault's added latency. */
  static void sleep(FaultInjector.Decision fault) {
    long nanos = fault.latencyNanos();
    if (nanos <= 0) {
      return;
    }
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.injected(500, "InternalFailure", "Interrupted while waiting" + MARK);
    }
  }
}
