package dev.sagemakerbeam.local.faults;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A training job failure injected at one phase: every job whose name matches {@code jobNamePattern}
 * (a regular expression over the whole name) fails on entering {@code phase} ({@code Downloading},
 * {@code Training} or {@code Uploading}), Failed with a FailureReason naming the injected fault.
 */
public record TrainingFault(String jobNamePattern, String phase) {
  /** The secondary statuses a job can be failed at. */
  public static final List<String> PHASES = List.of("Downloading", "Training", "Uploading");

  public TrainingFault {
    Objects.requireNonNull(jobNamePattern, "jobNamePattern");
    Objects.requireNonNull(phase, "phase");
    try {
      Pattern.compile(jobNamePattern);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "jobNamePattern '" + jobNamePattern + "' is not a regular expression: " + e.getMessage(),
          e);
    }
    if (!PHASES.contains(phase)) {
      throw new IllegalArgumentException(
          "training fault phase '" + phase + "' is not one of " + String.join(", ", PHASES));
    }
  }

  /** Whether a job of this name fails on entering {@code secondaryStatus}. */
  public boolean matches(String jobName, String secondaryStatus) {
    return phase.equals(secondaryStatus) && Pattern.matches(jobNamePattern, jobName);
  }

  /** The job's FailureReason. */
  public String failureReason() {
    return "InternalServerError: injected fault: SageMaker Local fault injection fails jobs"
        + " matching '"
        + jobNamePattern
        + "' at "
        + phase;
  }
}
