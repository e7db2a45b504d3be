package dev.sagemakerbeam.transforms.tuning;

import dev.sagemakerbeam.transforms.polling.JobPolling;
import dev.sagemakerbeam.transforms.training.TrainedModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateHyperParameterTuningJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatusCounters;

/**
 * The one tuning-job orchestrator, used by the Beam {@code SageMakerTune} transform and the Spark
 * {@code SageMakerTuner} alike: creates a hyperparameter tuning job (or follows the one of that
 * name, as after a retried step), logs its progress as trials finish, and returns the best trial
 * and every trial. A job still running at the timeout, or when the waiting thread is interrupted,
 * is stopped (which stops its running trials).
 */
public final class TuningJobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TuningJobRunner.class);

  private final SageMakerClient client;
  private final Duration timeout;
  private final Duration pollInterval;

  public TuningJobRunner(SageMakerClient client, Duration timeout, Duration pollInterval) {
    this.client = Objects.requireNonNull(client, "client");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
  }

  /**
   * Runs the tuning job to its end.
   *
   * @throws TuningJobException when it fails, is stopped before any trial completed, or outlives
   *     the timeout (it is then stopped)
   */
  public TuningResult run(CreateHyperParameterTuningJobRequest request) {
    String name = request.hyperParameterTuningJobName();
    var config = request.hyperParameterTuningJobConfig();
    LOG.info(
        "Creating tuning job {} ({} strategy, {} {}, up to {} trials, {} at a time)",
        name,
        config.strategyAsString(),
        config.hyperParameterTuningJobObjective().typeAsString(),
        config.hyperParameterTuningJobObjective().metricName(),
        config.resourceLimits().maxNumberOfTrainingJobs(),
        config.resourceLimits().maxParallelTrainingJobs());
    try {
      client.createHyperParameterTuningJob(request);
    } catch (ResourceInUseException e) {
      LOG.info("Tuning job {} exists already; following it", name);
    }
    return awaitEnd(name);
  }

  /** Follows an existing tuning job until it ends; see {@link #run}. */
  public TuningResult awaitEnd(String name) {
    Instant start = Instant.now();
    String[] progress = new String[1];
    DescribeHyperParameterTuningJobResponse last;
    try {
      last =
          JobPolling.untilEnded(
              DescribeHyperParameterTuningJobResponse.class,
              () -> {
                DescribeHyperParameterTuningJobResponse r =
                    client.describeHyperParameterTuningJob(
                        d -> d.hyperParameterTuningJobName(name));
                String now = describe(r);
                if (!now.equals(progress[0])) {
                  LOG.info("Tuning job {}: {}", name, now);
                  progress[0] = now;
                }
                return r;
              },
              r -> isTerminal(r.hyperParameterTuningJobStatus()),
              timeout,
              pollInterval);
    } catch (JobPolling.GaveUpException e) {
      stopQuietly(name);
      throw new TuningJobException(
          name,
          "Tuning job "
              + name
              + " was stopped because "
              + e.getMessage()
              + (e.interrupted() ? "" : "; raise the tuning timeout"),
          e);
    }
    List<TuningResult.Trial> trials = trials(name);
    HyperParameterTrainingJobSummary best = last.bestTrainingJob();
    String status = last.hyperParameterTuningJobStatusAsString();
    if (last.hyperParameterTuningJobStatus() == HyperParameterTuningJobStatus.FAILED
        || best == null) {
      throw new TuningJobException(
          name,
          "Tuning job "
              + name
              + " ended "
              + status
              + (best == null ? " without a completed trial" : "")
              + (last.failureReason() == null ? "" : ": " + last.failureReason())
              + "; trials: "
              + trials.stream()
                  .map(t -> t.trainingJobName() + " " + t.status())
                  .reduce((a, b) -> a + ", " + b)
                  .orElse("none"),
          null);
    }
    DescribeTrainingJobResponse job =
        client.describeTrainingJob(r -> r.trainingJobName(best.trainingJobName()));
    TrainedModel model =
        TrainedModel.of(
            job.trainingJobName(),
            job.modelArtifacts().s3ModelArtifacts(),
            job.algorithmSpecification().trainingImage(),
            finalMetrics(job));
    double objective = best.finalHyperParameterTuningJobObjectiveMetric().value();
    LOG.info(
        "Tuning job {} ended {} after {} s and {} trials: best {} with {} = {} ({})",
        name,
        status,
        Duration.between(start, Instant.now()).toSeconds(),
        trials.size(),
        best.trainingJobName(),
        best.finalHyperParameterTuningJobObjectiveMetric().metricName(),
        objective,
        best.tunedHyperParameters());
    return TuningResult.of(
        name,
        status,
        best.finalHyperParameterTuningJobObjectiveMetric().metricName(),
        model,
        best.tunedHyperParameters(),
        objective,
        trials);
  }

  private List<TuningResult.Trial> trials(String name) {
    List<HyperParameterTrainingJobSummary> all = new ArrayList<>();
    client
        .listTrainingJobsForHyperParameterTuningJobPaginator(
            r -> r.hyperParameterTuningJobName(name).sortBy("CreationTime").sortOrder("Ascending"))
        .trainingJobSummaries()
        .forEach(all::add);
    all.sort(Comparator.comparing(HyperParameterTrainingJobSummary::creationTime));
    List<TuningResult.Trial> trials = new ArrayList<>();
    for (HyperParameterTrainingJobSummary s : all) {
      trials.add(
          TuningResult.Trial.of(
              s.trainingJobName(),
              s.trainingJobStatusAsString(),
              s.tunedHyperParameters(),
              s.finalHyperParameterTuningJobObjectiveMetric() == null
                  ? null
                  : s.finalHyperParameterTuningJobObjectiveMetric().value().doubleValue(),
              s.failureReason()));
    }
    return trials;
  }

  private static Map<String, Double> finalMetrics(DescribeTrainingJobResponse job) {
    Map<String, Double> metrics = new java.util.LinkedHashMap<>();
    job.finalMetricDataList()
        .forEach(
            m ->
                metrics.put(
                    m.metricName(), m.value() == null ? Double.NaN : m.value().doubleValue()));
    return metrics;
  }

  private static String describe(DescribeHyperParameterTuningJobResponse r) {
    TrainingJobStatusCounters c = r.trainingJobStatusCounters();
    return r.hyperParameterTuningJobStatusAsString()
        + (c == null
            ? ""
            : String.format(
                " (%d completed, %d in progress, %d failed, %d stopped)",
                c.completed(),
                c.inProgress(),
                c.nonRetryableError() + c.retryableError(),
                c.stopped()))
        + (r.bestTrainingJob() == null
            ? ""
            : ", best so far "
                + r.bestTrainingJob().trainingJobName()
                + " = "
                + r.bestTrainingJob().finalHyperParameterTuningJobObjectiveMetric().value());
  }

  private void stopQuietly(String name) {
    try {
      LOG.warn("Stopping tuning job {}", name);
      client.stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name));
    } catch (SageMakerException e) {
      LOG.info("Tuning job {} could not be stopped: {}", name, e.getMessage());
    }
  }

  private static boolean isTerminal(HyperParameterTuningJobStatus status) {
    return status == HyperParameterTuningJobStatus.COMPLETED
        || status == HyperParameterTuningJobStatus.FAILED
        || status == HyperParameterTuningJobStatus.STOPPED;
  }

  /** A tuning job that did not give a best model. */
  public static final class TuningJobException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String tuningJobName;

    TuningJobException(String tuningJobName, String message, Throwable cause) {
      super(message, cause);
      this.tuningJobName = tuningJobName;
    }

    public String tuningJobName() {
      return tuningJobName;
    }
  }
}
