package dev.sagemakerbeam.transforms.batch;

import dev.sagemakerbeam.transforms.polling.JobPolling;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateTransformJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeTransformJobResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.TransformJobStatus;

/**
 * The one batch transform orchestrator, used by the Beam {@code SageMakerBatchTransform} and the
 * Spark {@code SageMakerModel} alike: creates a transform job (or, when a job of that name exists
 * already, as after a retried step, follows it instead of starting another), logs each status
 * change and returns the job's final description. A job still running at the timeout, or when the
 * waiting thread is interrupted, is stopped, so no job is left running unwatched.
 */
public final class BatchTransformRunner {
  private static final Logger LOG = LoggerFactory.getLogger(BatchTransformRunner.class);

  private final SageMakerClient client;
  private final Duration timeout;
  private final Duration pollInterval;

  public BatchTransformRunner(SageMakerClient client, Duration timeout, Duration pollInterval) {
    this.client = Objects.requireNonNull(client, "client");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
  }

  /**
   * Runs the job to its end.
   *
   * @return the final description: Completed, Failed or Stopped (see {@link #requireCompleted})
   * @throws BatchTransformJobException if the job did not end within the timeout (it is stopped)
   */
  public DescribeTransformJobResponse run(CreateTransformJobRequest request) {
    String jobName = request.transformJobName();
    try {
      LOG.info(
          "Creating batch transform job {} (model {}, {} x {}, {} split {} to {})",
          jobName,
          request.modelName(),
          request.transformResources().instanceCount(),
          request.transformResources().instanceTypeAsString(),
          request.transformInput().dataSource().s3DataSource().s3Uri(),
          request.transformInput().splitTypeAsString(),
          request.transformOutput().s3OutputPath());
      client.createTransformJob(request);
    } catch (ResourceInUseException e) {
      LOG.info("Batch transform job {} exists already; following it", jobName);
    }
    return awaitEnd(jobName);
  }

  /** Follows an existing job until it is Completed, Failed or Stopped. */
  public DescribeTransformJobResponse awaitEnd(String jobName) {
    Instant start = Instant.now();
    String[] lastStatus = new String[1];
    DescribeTransformJobResponse last;
    try {
      last =
          JobPolling.untilEnded(
              DescribeTransformJobResponse.class,
              () -> {
                DescribeTransformJobResponse r =
                    client.describeTransformJob(d -> d.transformJobName(jobName));
                if (!Objects.equals(r.transformJobStatusAsString(), lastStatus[0])) {
                  LOG.info("Batch transform job {} is {}", jobName, r.transformJobStatusAsString());
                  lastStatus[0] = r.transformJobStatusAsString();
                }
                return r;
              },
              r -> isTerminal(r.transformJobStatus()),
              timeout,
              pollInterval);
    } catch (JobPolling.GaveUpException e) {
      stopQuietly(jobName);
      throw new BatchTransformJobException(
          jobName,
          lastStatus[0],
          null,
          "Batch transform job "
              + jobName
              + " was stopped because "
              + e.getMessage()
              + (e.interrupted() ? "" : "; raise the batch transform timeout"),
          e);
    }
    LOG.info(
        "Batch transform job {} ended {} after {} s{}",
        jobName,
        last.transformJobStatusAsString(),
        Duration.between(start, Instant.now()).toSeconds(),
        last.failureReason() == null ? "" : ": " + last.failureReason());
    return last;
  }

  /**
   * @throws BatchTransformJobException with SageMaker's FailureReason unless {@code job} Completed
   */
  public static DescribeTransformJobResponse requireCompleted(DescribeTransformJobResponse job) {
    if (job.transformJobStatus() == TransformJobStatus.COMPLETED) {
      return job;
    }
    throw new BatchTransformJobException(
        job.transformJobName(),
        job.transformJobStatusAsString(),
        job.failureReason(),
        "Batch transform job "
            + job.transformJobName()
            + " ended "
            + job.transformJobStatusAsString()
            + (job.failureReason() == null ? "" : ": " + job.failureReason()),
        null);
  }

  private void stopQuietly(String jobName) {
    try {
      LOG.warn("Stopping batch transform job {}", jobName);
      client.stopTransformJob(r -> r.transformJobName(jobName));
    } catch (SageMakerException e) {
      LOG.info("Batch transform job {} could not be stopped: {}", jobName, e.getMessage());
    }
  }

  private static boolean isTerminal(TransformJobStatus status) {
    return status == TransformJobStatus.COMPLETED
        || status == TransformJobStatus.FAILED
        || status == TransformJobStatus.STOPPED;
  }

  /** A batch transform job that did not complete. */
  public static final class BatchTransformJobException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String jobName;
    private final String status;
    private final String failureReason;

    BatchTransformJobException(
        String jobName, String status, String failureReason, String message, Throwable cause) {
      super(message, cause);
      this.jobName = jobName;
      this.status = status;
      this.failureReason = failureReason;
    }

    public String jobName() {
      return jobName;
    }

    /** Failed, Stopped, or the last status seen before it was stopped. */
    public String status() {
      return status;
    }

    /** SageMaker's FailureReason, or null. */
    public String failureReason() {
      return failureReason;
    }
  }
}
