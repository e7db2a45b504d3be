package dev.sagemakerbeam.local.algorithm.process;

import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.AlgorithmResolver.MetricDefinition;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's algorithm: a local program run under the SageMaker container contract, with the {@code
 * /opt/ml} tree mapped to a per-job directory named by the environment variable {@value
 * #ML_ROOT_ENV}.
 *
 * <p>{@code <program> train} runs in the job directory; {@code input/config/*.json} and the
 * channels under {@code input/data/<channel>/} are in place, the program writes {@code model/}
 * (packed into model.tar.gz) and on failure {@code output/failure} (the job's FailureReason) and
 * exits non-zero. Stopping sends SIGTERM, then kills after {@link #STOP_GRACE_SECONDS} seconds.
 *
 * <p>{@code <program> serve} gets the model under {@code $SAGEMAKER_LOCAL_ML_ROOT/model} and must
 * listen on {@code SAGEMAKER_BIND_TO_PORT}, answer {@code GET /ping} with 200 and {@code POST
 * /invocations}.
 */
public final class ProcessAlgorithm implements Algorithm {
  /** Environment variable holding the job's {@code /opt/ml} directory. */
  public static final String ML_ROOT_ENV = "SAGEMAKER_LOCAL_ML_ROOT";

  static final int STOP_GRACE_SECONDS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(ProcessAlgorithm.class);
  private static final int FAILURE_REASON_LIMIT = 1024;

  private final Path program;
  private final List<MetricDefinition> metricDefinitions;

  public ProcessAlgorithm(Path program, List<MetricDefinition> metricDefinitions) {
    this.program = program;
    this.metricDefinitions = List.copyOf(metricDefinitions);
  }

  /** The program run. */
  public Path program() {
    return program;
  }

  @Override
  public void validateHyperparameters(Map<String, String> hyperparameters) {
    // A user's program checks its own hyperparameters and reports through output/failure.
  }

  @Override
  public Map<String, Double> train(TrainingJobContext job)
      throws AlgorithmException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(program.toString(), "train");
    builder.directory(job.root().toFile());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put(ML_ROOT_ENV, job.root().toString());
    env.put("SM_MODEL_DIR", job.modelDir().toString());
    env.put("SM_OUTPUT_DATA_DIR", job.root().resolve("output/data").toString());
    env.put("SM_INPUT_CONFIG_DIR", job.root().resolve("input/config").toString());
    env.put("SM_CHANNELS", String.join(",", job.channels().keySet()));
    for (TrainingJobContext.Channel channel : job.channels().values()) {
      env.put("SM_CHANNEL_" + channel.name().toUpperCase(Locale.ROOT), channel.dir().toString());
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AlgorithmException(
          "Could not start algorithm program " + program + ": " + e.getMessage(), e);
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    Deque<String> lastLines = new ArrayDeque<>();
    Thread reader =
        startLogReader(
            process,
            line -> {
              job.log().accept(line);
              synchronized (lastLines) {
                lastLines.addLast(line);
                if (lastLines.size() > 10) {
                  lastLines.removeFirst();
                }
              }
              for (MetricDefinition definition : metricDefinitions) {
                Matcher m = definition.regex().matcher(line);
                if (m.find() && m.groupCount() >= 1) {
                  try {
                    synchronized (metrics) {
                      metrics.put(definition.name(), Double.parseDouble(m.group(1)));
                    }
                  } catch (NumberFormatException ignored) {
                    // A line that matches the pattern without a number is not a metric value.
                  }
                }
              }
            },
            "train " + job.root().getFileName());
    try {
      while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
        if (job.stopRequested().getAsBoolean()) {
          job.log().accept("Stop requested: sending SIGTERM to the algorithm program");
          stop(process);
          break;
        }
      }
    } catch (InterruptedException e) {
      stop(process);
      throw e;
    }
    reader.join(5_000);
    int exit = process.exitValue();
    if (job.stopRequested().getAsBoolean()) {
      return metrics;
    }
    if (exit != 0) {
      Path failure = job.root().resolve("output/failure");
      String reason;
      try {
        reason = Files.isRegularFile(failure) ? Files.readString(failure).trim() : "";
      } catch (IOException e) {
        reason = "";
      }
      if (reason.isEmpty()) {
        synchronized (lastLines) {
          reason =
              "AlgorithmError: program exited with code "
                  + exit
                  + "; last output: "
                  + String.join(" | ", lastLines);
        }
      }
      throw new AlgorithmException(truncate(reason));
    }
    synchronized (metrics) {
      return new LinkedHashMap<>(metrics);
    }
  }

  @Override
  public ModelWorker load(Path modelDir, Map<String, String> environment)
      throws AlgorithmException {
    return ProcessModelWorker.start(program, modelDir, environment);
  }

  static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  static Thread startLogReader(Process process, Consumer<String> sink, String name) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  sink.accept(line);
                }
              } catch (IOException e) {
                LOG.debug("Log of {} ended: {}", name, e.toString());
              }
            },
            "sagemaker-local-log-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  static String truncate(String reason) {
    return reason.length() <= FAILURE_REASON_LIMIT
        ? reason
        : reason.substring(0, FAILURE_REASON_LIMIT - 3) + "...";
  }
}
