package dev.sagemakerbeam.local.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.local.server.ApiException;
import dev.sagemakerbeam.local.server.JobRecord;
import dev.sagemakerbeam.local.server.ServiceContext;
import dev.sagemakerbeam.local.training.TrainingJobs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tuning job as it runs: asks its {@link SearchStrategy} for hyperparameters, starts training
 * jobs named {@code <tuning job>-<index>-<8 hex digits>} (never more than MaxParallelTrainingJobs
 * at once, at most MaxNumberOfTrainingJobs in all), reads each finished job's objective from its
 * FinalMetricDataList, and ends Completed, Failed (when no training job reported the objective) or
 * Stopped. Counters, the best training job and the summaries are computed from the training jobs
 * themselves, so they survive a restart with them.
 */
final class TuningJobRun extends JobRecord {
  private static final Logger LOG = LoggerFactory.getLogger(TuningJobRun.class);
  private static final long POLL_MILLIS = 20;

  private final TrainingJobs trainingJobs;
  private final ParameterSpace space;
  private final SearchStrategy strategy;
  private final int budget;
  private final int maxParallel;
  private final String arn;
  private volatile boolean stopRequested;
  private volatile boolean shutDown;

  TuningJobRun(
      ServiceContext context,
      TrainingJobs trainingJobs,
      ObjectNode description,
      ParameterSpace space,
      SearchStrategy strategy,
      int budget,
      int maxParallel) {
    super(
        context,
        description,
        TuningJobs.KIND,
        "Tuning job",
        "HyperParameterTuningJobName",
        "HyperParameterTuningJobStatus",
        "HyperParameterTuningEndTime");
    this.trainingJobs = trainingJobs;
    this.space = space;
    this.strategy = strategy;
    this.budget = budget;
    this.maxParallel = maxParallel;
    this.arn = description.get("HyperParameterTuningJobArn").asText();
  }

  /** A tuning job loaded from disk; one that was running when SageMaker Local stopped is Failed. */
  static TuningJobRun restored(
      ServiceContext context, TrainingJobs trainingJobs, ObjectNode description) {
    TuningJobRun run = new TuningJobRun(context, trainingJobs, description, null, null, 0, 0);
    String status = run.status();
    if (run.isActive()) {
      run.finish(
          status.equals("Stopping") ? "Stopped" : "Failed",
          status.equals("Stopping")
              ? null
              : "InternalServerError: SageMaker Local stopped while the tuning job was running;"
                  + " start it again under a new name");
    }
    return run;
  }

  /** The CreateTrainingJob request of one trial. */
  static ObjectNode trialRequest(
      ServiceContext context,
      JsonNode definition,
      String trainingJobName,
      Map<String, String> tuned,
      String objectiveMetric) {
    ObjectNode request = context.mapper().createObjectNode();
    request.put("TrainingJobName", trainingJobName);
    ObjectNode algorithm = definition.get("AlgorithmSpecification").deepCopy();
    request.set("AlgorithmSpecification", algorithm);
    for (String field :
        new String[] {
          "RoleArn",
          "InputDataConfig",
          "OutputDataConfig",
          "ResourceConfig",
          "StoppingCondition",
          "EnableNetworkIsolation",
          "VpcConfig",
          "CheckpointConfig",
          "Environment"
        }) {
      if (definition.has(field) && !definition.get(field).isNull()) {
        request.set(field, definition.get(field).deepCopy());
      }
    }
    ObjectNode hyperparameters = request.putObject("HyperParameters");
    JsonNode statics = definition.get("StaticHyperParameters");
    if (statics != null && statics.isObject()) {
      hyperparameters.setAll((ObjectNode) statics.deepCopy());
    }
    tuned.forEach(hyperparameters::put);
    // SageMaker tells every training job of a tuning job what its objective is
    hyperparameters.put("_tuning_objective_metric", objectiveMetric);
    return request;
  }

  void requestStop() {
    synchronized (description) {
      String status = description.path("HyperParameterTuningJobStatus").asText();
      if (!status.equals("InProgress")) {
        throw ApiException.validation(
            "The request was rejected because the hyperparameter tuning job is in status "
                + status
                + ".");
      }
      stopRequested = true;
      setStatus("Stopping");
      save();
    }
    LOG.info("Tuning job {}: stop requested", name);
  }

  /** SageMaker Local is closing: the loop ends (the training jobs are stopped by their owner). */
  void shutDown() {
    shutDown = true;
  }

  private String objectiveMetric() {
    return description
        .get("HyperParameterTuningJobConfig")
        .get("HyperParameterTuningJobObjective")
        .get("MetricName")
        .asText();
  }

  private boolean maximize() {
    return description
        .get("HyperParameterTuningJobConfig")
        .get("HyperParameterTuningJobObjective")
        .get("Type")
        .asText()
        .equals("Maximize");
  }

  void run() {
    try {
      loop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("Tuning job {} failed unexpectedly", name, e);
      finish("Failed", "InternalServerError: " + e);
    }
  }

  private void loop() throws InterruptedException {
    String metric = objectiveMetric();
    boolean maximize = maximize();
    JsonNode definition = description.get("TrainingJobDefinition");
    List<String> trials = new ArrayList<>();
    Map<String, Map<String, String>> tunedByTrial = new HashMap<>();
    Set<String> read = new HashSet<>();
    List<SearchStrategy.Observation> observations = new ArrayList<>();
    Map<String, String> deferred = null;
    boolean exhausted = false;
    while (!shutDown) {
      List<Map<String, String>> pending = new ArrayList<>();
      int active = 0;
      for (String trial : trials) {
        ObjectNode d = trainingJobs.snapshot(trial);
        String status = d == null ? "Failed" : d.path("TrainingJobStatus").asText();
        if (status.equals("InProgress") || status.equals("Stopping")) {
          active++;
          pending.add(tunedByTrial.get(trial));
        } else if (read.add(trial)) {
          Double value = status.equals("Completed") ? objectiveValue(d, metric) : null;
          if (value != null) {
            observations.add(
                new SearchStrategy.Observation(tunedByTrial.get(trial), maximize ? -value : value));
          }
        }
      }
      if (stopRequested) {
        if (active == 0) {
          finish("Stopped", null);
          return;
        }
        for (String trial : trials) {
          ObjectNode d = trainingJobs.snapshot(trial);
          if (d != null && d.path("TrainingJobStatus").asText().equals("InProgress")) {
            try {
              trainingJobs.stop(context.mapper().createObjectNode().put("TrainingJobName", trial));
            } catch (ApiException e) {
              // it ended meanwhile
            }
          }
        }
        Thread.sleep(POLL_MILLIS);
        continue;
      }
      while (!exhausted && trials.size() < budget && active < maxParallel && !stopRequested) {
        Map<String, String> next =
            deferred != null ? deferred : strategy.next(observations, pending);
        deferred = null;
        if (next == null) {
          exhausted = true;
          break;
        }
        String trial =
            String.format(
                Locale.ROOT,
                "%s-%03d-%08x",
                name,
                trials.size() + 1,
                ThreadLocalRandom.current().nextInt());
        try {
          trainingJobs.createForTuningJob(
              trialRequest(context, definition, trial, next, metric), arn);
        } catch (ApiException e) {
          if (e.code().equals("ResourceLimitExceeded")) {
            deferred = next; // the account's training jobs are all in use: try again shortly
            break;
          }
          throw e;
        }
        trials.add(trial);
        tunedByTrial.put(trial, next);
        pending.add(next);
        active++;
      }
      if ((exhausted || trials.size() >= budget) && active == 0) {
        long succeeded = trials.stream().filter(t -> read.contains(t)).count();
        if (observations.isEmpty()) {
          finish(
              "Failed",
              "All training jobs failed"
                  + (succeeded > 0 ? " or did not report the objective metric " + metric : "")
                  + ". See the FailureReason of the training jobs (ListTrainingJobsForHyperParameterTuningJob).");
        } else {
          finish("Completed", null);
        }
        return;
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  private static Double objectiveValue(ObjectNode trainingJob, String metric) {
    for (JsonNode m : trainingJob.path("FinalMetricDataList")) {
      if (m.path("MetricName").asText().equals(metric) && m.path("Value").isNumber()) {
        return m.get("Value").asDouble();
      }
    }
    return null;
  }

  private void finish(String status, String failureReason) {
    end(status, failureReason, (d, now) -> {});
  }

  /** DescribeHyperParameterTuningJob's answer. */
  ObjectNode describe() {
    ObjectNode d;
    synchronized (description) {
      d = description.deepCopy();
    }
    List<ObjectNode> summaries = trainingJobSummaries();
    ObjectNode counters = d.putObject("TrainingJobStatusCounters");
    ObjectNode objective = d.putObject("ObjectiveStatusCounters");
    int completed = 0;
    int inProgress = 0;
    int nonRetryable = 0;
    int stopped = 0;
    int succeeded = 0;
    int pending = 0;
    int failed = 0;
    ObjectNode best = null;
    boolean maximize =
        d.at("/HyperParameterTuningJobConfig/HyperParameterTuningJobObjective/Type")
            .asText()
            .equals("Maximize");
    for (ObjectNode s : summaries) {
      switch (s.get("TrainingJobStatus").asText()) {
        case "Completed" -> completed++;
        case "InProgress", "Stopping" -> inProgress++;
        case "Stopped" -> stopped++;
        default -> nonRetryable++;
      }
      switch (s.get("ObjectiveStatus").asText()) {
        case "Succeeded" -> succeeded++;
        case "Pending" -> pending++;
        default -> failed++;
      }
      if (s.has("FinalHyperParameterTuningJobObjectiveMetric")
          && s.get("ObjectiveStatus").asText().equals("Succeeded")) {
        double v = s.at("/FinalHyperParameterTuningJobObjectiveMetric/Value").asDouble();
        double b =
            best == null
                ? 0
                : best.at("/FinalHyperParameterTuningJobObjectiveMetric/Value").asDouble();
        if (best == null || (maximize ? v > b : v < b)) {
          best = s;
        }
      }
    }
    counters.put("Completed", completed);
    counters.put("InProgress", inProgress);
    counters.put("RetryableError", 0);
    counters.put("NonRetryableError", nonRetryable);
    counters.put("Stopped", stopped);
    objective.put("Succeeded", succeeded);
    objective.put("Pending", pending);
    objective.put("Failed", failed);
    if (best != null) {
      d.set("BestTrainingJob", best);
    }
    return d;
  }

  /** ListTrainingJobsForHyperParameterTuningJob's summaries of all the trials. */
  List<ObjectNode> trainingJobSummaries() {
    String metric;
    String type;
    Set<String> tunedNames = new HashSet<>();
    synchronized (description) {
      JsonNode objective =
          description.get("HyperParameterTuningJobConfig").get("HyperParameterTuningJobObjective");
      metric = objective.get("MetricName").asText();
      type = objective.get("Type").asText();
      JsonNode ranges = description.get("HyperParameterTuningJobConfig").path("ParameterRanges");
      for (String kind :
          new String[] {
            "IntegerParameterRanges", "ContinuousParameterRanges", "CategoricalParameterRanges"
          }) {
        ranges.path(kind).forEach(r -> tunedNames.add(r.path("Name").asText()));
      }
    }
    List<ObjectNode> result = new ArrayList<>();
    for (ObjectNode job : trainingJobs.ofTuningJob(arn)) {
      ObjectNode s = context.mapper().createObjectNode();
      s.set("TrainingJobName", job.get("TrainingJobName"));
      s.set("TrainingJobArn", job.get("TrainingJobArn"));
      s.put("TuningJobName", name);
      for (String field :
          new String[] {
            "CreationTime",
            "TrainingStartTime",
            "TrainingEndTime",
            "TrainingJobStatus",
            "FailureReason"
          }) {
        if (job.has(field)) {
          s.set(field, job.get(field));
        }
      }
      Map<String, String> tuned = new LinkedHashMap<>();
      job.path("HyperParameters")
          .fields()
          .forEachRemaining(
              e -> {
                if (tunedNames.contains(e.getKey())) {
                  tuned.put(e.getKey(), e.getValue().asText());
                }
              });
      s.set("TunedHyperParameters", context.mapper().valueToTree(tuned));
      String status = job.path("TrainingJobStatus").asText();
      Double value = objectiveValue(job, metric);
      if (value != null) {
        ObjectNode m = s.putObject("FinalHyperParameterTuningJobObjectiveMetric");
        m.put("Type", type);
        m.put("MetricName", metric);
        m.put("Value", value.floatValue());
      }
      String objectiveStatus =
          status.equals("InProgress") || status.equals("Stopping")
              ? "Pending"
              : value != null && (status.equals("Completed") || status.equals("Stopped"))
                  ? "Succeeded"
                  : "Failed";
      s.put("ObjectiveStatus", objectiveStatus);
      result.add(s);
    }
    return result;
  }
}
