package dev.sagemakerbeam.transforms.training;

import dev.sagemakerbeam.transforms.polling.JobPolling;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.MetricData;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatusTransition;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * The one training-job orchestrator: creates a SageMaker training job, follows it to the end while
 * logging every status and secondary-status change, and returns the trained model. Used by the Beam
 * {@code SageMakerTrain} transform and the Spark estimators alike.
 *
 * <p>Waiting uses the SDK's generic {@link Waiter} with an explicit timeout; the terminal state is
 * then checked here, because Stopped and Failed are not success. A job still running at the timeout
 * (or when the waiting thread is interrupted) is asked to stop, so no job is left running
 * unwatched.
 */
public final class TrainingJobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingJobRunner.class);

  private final SageMakerClient client;
  private final Duration timeout;
  private final Duration pollInterval;

  /**
   * @param timeout how long to wait for the job to end before stopping it
   * @param pollInterval the steady time between DescribeTrainingJob calls; polls start faster and
   *     grow to it ({@link AdaptivePolling}), so a job that ends in a second is seen at once
   */
  public TrainingJobRunner(SageMakerClient client, Duration timeout, Duration pollInterval) {
    this.client = Objects.requireNonNull(client, "client");
    this.timeout = requirePositive(timeout, "timeout");
    this.pollInterval = requirePositive(pollInterval, "pollInterval");
  }

  /** Creates the job and waits for it; see {@link #awaitCompletion}. */
  public TrainedModel run(CreateTrainingJobRequest request) {
    String jobName = request.trainingJobName();
    LOG.info(
        "Creating training job {} (image {}, {} x {}, {} hyperparameters)",
        jobName,
        request.algorithmSpecification().trainingImage(),
        request.resourceConfig() == null ? null : request.resourceConfig().instanceCount(),
        request.resourceConfig() == null ? null : request.resourceConfig().instanceTypeAsString(),
        request.hyperParameters().size());
    client.createTrainingJob(request);
    return awaitCompletion(jobName);
  }

  /**
   * Follows an existing training job until it ends.
   *
   * @return the trained model if the job Completed
   * @throws TrainingJobException if it Failed or was Stopped (with SageMaker's FailureReason), or
   *     did not end within the timeout (the job is then stopped)
   */
  public TrainedModel awaitCompletion(String jobName) {
    ProgressLog progress = new ProgressLog(jobName);
    Instant start = Instant.now();
    DescribeTrainingJobResponse last;
    try {
      last =
          JobPolling.untilEnded(
              DescribeTrainingJobResponse.class,
              () -> progress.record(client.describeTrainingJob(r -> r.trainingJobName(jobName))),
              r -> isTerminal(r.trainingJobStatus()),
              timeout,
              pollInterval);
    } catch (JobPolling.GaveUpException e) {
      stopQuietly(jobName);
      throw new TrainingJobException(
          jobName,
          progress.lastStatus(),
          "Training job "
              + jobName
              + " was stopped because "
              + e.getMessage()
              + (e.interrupted() ? "" : "; raise the training timeout if the job needs longer"),
          e);
    }
    TrainingJobStatus status = last.trainingJobStatus();
    if (status == TrainingJobStatus.COMPLETED) {
      Map<String, Double> metrics = new LinkedHashMap<>();
      for (MetricData m : last.finalMetricDataList()) {
        metrics.put(m.metricName(), m.value() == null ? Double.NaN : m.value().doubleValue());
      }
      String artifact =
          last.modelArtifacts() == null ? null : last.modelArtifacts().s3ModelArtifacts();
      if (artifact == null) {
        throw new TrainingJobException(
            jobName,
            status.toString(),
            null,
            "Training job " + jobName + " completed without ModelArtifacts.S3ModelArtifacts");
      }
      LOG.info(
          "Training job {} completed in {} s: model {}, metrics {}",
          jobName,
          Duration.between(start, Instant.now()).toSeconds(),
          artifact,
          metrics);
      return TrainedModel.of(
          jobName, artifact, last.algorithmSpecification().trainingImage(), metrics);
    }
    String reason = last.failureReason();
    String secondary = last.secondaryStatusAsString();
    throw new TrainingJobException(
        jobName,
        String.valueOf(status),
        reason,
        "Training job "
            + jobName
            + " ended "
            + status
            + " ("
            + secondary
            + ")"
            + (reason == null ? "" : ": " + reason));
  }

  private void stopQuietly(String jobName) {
    try {
      LOG.warn("Stopping training job {}", jobName);
      client.stopTrainingJob(r -> r.trainingJobName(jobName));
    } catch (SageMakerException e) {
      // already ended between the last poll and now: nothing to stop
      LOG.info(
          "Training job {} could not be stopped: {}", jobName, e.awsErrorDetails().errorMessage());
    }
  }

  private static boolean isTerminal(TrainingJobStatus status) {
    return status == TrainingJobStatus.COMPLETED
        || status == TrainingJobStatus.FAILED
        || status == TrainingJobStatus.STOPPED;
  }

  private static Duration requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
    }
    return d;
  }

  /** Logs each status change once, with the status messages SageMaker attaches to transitions. */
  private static final class ProgressLog {
    private final String jobName;
    private String status;
    private String secondary;
    private int transitionsSeen;

    ProgressLog(String jobName) {
      this.jobName = jobName;
    }

    DescribeTrainingJobResponse record(DescribeTrainingJobResponse r) {
      List<SecondaryStatusTransition> transitions = r.secondaryStatusTransitions();
      for (int i = transitionsSeen; i < transitions.size(); i++) {
        SecondaryStatusTransition t = transitions.get(i);
        LOG.info(
            "Training job {}: {}{}",
            jobName,
            t.statusAsString(),
            t.statusMessage() == null ? "" : " - " + t.statusMessage());
      }
      transitionsSeen = Math.max(transitionsSeen, transitions.size());
      String newStatus = r.trainingJobStatusAsString();
      String newSecondary = r.secondaryStatusAsString();
      if (!Objects.equals(newStatus, status) || !Objects.equals(newSecondary, secondary)) {
        LOG.info("Training job {} is {} ({})", jobName, newStatus, newSecondary);
        status = newStatus;
        secondary = newSecondary;
      }
      return r;
    }

    String lastStatus() {
      return status;
    }
  }
}
