package dev.sagemakerbeam.local.training;

import static dev.sagemakerbeam.local.server.RequestFields.checkEnum;
import static dev.sagemakerbeam.local.server.RequestFields.optionalInt;
import static dev.sagemakerbeam.local.server.RequestFields.optionalObject;
import static dev.sagemakerbeam.local.server.RequestFields.optionalString;
import static dev.sagemakerbeam.local.server.RequestFields.requireInt;
import static dev.sagemakerbeam.local.server.RequestFields.requireList;
import static dev.sagemakerbeam.local.server.RequestFields.requireName;
import static dev.sagemakerbeam.local.server.RequestFields.requireObject;
import static dev.sagemakerbeam.local.server.RequestFields.requireRoleArn;
import static dev.sagemakerbeam.local.server.RequestFields.requireString;
import static dev.sagemakerbeam.local.server.RequestFields.stringMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmResolver.MetricDefinition;
import dev.sagemakerbeam.local.faults.FaultInjector;
import dev.sagemakerbeam.local.server.ApiException;
import dev.sagemakerbeam.local.server.ListFilter;
import dev.sagemakerbeam.local.server.ListPage;
import dev.sagemakerbeam.local.server.ServiceContext;
import dev.sagemakerbeam.local.storage.S3Location;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training-job operations: CreateTrainingJob validates the request as SageMaker does and starts
 * a {@link TrainingJobRun} in the background; Describe/List read the job's description;
 * StopTrainingJob asks the run to stop.
 */
public final class TrainingJobs implements AutoCloseable {
  static final String KIND = "training-jobs";
  private static final Logger LOG = LoggerFactory.getLogger(TrainingJobs.class);
  private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z0-9.\\-_]{1,64}");

  private final ServiceContext context;
  private final FaultInjector faults;
  private final Map<String, TrainingJobRun> jobs = new ConcurrentHashMap<>();
  private final ExecutorService runners =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "sagemaker-local-training");
            t.setDaemon(true);
            return t;
          });
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "sagemaker-local-training-timer");
            t.setDaemon(true);
            return t;
          });

  /** Loads the jobs kept under the data directory; jobs that were running are marked Failed. */
  public TrainingJobs(ServiceContext context) {
    this(context, new FaultInjector());
  }

  /** As {@link #TrainingJobs(ServiceContext)}, failing jobs at the phases {@code faults} names. */
  public TrainingJobs(ServiceContext context, FaultInjector faults) {
    this.context = context;
    this.faults = faults;
    for (Map.Entry<String, ObjectNode> entry : context.state().loadAll(KIND).entrySet()) {
      TrainingJobRun run = TrainingJobRun.restored(context, entry.getValue());
      jobs.put(entry.getKey(), run);
    }
  }

  /** CreateTrainingJob. */
  public ObjectNode create(JsonNode request) {
    return start(prepare(request, null));
  }

  /**
   * Starts a training job of a hyperparameter tuning job: an ordinary training job whose
   * description carries {@code TuningJobArn}.
   *
   * @param request a CreateTrainingJob request
   * @throws ApiException as CreateTrainingJob does (ResourceLimitExceeded when the account's
   *     concurrent training jobs are all in use)
   */
  public String createForTuningJob(JsonNode request, String tuningJobArn) {
    return start(prepare(request, tuningJobArn)).get("TrainingJobArn").asText();
  }

  /**
   * Checks a CreateTrainingJob request as CreateTrainingJob would, without starting anything.
   *
   * @return the algorithm that would run
   */
  public Algorithm check(JsonNode request) {
    return prepare(request, null).algorithm();
  }

  /** The descriptions of the training jobs a tuning job started. */
  public List<ObjectNode> ofTuningJob(String tuningJobArn) {
    List<ObjectNode> result = new ArrayList<>();
    for (TrainingJobRun run : jobs.values()) {
      ObjectNode d = run.snapshot();
      if (tuningJobArn.equals(d.path("TuningJobArn").asText(null))) {
        result.add(d);
      }
    }
    return result;
  }

  /** The description of one training job, or null when there is none of that name. */
  public ObjectNode snapshot(String name) {
    TrainingJobRun run = jobs.get(name);
    return run == null ? null : run.snapshot();
  }

  private record Prepared(
      String name, ObjectNode description, Algorithm algorithm, Integer maxRuntime) {}

  private Prepared prepare(JsonNode request, String tuningJobArn) {
    String name = requireName(request, "TrainingJobName");
    JsonNode algorithmSpec =
        requireObject(request, "AlgorithmSpecification", "AlgorithmSpecification");
    String image =
        optionalString(algorithmSpec, "TrainingImage", "AlgorithmSpecification.TrainingImage");
    if (image == null) {
      if (algorithmSpec.has("AlgorithmName")) {
        throw ApiException.validation(
            "AlgorithmSpecification.AlgorithmName (marketplace algorithms) is not supported by"
                + " SageMaker Local; give AlgorithmSpecification.TrainingImage instead");
      }
      throw ApiException.validation(
          "1 validation error detected: Value null at 'AlgorithmSpecification.TrainingImage'"
              + " failed to satisfy constraint: Member must not be null");
    }
    checkEnum(
        "AlgorithmSpecification.TrainingInputMode",
        requireString(
            algorithmSpec, "TrainingInputMode", "AlgorithmSpecification.TrainingInputMode"),
        "Pipe",
        "File",
        "FastFile");
    List<MetricDefinition> metrics = metricDefinitions(algorithmSpec);
    requireRoleArn(request, "RoleArn");
    Map<String, String> hyperparameters =
        stringMap(request, "HyperParameters", "HyperParameters", 100, 256, 2500);
    JsonNode output = requireObject(request, "OutputDataConfig", "OutputDataConfig");
    S3Location.parse(
        "OutputDataConfig.S3OutputPath",
        requireString(output, "S3OutputPath", "OutputDataConfig.S3OutputPath"));
    JsonNode resources = requireObject(request, "ResourceConfig", "ResourceConfig");
    requireString(resources, "InstanceType", "ResourceConfig.InstanceType");
    requireInt(resources, "InstanceCount", "ResourceConfig.InstanceCount", 1, 100);
    optionalInt(resources, "VolumeSizeInGB", "ResourceConfig.VolumeSizeInGB", 0, 16384);
    JsonNode stopping = requireObject(request, "StoppingCondition", "StoppingCondition");
    optionalInt(
        stopping, "MaxRuntimeInSeconds", "StoppingCondition.MaxRuntimeInSeconds", 1, 2_419_200);
    JsonNode channels = request.get("InputDataConfig");
    if (channels != null && !channels.isNull()) {
      requireList(request, "InputDataConfig", "InputDataConfig", 1, 20);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < channels.size(); i++) {
        validateChannel(channels.get(i), "InputDataConfig." + (i + 1), seen);
      }
    }
    Algorithm algorithm =
        context.algorithms().resolve("AlgorithmSpecification.TrainingImage", image, metrics);

    ObjectNode description = context.mapper().createObjectNode();
    double now = ServiceContext.now();
    description.put("TrainingJobName", name);
    description.put("TrainingJobArn", context.arn("training-job", name));
    description.put("TrainingJobStatus", "InProgress");
    description.put("SecondaryStatus", "Starting");
    description.set("HyperParameters", context.mapper().valueToTree(hyperparameters));
    description.set("AlgorithmSpecification", algorithmSpec.deepCopy());
    description.put("RoleArn", request.get("RoleArn").asText());
    if (channels != null && !channels.isNull()) {
      description.set("InputDataConfig", channels.deepCopy());
    }
    description.set("OutputDataConfig", output.deepCopy());
    description.set("ResourceConfig", resources.deepCopy());
    description.set("StoppingCondition", stopping.deepCopy());
    description.put("CreationTime", now);
    description.put("LastModifiedTime", now);
    description.put(
        "EnableNetworkIsolation", request.path("EnableNetworkIsolation").asBoolean(false));
    description.set("SecondaryStatusTransitions", context.mapper().createArrayNode());
    if (tuningJobArn != null) {
      description.put("TuningJobArn", tuningJobArn);
    }
    Integer maxRuntime = optionalInt(stopping, "MaxRuntimeInSeconds", "", 1, Integer.MAX_VALUE);
    return new Prepared(name, description, algorithm, maxRuntime);
  }

  private ObjectNode start(Prepared prepared) {
    String name = prepared.name();
    ObjectNode description = prepared.description();
    Algorithm algorithm = prepared.algorithm();
    String image = description.path("AlgorithmSpecification").path("TrainingImage").asText();
    TrainingJobRun run;
    synchronized (jobs) {
      if (jobs.containsKey(name)) {
        throw ApiException.inUse(
            "Training job names must be unique within an AWS account and region, and a training"
                + " job with this name already exists ("
                + context.arn("training-job", name)
                + ")");
      }
      long running = jobs.values().stream().filter(TrainingJobRun::isActive).count();
      if (running >= context.maxConcurrentTrainingJobs()) {
        throw ApiException.limitExceeded(
            "The account-level service limit 'Number of concurrent training jobs' is "
                + context.maxConcurrentTrainingJobs()
                + " jobs, with current utilization of "
                + running
                + "; wait for a job to finish or start SageMaker Local with a higher"
                + " maxConcurrentTrainingJobs");
      }
      run = new TrainingJobRun(context, description, algorithm, faults);
      jobs.put(name, run);
    }
    run.transition("Starting", "Starting the training job", false);
    Integer maxRuntime = prepared.maxRuntime();
    runners.submit(run::run);
    if (maxRuntime != null) {
      timers.schedule(run::maxRuntimeReached, maxRuntime, TimeUnit.SECONDS);
    }
    LOG.info("Training job {} created with image {}", name, image);
    ObjectNode response = context.mapper().createObjectNode();
    response.put("TrainingJobArn", description.get("TrainingJobArn").asText());
    return response;
  }

  /** DescribeTrainingJob. */
  public ObjectNode describe(JsonNode request) {
    return find(requireString(request, "TrainingJobName", "TrainingJobName")).snapshot();
  }

  /** StopTrainingJob. */
  public ObjectNode stop(JsonNode request) {
    TrainingJobRun run = find(requireString(request, "TrainingJobName", "TrainingJobName"));
    run.requestStop(false);
    return context.mapper().createObjectNode();
  }

  /**
   * ListTrainingJobs (NameContains, StatusEquals, CreationTime/LastModifiedTime After/Before,
   * SortBy, SortOrder, MaxResults, NextToken).
   */
  public ObjectNode list(JsonNode request) {
    ListFilter filter =
        ListFilter.of(
            request,
            "TrainingJobName",
            "TrainingJobStatus",
            "InProgress",
            "Completed",
            "Failed",
            "Stopping",
            "Stopped");
    List<ObjectNode> summaries =
        filter.summaries(
            context.mapper(),
            jobs.values().stream().map(TrainingJobRun::snapshot).toList(),
            "TrainingJobName",
            "TrainingJobArn",
            "CreationTime",
            "TrainingEndTime",
            "LastModifiedTime",
            "TrainingJobStatus",
            "SecondaryStatus");
    return ListPage.page(
        context.mapper(),
        request,
        summaries,
        "TrainingJobSummaries",
        "TrainingJobName",
        new String[] {"Name", "CreationTime", "Status"});
  }

  private TrainingJobRun find(String name) {
    TrainingJobRun run = jobs.get(name);
    if (run == null) {
      // what SageMaker answers, though its API model lists ResourceNotFound
      throw ApiException.validation("Requested resource not found.");
    }
    return run;
  }

  private static List<MetricDefinition> metricDefinitions(JsonNode algorithmSpec) {
    List<MetricDefinition> result = new ArrayList<>();
    JsonNode list = algorithmSpec.get("MetricDefinitions");
    if (list == null || list.isNull()) {
      return result;
    }
    requireList(
        algorithmSpec, "MetricDefinitions", "AlgorithmSpecification.MetricDefinitions", 0, 40);
    for (int i = 0; i < list.size(); i++) {
      String path = "AlgorithmSpecification.MetricDefinitions." + (i + 1);
      JsonNode definition = list.get(i);
      String metricName = requireString(definition, "Name", path + ".Name");
      String regex = requireString(definition, "Regex", path + ".Regex");
      try {
        result.add(new MetricDefinition(metricName, Pattern.compile(regex)));
      } catch (PatternSyntaxException e) {
        throw ApiException.validation(
            "Value '"
                + regex
                + "' at '"
                + path
                + ".Regex' is not a valid regular expression: "
                + e.getDescription());
      }
    }
    return result;
  }

  private static void validateChannel(JsonNode channel, String path, Set<String> seen) {
    if (!channel.isObject()) {
      throw ApiException.validation("Value at '" + path + "' must be a Channel object");
    }
    String name = requireString(channel, "ChannelName", path + ".ChannelName");
    if (!CHANNEL_NAME.matcher(name).matches()) {
      throw ApiException.validation(
          "Value '"
              + name
              + "' at '"
              + path
              + ".ChannelName' failed to satisfy constraint: Member"
              + " must satisfy regular expression pattern: [A-Za-z0-9\\.\\-_]+ (1 to 64 characters)");
    }
    if (!seen.add(name)) {
      throw ApiException.validation("Channel name '" + name + "' is used by more than one channel");
    }
    JsonNode source = requireObject(channel, "DataSource", path + ".DataSource");
    JsonNode s3 = optionalObject(source, "S3DataSource", path + ".DataSource.S3DataSource");
    if (s3 == null) {
      throw ApiException.validation(
          "Channel '"
              + name
              + "' has no DataSource.S3DataSource; SageMaker Local reads channels"
              + " from S3 only");
    }
    String type =
        checkEnum(
            path + ".DataSource.S3DataSource.S3DataType",
            requireString(s3, "S3DataType", path + ".DataSource.S3DataSource.S3DataType"),
            "ManifestFile",
            "S3Prefix",
            "AugmentedManifestFile");
    if (type.equals("AugmentedManifestFile")) {
      throw ApiException.validation(
          "S3DataType AugmentedManifestFile (channel '"
              + name
              + "') is not supported by SageMaker"
              + " Local; use S3Prefix or ManifestFile");
    }
    S3Location.parse(
        path + ".DataSource.S3DataSource.S3Uri",
        requireString(s3, "S3Uri", path + ".DataSource.S3DataSource.S3Uri"));
    String distribution =
        optionalString(
            s3, "S3DataDistributionType", path + ".DataSource.S3DataSource.S3DataDistributionType");
    if (distribution != null) {
      checkEnum(
          path + ".DataSource.S3DataSource.S3DataDistributionType",
          distribution,
          "FullyReplicated",
          "ShardedByS3Key");
    }
    String compression = optionalString(channel, "CompressionType", path + ".CompressionType");
    if (compression != null) {
      checkEnum(path + ".CompressionType", compression, "None", "Gzip");
    }
    optionalString(channel, "ContentType", path + ".ContentType");
    String wrapper = optionalString(channel, "RecordWrapperType", path + ".RecordWrapperType");
    if (wrapper != null) {
      checkEnum(path + ".RecordWrapperType", wrapper, "None", "RecordIO");
    }
    String inputMode = optionalString(channel, "InputMode", path + ".InputMode");
    if (inputMode != null) {
      checkEnum(path + ".InputMode", inputMode, "Pipe", "File", "FastFile");
    }
  }

  @Override
  public void close() {
    for (TrainingJobRun run : jobs.values()) {
      if (run.isActive()) {
        run.requestStop(false);
      }
    }
    timers.shutdownNow();
    runners.shutdownNow();
    try {
      runners.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
