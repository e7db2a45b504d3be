package dev.sagemakerbeam.local.tuning;

import static dev.sagemakerbeam.local.server.RequestFields.checkEnum;
import static dev.sagemakerbeam.local.server.RequestFields.checkName;
import static dev.sagemakerbeam.local.server.RequestFields.optionalInt;
import static dev.sagemakerbeam.local.server.RequestFields.optionalObject;
import static dev.sagemakerbeam.local.server.RequestFields.optionalString;
import static dev.sagemakerbeam.local.server.RequestFields.requireInt;
import static dev.sagemakerbeam.local.server.RequestFields.requireObject;
import static dev.sagemakerbeam.local.server.RequestFields.requireString;
import static dev.sagemakerbeam.local.server.RequestFields.stringMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.algorithms.InvalidHyperparameterException;
import dev.sagemakerbeam.algorithms.TuningMetric;
import dev.sagemakerbeam.local.server.ApiException;
import dev.sagemakerbeam.local.server.ListFilter;
import dev.sagemakerbeam.local.server.ListPage;
import dev.sagemakerbeam.local.server.ServiceContext;
import dev.sagemakerbeam.local.training.TrainingJobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hyperparameter tuning operations: CreateHyperParameterTuningJob validates the request as
 * SageMaker does (ranges against the catalogue's rules for a built-in algorithm, the objective
 * against the metrics the algorithm emits) and starts a {@link TuningJobRun}, which launches
 * ordinary training jobs; Describe, List, ListTrainingJobsForHyperParameterTuningJob and Stop.
 */
public final class TuningJobs implements AutoCloseable {
  static final String KIND = "tuning-jobs";
  private static final Logger LOG = LoggerFactory.getLogger(TuningJobs.class);
  private static final int MAX_NAME = 32;

  private final ServiceContext context;
  private final TrainingJobs trainingJobs;
  private final Map<String, TuningJobRun> jobs = new ConcurrentHashMap<>();
  private final ExecutorService runners =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "sagemaker-local-tuning");
            t.setDaemon(true);
            return t;
          });

  /** Loads the tuning jobs kept under the data directory; ones that were running are Failed now. */
  public TuningJobs(ServiceContext context, TrainingJobs trainingJobs) {
    this.context = context;
    this.trainingJobs = trainingJobs;
    for (Map.Entry<String, ObjectNode> entry : context.state().loadAll(KIND).entrySet()) {
      jobs.put(entry.getKey(), TuningJobRun.restored(context, trainingJobs, entry.getValue()));
    }
  }

  /** CreateHyperParameterTuningJob. */
  public ObjectNode create(JsonNode request) {
    String name =
        requireString(request, "HyperParameterTuningJobName", "HyperParameterTuningJobName");
    checkName("HyperParameterTuningJobName", name);
    if (name.length() > MAX_NAME) {
      throw ApiException.validation(
          "Value '"
              + name
              + "' at 'hyperParameterTuningJobName' failed to satisfy constraint: Member must"
              + " have length less than or equal to "
              + MAX_NAME);
    }
    if (request.has("TrainingJobDefinitions") && !request.get("TrainingJobDefinitions").isNull()) {
      throw ApiException.validation(
          "TrainingJobDefinitions (several algorithms in one tuning job) is not supported by"
              + " SageMaker Local; give one TrainingJobDefinition");
    }
    if (request.has("WarmStartConfig") && !request.get("WarmStartConfig").isNull()) {
      throw ApiException.validation("WarmStartConfig is not supported by SageMaker Local");
    }
    JsonNode config =
        requireObject(request, "HyperParameterTuningJobConfig", "HyperParameterTuningJobConfig");
    String strategy =
        checkEnum(
            "HyperParameterTuningJobConfig.Strategy",
            requireString(config, "Strategy", "HyperParameterTuningJobConfig.Strategy"),
            "Bayesian",
            "Random",
            "Hyperband",
            "Grid");
    if (strategy.equals("Hyperband")) {
      throw ApiException.validation(
          "Strategy Hyperband is not supported by SageMaker Local; use Bayesian, Random or Grid");
    }
    JsonNode limits =
        requireObject(config, "ResourceLimits", "HyperParameterTuningJobConfig.ResourceLimits");
    Integer maxJobs =
        optionalInt(
            limits,
            "MaxNumberOfTrainingJobs",
            "HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs",
            1,
            10_000);
    int maxParallel =
        requireInt(
            limits,
            "MaxParallelTrainingJobs",
            "HyperParameterTuningJobConfig.ResourceLimits.MaxParallelTrainingJobs",
            1,
            100);
    Integer seed =
        optionalInt(
            config, "RandomSeed", "HyperParameterTuningJobConfig.RandomSeed", 0, Integer.MAX_VALUE);
    JsonNode objective =
        requireObject(
            config,
            "HyperParameterTuningJobObjective",
            "HyperParameterTuningJobConfig.HyperParameterTuningJobObjective");
    String objectiveType =
        checkEnum(
            "HyperParameterTuningJobConfig.HyperParameterTuningJobObjective.Type",
            requireString(
                objective,
                "Type",
                "HyperParameterTuningJobConfig.HyperParameterTuningJobObjective.Type"),
            "Maximize",
            "Minimize");
    String metricName =
        requireString(
            objective,
            "MetricName",
            "HyperParameterTuningJobConfig.HyperParameterTuningJobObjective.MetricName");
    String earlyStopping =
        optionalString(
            config,
            "TrainingJobEarlyStoppingType",
            "HyperParameterTuningJobConfig.TrainingJobEarlyStoppingType");
    if (earlyStopping != null) {
      checkEnum(
          "HyperParameterTuningJobConfig.TrainingJobEarlyStoppingType",
          earlyStopping,
          "Off",
          "Auto");
    }

    JsonNode definition = requireObject(request, "TrainingJobDefinition", "TrainingJobDefinition");
    JsonNode algorithmSpec =
        requireObject(
            definition, "AlgorithmSpecification", "TrainingJobDefinition.AlgorithmSpecification");
    String image =
        requireString(
            algorithmSpec,
            "TrainingImage",
            "TrainingJobDefinition.AlgorithmSpecification.TrainingImage");
    Map<String, String> statics =
        stringMap(
            definition,
            "StaticHyperParameters",
            "TrainingJobDefinition.StaticHyperParameters",
            100,
            256,
            2500);
    Optional<AlgorithmSpec> builtIn = context.algorithms().builtInSpec(image);
    checkObjective(image, builtIn, algorithmSpec, metricName, objectiveType);
    if (builtIn.isPresent()) {
      for (Map.Entry<String, String> e : statics.entrySet()) {
        try {
          builtIn.get().check(e.getKey(), e.getValue());
        } catch (InvalidHyperparameterException ex) {
          throw ApiException.validation(
              "TrainingJobDefinition.StaticHyperParameters: " + ex.getMessage());
        }
      }
    }
    ParameterSpace space =
        ParameterSpace.parse(
            optionalObject(
                config, "ParameterRanges", "HyperParameterTuningJobConfig.ParameterRanges"),
            "HyperParameterTuningJobConfig.ParameterRanges",
            builtIn.orElse(null),
            statics);
    int budget = checkBudget(strategy, space, maxJobs);
    // the trials are checked as CreateTrainingJob would check them, before anything starts
    trainingJobs.check(
        TuningJobRun.trialRequest(
            context, definition, name + "-001-00000000", Map.of(), metricName));

    ObjectNode description = context.mapper().createObjectNode();
    double now = ServiceContext.now();
    description.put("HyperParameterTuningJobName", name);
    description.put("HyperParameterTuningJobArn", context.arn("hyper-parameter-tuning-job", name));
    ObjectNode echoedConfig = config.deepCopy();
    if (maxJobs == null) {
      ((ObjectNode) echoedConfig.get("ResourceLimits")).put("MaxNumberOfTrainingJobs", budget);
    }
    description.set("HyperParameterTuningJobConfig", echoedConfig);
    description.set("TrainingJobDefinition", definition.deepCopy());
    description.put("HyperParameterTuningJobStatus", "InProgress");
    description.put("CreationTime", now);
    description.put("LastModifiedTime", now);
    long effectiveSeed = seed != null ? seed : new java.security.SecureRandom().nextInt(1 << 30);

    TuningJobRun run;
    synchronized (jobs) {
      if (jobs.containsKey(name)) {
        throw ApiException.inUse(
            "A hyperparameter tuning job with the name, "
                + name
                + ", already exists. Choose a different name.");
      }
      run =
          new TuningJobRun(
              context,
              trainingJobs,
              description,
              space,
              SearchStrategy.of(strategy, space, effectiveSeed, budget),
              budget,
              maxParallel);
      jobs.put(name, run);
      run.save();
    }
    runners.submit(run::run);
    LOG.info(
        "Tuning job {} created: {} over {}, {} training jobs, {} at a time",
        name,
        strategy,
        space.names(),
        budget,
        maxParallel);
    ObjectNode response = context.mapper().createObjectNode();
    response.put(
        "HyperParameterTuningJobArn", description.get("HyperParameterTuningJobArn").asText());
    return response;
  }

  private static void checkObjective(
      String image,
      Optional<AlgorithmSpec> builtIn,
      JsonNode algorithmSpec,
      String metricName,
      String objectiveType) {
    if (builtIn.isPresent()) {
      AlgorithmSpec spec = builtIn.get();
      Optional<TuningMetric> metric = spec.tuningMetric(metricName);
      if (metric.isEmpty()) {
        throw ApiException.validation(
            "The objective metric for the hyperparameter tuning job, ["
                + metricName
                + "], isn't valid for the ["
                + image
                + "] algorithm. Choose a valid objective metric."
                + (spec.tuningMetrics().isEmpty()
                    ? " " + spec.displayName() + " emits no metric that can be tuned."
                    : " Valid for "
                        + spec.displayName()
                        + ": "
                        + spec.tuningMetrics().stream().map(TuningMetric::name).toList()));
      }
      if (!metric.get().type().equals(objectiveType)) {
        throw ApiException.validation(
            "The objective metric type, ["
                + objectiveType
                + "], that you specified for objective metric, ["
                + metricName
                + "], isn't valid for the ["
                + image
                + "] algorithm. Choose a valid objective metric type ("
                + metric.get().type()
                + ").");
      }
      return;
    }
    JsonNode definitions = algorithmSpec.get("MetricDefinitions");
    List<String> names = new ArrayList<>();
    if (definitions != null && definitions.isArray()) {
      definitions.forEach(d -> names.add(d.path("Name").asText()));
    }
    boolean userProgram = image.startsWith("process:") || image.startsWith("file:");
    if ((userProgram || !names.isEmpty()) && !names.contains(metricName)) {
      throw ApiException.validation(
          "A metric is required for this hyperparameter tuning job objective. Provide a metric in"
              + " the metric definitions. (Objective ["
              + metricName
              + "]; TrainingJobDefinition.AlgorithmSpecification.MetricDefinitions names "
              + names
              + ")");
    }
  }

  private static int checkBudget(String strategy, ParameterSpace space, Integer maxJobs) {
    if (strategy.equals("Grid")) {
      for (ParameterSpace.Range range : space.ranges()) {
        if (range instanceof ParameterSpace.NumericRange n) {
          // SageMaker's grid is the Cartesian product of categorical values only
          throw ApiException.validation(
              "The Grid search strategy supports only CategoricalParameterRanges; hyperparameter ["
                  + n.name()
                  + "] has "
                  + (n.integer() ? "an IntegerParameterRange" : "a ContinuousParameterRange")
                  + ". List its values in a CategoricalParameterRange, or use another strategy.");
        }
      }
      long combinations = space.combinations();
      if (combinations > 10_000) {
        throw ApiException.validation(
            "The Grid search strategy would launch "
                + combinations
                + " training jobs, more than the 10000 a tuning job may launch. Narrow the"
                + " ranges.");
      }
      if (maxJobs != null && maxJobs != combinations) {
        throw ApiException.validation(
            "For the Grid search strategy, MaxNumberOfTrainingJobs, ["
                + maxJobs
                + "], must equal the number of distinct hyperparameter combinations, ["
                + combinations
                + "], or be left out.");
      }
      return (int) combinations;
    }
    if (maxJobs == null) {
      throw ApiException.validation(
          "1 validation error detected: Value null at"
              + " 'HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs' failed to"
              + " satisfy constraint: Member must not be null (required by the "
              + strategy
              + " strategy)");
    }
    if (space.isDiscrete() && space.combinations() < maxJobs) {
      throw ApiException.validation(
          "You don't have enough combinations of hyperparameter ranges. The total number of"
              + " hyperparameter combinations for the provided ranges ["
              + (double) space.combinations()
              + "] must be equal or greater than the value of MaxNumberOfJobs, ["
              + maxJobs
              + "]. Provide additional ranges.");
    }
    return maxJobs;
  }

  /** DescribeHyperParameterTuningJob. */
  public ObjectNode describe(JsonNode request) {
    return find(request).describe();
  }

  /** StopHyperParameterTuningJob. */
  public ObjectNode stop(JsonNode request) {
    find(request).requestStop();
    return context.mapper().createObjectNode();
  }

  /** ListHyperParameterTuningJobs (NameContains, StatusEquals, time filters, sorting, pages). */
  public ObjectNode list(JsonNode request) {
    ListFilter filter =
        ListFilter.of(
            request,
            "HyperParameterTuningJobName",
            "HyperParameterTuningJobStatus",
            "Completed",
            "InProgress",
            "Failed",
            "Stopped",
            "Stopping");
    List<ObjectNode> summaries = new ArrayList<>();
    for (TuningJobRun run : jobs.values()) {
      ObjectNode d = run.describe();
      if (!filter.matches(d)) {
        continue;
      }
      ObjectNode summary =
          ListFilter.summary(
              context.mapper(),
              d,
              "HyperParameterTuningJobName",
              "HyperParameterTuningJobArn",
              "HyperParameterTuningJobStatus");
      JsonNode config = d.get("HyperParameterTuningJobConfig");
      summary.set("Strategy", config.get("Strategy"));
      summary.setAll(
          ListFilter.summary(
              context.mapper(),
              d,
              "CreationTime",
              "HyperParameterTuningEndTime",
              "LastModifiedTime",
              "TrainingJobStatusCounters",
              "ObjectiveStatusCounters"));
      summary.set("ResourceLimits", config.get("ResourceLimits"));
      summaries.add(summary);
    }
    return ListPage.page(
        context.mapper(),
        request,
        summaries,
        "HyperParameterTuningJobSummaries",
        "HyperParameterTuningJobName",
        new String[] {"Name", "Status", "CreationTime"},
        "Name",
        "Ascending");
  }

  /** ListTrainingJobsForHyperParameterTuningJob. */
  public ObjectNode listTrainingJobs(JsonNode request) {
    TuningJobRun run = find(request);
    String status = optionalString(request, "StatusEquals", "StatusEquals");
    if (status != null) {
      checkEnum("StatusEquals", status, "InProgress", "Completed", "Failed", "Stopping", "Stopped");
    }
    String sortBy = optionalString(request, "SortBy", "SortBy");
    List<ObjectNode> summaries = new ArrayList<>();
    for (ObjectNode summary : run.trainingJobSummaries()) {
      if (status != null && !status.equals(summary.get("TrainingJobStatus").asText())) {
        continue;
      }
      // as SageMaker: sorting by the objective lists only jobs that reported it
      if ("FinalObjectiveMetricValue".equals(sortBy)
          && !summary.has("FinalHyperParameterTuningJobObjectiveMetric")) {
        continue;
      }
      summaries.add(summary);
    }
    return ListPage.page(
        context.mapper(),
        request,
        summaries,
        "TrainingJobSummaries",
        "TrainingJobName",
        new String[] {"Name", "CreationTime", "Status", "FinalObjectiveMetricValue"},
        "Name",
        "Ascending");
  }

  private TuningJobRun find(JsonNode request) {
    String name =
        requireString(request, "HyperParameterTuningJobName", "HyperParameterTuningJobName");
    TuningJobRun run = jobs.get(name);
    if (run == null) {
      throw ApiException.notFound("Amazon SageMaker can't find a tuning job with name " + name);
    }
    return run;
  }

  @Override
  public void close() {
    for (TuningJobRun run : jobs.values()) {
      run.shutDown();
    }
    runners.shutdownNow();
    try {
      runners.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
