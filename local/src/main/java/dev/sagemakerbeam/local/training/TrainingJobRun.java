package dev.sagemakerbeam.local.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import dev.sagemakerbeam.local.faults.FaultInjector;
import dev.sagemakerbeam.local.server.ApiException;
import dev.sagemakerbeam.local.server.JobRecord;
import dev.sagemakerbeam.local.server.ServiceContext;
import dev.sagemakerbeam.local.storage.S3Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training job as it runs: prepares the {@code /opt/ml} tree under {@code
 * <data>/training-jobs/<name>/}, downloads the channels, runs the algorithm, uploads model.tar.gz,
 * and keeps the job's description (status, secondary status transitions, metrics, failure reason)
 * current and persisted.
 */
final class TrainingJobRun extends JobRecord {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingJobRun.class);

  private final Algorithm algorithm;
  private final FaultInjector faults;
  private volatile boolean stopRequested;
  private volatile boolean maxRuntimeExceeded;

  TrainingJobRun(ServiceContext context, ObjectNode description, Algorithm algorithm) {
    this(context, description, algorithm, new FaultInjector());
  }

  TrainingJobRun(
      ServiceContext context, ObjectNode description, Algorithm algorithm, FaultInjector faults) {
    super(
        context,
        description,
        TrainingJobs.KIND,
        "Training job",
        "TrainingJobName",
        "TrainingJobStatus",
        "TrainingEndTime");
    this.faults = faults;
    this.algorithm = algorithm;
  }

  /** A job loaded from disk; one that was running when SageMaker Local stopped is Failed now. */
  static TrainingJobRun restored(ServiceContext context, ObjectNode description) {
    TrainingJobRun run = new TrainingJobRun(context, description, null);
    if (run.isActive()) {
      run.finish(
          "Failed",
          "Failed",
          "InternalServerError: SageMaker Local stopped while the job was running; start the job"
              + " again under a new name");
    }
    return run;
  }

  /** StopTrainingJob: only an InProgress job can be stopped. */
  void requestStop(boolean becauseOfMaxRuntime) {
    synchronized (description) {
      String status = description.path("TrainingJobStatus").asText();
      if (!status.equals("InProgress")) {
        if (becauseOfMaxRuntime) {
          return;
        }
        throw ApiException.validation(
            "The request was rejected because the training job is in status " + status + ".");
      }
      maxRuntimeExceeded = becauseOfMaxRuntime;
      stopRequested = true;
      setStatus("Stopping");
      transition(
          "Stopping",
          becauseOfMaxRuntime
              ? "Stopping the job: MaxRuntimeInSeconds reached"
              : "Stopping the training job",
          false);
    }
    LOG.info(
        "Training job {}: stop requested{}",
        name,
        becauseOfMaxRuntime ? " (MaxRuntimeInSeconds)" : "");
  }

  void maxRuntimeReached() {
    requestStop(true);
  }

  void run() {
    Path root = context.dataDir().resolve("training-jobs").resolve(name);
    Path logFile = root.resolve("log.txt");
    try {
      ModelArchive.deleteRecursively(root);
      Files.createDirectories(root.resolve("input/config"));
      Files.createDirectories(root.resolve("input/data"));
      Files.createDirectories(root.resolve("model"));
      Files.createDirectories(root.resolve("output/data"));
      Files.createDirectories(root.resolve("code"));
      try (Writer log =
          Files.newBufferedWriter(
              logFile,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND)) {
        runInside(
            root,
            line -> {
              LOG.info("[training job {}] {}", name, line);
              synchronized (log) {
                try {
                  log.write(line);
                  log.write('\n');
                  log.flush();
                } catch (IOException e) {
                  LOG.debug("Could not write job log: {}", e.toString());
                }
              }
            });
      }
    } catch (IOException e) {
      finish("Failed", "Failed", "InternalServerError: could not prepare the job directory: " + e);
    } catch (RuntimeException | Error e) {
      LOG.error("Training job {} failed unexpectedly", name, e);
      finish("Failed", "Failed", reason("InternalServerError: " + e));
    }
  }

  private void runInside(Path root, java.util.function.Consumer<String> log) {
    JsonNode resources;
    JsonNode channelsConfig;
    Map<String, String> hyperparameters;
    synchronized (description) {
      resources = description.get("ResourceConfig").deepCopy();
      channelsConfig =
          description.has("InputDataConfig")
              ? description.get("InputDataConfig").deepCopy()
              : context.mapper().createArrayNode();
      hyperparameters = new LinkedHashMap<>();
      description
          .get("HyperParameters")
          .fields()
          .forEachRemaining(e -> hyperparameters.put(e.getKey(), e.getValue().asText()));
      description.put("TrainingStartTime", ServiceContext.now());
    }
    int instanceCount = resources.get("InstanceCount").asInt();
    try {
      writeConfig(root, hyperparameters, channelsConfig, resources);
      log.accept(
          "Starting: "
              + name
              + " on 1 local host (ResourceConfig asks for "
              + instanceCount
              + " x "
              + resources.get("InstanceType").asText()
              + ")");

      if (!transition("Downloading", "Downloading input data", true)) {
        stopped(root, log);
        return;
      }
      if (failedByInjectedFault("Downloading", log)) {
        return;
      }
      Map<String, TrainingJobContext.Channel> channels = new LinkedHashMap<>();
      for (JsonNode channel : channelsConfig) {
        TrainingJobContext.Channel downloaded =
            new ChannelDownloader(context.s3(), root.resolve("input/data"), instanceCount, log)
                .download(channel, () -> stopRequested);
        channels.put(downloaded.name(), downloaded);
      }
      if (!transition(
          "Training", "Training image download completed. Training in progress.", true)) {
        stopped(root, log);
        return;
      }
      if (failedByInjectedFault("Training", log)) {
        return;
      }
      algorithm.validateHyperparameters(hyperparameters);
      TrainingJobContext job =
          new TrainingJobContext(
              root,
              Map.copyOf(hyperparameters),
              channels,
              root.resolve("model"),
              log,
              () -> stopRequested);
      Map<String, Double> metrics = algorithm.train(job);
      recordMetrics(metrics);
      if (stopRequested) {
        stopped(root, log);
        return;
      }
      transition("Uploading", "Uploading generated training model", false);
      if (failedByInjectedFault("Uploading", log)) {
        return;
      }
      String artifact = upload(root);
      synchronized (description) {
        description.putObject("ModelArtifacts").put("S3ModelArtifacts", artifact);
      }
      log.accept("Model uploaded to " + artifact);
      finish("Completed", "Completed", null);
    } catch (AlgorithmException e) {
      if (stopRequested) {
        stopped(root, log);
      } else {
        log.accept("Algorithm failed: " + e.getMessage());
        finish("Failed", "Failed", reason(e.getMessage()));
      }
    } catch (InterruptedException e) {
      if (stopRequested) {
        stopped(root, log);
      } else {
        finish("Failed", "Failed", "InternalServerError: the job was interrupted");
      }
    } catch (ChannelDownloader.ChannelException e) {
      log.accept(e.getMessage());
      finish("Failed", "Failed", reason("ClientError: " + e.getMessage()));
    } catch (IOException | UncheckedIOException e) {
      if (stopRequested) {
        stopped(root, log);
        return;
      }
      log.accept("I/O failure: " + e);
      finish("Failed", "Failed", reason("InternalServerError: " + e.getMessage()));
    } catch (RuntimeException | Error e) {
      // An in-process algorithm's bug (or an Error such as OutOfMemoryError) must end the job,
      // not leave it InProgress with nothing running.
      if (stopRequested) {
        stopped(root, log);
        return;
      }
      LOG.error("Training job {}: the algorithm failed unexpectedly", name, e);
      log.accept("Algorithm failed unexpectedly: " + e);
      finish("Failed", "Failed", reason("InternalServerError: " + e));
    }
  }

  /** Fails the job when a training fault names it at {@code phase}; whether it did. */
  private boolean failedByInjectedFault(String phase, java.util.function.Consumer<String> log) {
    Optional<String> failure = faults.trainingFailure(name, phase);
    if (failure.isEmpty()) {
      return false;
    }
    log.accept(failure.get());
    finish("Failed", "Failed", reason(failure.get()));
    return true;
  }

  private void stopped(Path root, java.util.function.Consumer<String> log) {
    // As SageMaker does on a stop, keep whatever model the algorithm saved.
    try {
      if (hasFiles(root.resolve("model"))) {
        String artifact = upload(root);
        synchronized (description) {
          description.putObject("ModelArtifacts").put("S3ModelArtifacts", artifact);
        }
        log.accept("Model saved before the stop uploaded to " + artifact);
      }
    } catch (IOException | RuntimeException e) {
      log.accept("Could not upload the model after the stop: " + e);
    }
    finish("Stopped", maxRuntimeExceeded ? "MaxRuntimeExceeded" : "Stopped", null);
  }

  private String upload(Path root) throws IOException {
    Path archive = root.resolve("output/model.tar.gz");
    ModelArchive.pack(root.resolve("model"), archive);
    S3Location output;
    synchronized (description) {
      output =
          S3Location.parse(
              "OutputDataConfig.S3OutputPath",
              description.get("OutputDataConfig").get("S3OutputPath").asText());
    }
    S3Location target = output.resolve(name + "/output/model.tar.gz");
    context.s3().upload(archive, target);
    return target.toString();
  }

  private void writeConfig(
      Path root, Map<String, String> hyperparameters, JsonNode channels, JsonNode resources)
      throws IOException {
    Path config = root.resolve("input/config");
    context.mapper().writeValue(config.resolve("hyperparameters.json").toFile(), hyperparameters);
    ObjectNode inputConfig = context.mapper().createObjectNode();
    for (JsonNode channel : channels) {
      ObjectNode entry = inputConfig.putObject(channel.get("ChannelName").asText());
      entry.put("ContentType", channel.path("ContentType").asText("application/octet-stream"));
      entry.put("TrainingInputMode", "File");
      entry.put(
          "S3DistributionType",
          channel
              .path("DataSource")
              .path("S3DataSource")
              .path("S3DataDistributionType")
              .asText("FullyReplicated"));
      entry.put("RecordWrapperType", channel.path("RecordWrapperType").asText("None"));
      entry.put("CompressionType", channel.path("CompressionType").asText("None"));
    }
    context.mapper().writeValue(config.resolve("inputdataconfig.json").toFile(), inputConfig);
    ObjectNode resourceConfig = context.mapper().createObjectNode();
    resourceConfig.put("current_host", "algo-1");
    resourceConfig.put("current_instance_type", resources.get("InstanceType").asText());
    resourceConfig.put("current_group_name", "homogeneousCluster");
    resourceConfig.putArray("hosts").add("algo-1");
    resourceConfig.put("network_interface_name", "lo");
    context.mapper().writeValue(config.resolve("resourceconfig.json").toFile(), resourceConfig);
  }

  private void recordMetrics(Map<String, Double> metrics) {
    if (metrics == null || metrics.isEmpty()) {
      return;
    }
    synchronized (description) {
      ArrayNode list = description.putArray("FinalMetricDataList");
      double now = ServiceContext.now();
      for (Map.Entry<String, Double> metric : metrics.entrySet()) {
        if (metric.getValue() == null || !Double.isFinite(metric.getValue())) {
          continue;
        }
        ObjectNode entry = list.addObject();
        entry.put("MetricName", metric.getKey());
        entry.put("Value", metric.getValue().floatValue());
        entry.put("Timestamp", now);
      }
    }
  }

  /**
   * Moves to a new secondary status.
   *
   * @param onlyIfRunning when true, does nothing and answers false once a stop was requested
   */
  boolean transition(String status, String message, boolean onlyIfRunning) {
    synchronized (description) {
      if (onlyIfRunning && stopRequested) {
        return false;
      }
      double now = ServiceContext.now();
      addTransition(description, status, message, now, false);
      description.put("LastModifiedTime", now);
      save();
      return true;
    }
  }

  /**
   * Ends the last secondary status transition and starts {@code status}'s (ended too when {@code
   * ended}), as SecondaryStatus.
   */
  private static void addTransition(
      ObjectNode d, String status, String message, double now, boolean ended) {
    ArrayNode transitions = d.withArray("SecondaryStatusTransitions");
    if (transitions.size() > 0) {
      ObjectNode last = (ObjectNode) transitions.get(transitions.size() - 1);
      if (!last.has("EndTime")) {
        last.put("EndTime", now);
      }
    }
    ObjectNode next = transitions.addObject();
    next.put("Status", status);
    next.put("StartTime", now);
    if (ended) {
      next.put("EndTime", now);
    }
    next.put("StatusMessage", message);
    d.put("SecondaryStatus", status);
  }

  private void finish(String status, String secondary, String failureReason) {
    end(
        status,
        failureReason,
        (d, now) -> {
          addTransition(
              d,
              secondary,
              failureReason != null
                  ? failureReason
                  : status.equals("Completed") ? "Training job completed" : "Training job stopped",
              now,
              true);
          double start = d.path("TrainingStartTime").asDouble(now);
          long seconds = Math.max(1, Math.round(now - start));
          d.put("TrainingTimeInSeconds", seconds);
          d.put("BillableTimeInSeconds", seconds);
        });
  }

  static String reason(String message) {
    return JobRecord.reason(message, "AlgorithmError: no reason given");
  }

  private static boolean hasFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.anyMatch(Files::isRegularFile);
    }
  }
}
