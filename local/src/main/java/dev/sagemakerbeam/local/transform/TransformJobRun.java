package dev.sagemakerbeam.local.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.io.RecordIoFormatException;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.hosting.ModelWorkers;
import dev.sagemakerbeam.local.server.ApiException;
import dev.sagemakerbeam.local.server.JobRecord;
import dev.sagemakerbeam.local.server.ServiceContext;
import dev.sagemakerbeam.local.storage.S3DataSource;
import dev.sagemakerbeam.local.storage.S3Location;
import dev.sagemakerbeam.local.training.ModelArchive;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch transform job as it runs, under {@code <data>/transform-jobs/<name>/} (log.txt, the
 * unpacked model, input and output being worked on): loads TransformResources.InstanceCount model
 * workers, gives instance {@code i} the input objects {@code i, i + n, ...} in key (or manifest)
 * order, cuts each object into records by SplitType, packs them into requests of at most
 * MaxPayloadInMB (MultiRecord) or one each (SingleRecord), keeps up to MaxConcurrentTransforms
 * requests in flight per instance, and writes the answers in input order to {@code
 * <S3OutputPath>/<relative key>.out}, one PUT once the whole object succeeded. The first failure
 * fails the job (other instances stop after their current request); a stop interrupts the requests
 * in flight.
 */
final class TransformJobRun extends JobRecord {
  private static final Logger LOG = LoggerFactory.getLogger(TransformJobRun.class);
  private static final long MB = 1024L * 1024L;

  /** An input object could not be transformed; the message is the job's FailureReason. */
  private static final class ObjectFailure extends Exception {
    private static final long serialVersionUID = 1L;

    ObjectFailure(String message) {
      super(message);
    }
  }

  /** The job was asked to stop, or another instance failed it, while an object was in work. */
  private static final class Abandoned extends Exception {
    private static final long serialVersionUID = 1L;
  }

  /** One request: its body and which records (1-based, inclusive) of the object it carries. */
  private record Batch(byte[] body, long firstRecord, long lastRecord) {
    String records() {
      return firstRecord == lastRecord
          ? "record " + firstRecord
          : "records " + firstRecord + "-" + lastRecord;
    }
  }

  /** What the run reads from the description once. */
  private record Settings(
      String splitType,
      boolean gzip,
      String contentType,
      String accept,
      boolean assembleLines,
      boolean singleRecord,
      long maxPayloadBytes,
      int maxPayloadMb,
      int maxConcurrent,
      int instanceCount,
      String dataType,
      String inputUri,
      S3Location output,
      Map<String, String> environment) {}

  private final ObjectNode model;
  private final List<ExecutorService> pools = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> failure = new AtomicReference<>();
  private volatile boolean stopRequested;
  private volatile Thread loading; // the run's thread while it loads the model

  TransformJobRun(ServiceContext context, ObjectNode description, ObjectNode model) {
    super(
        context,
        description,
        TransformJobs.KIND,
        "Transform job",
        "TransformJobName",
        "TransformJobStatus",
        "TransformEndTime");
    this.model = model;
  }

  /** A job loaded from disk; one that was running when SageMaker Local stopped is Failed now. */
  static TransformJobRun restored(ServiceContext context, ObjectNode description) {
    TransformJobRun run = new TransformJobRun(context, description, null);
    if (run.isActive()) {
      run.finish(
          "Failed",
          "InternalServerError: SageMaker Local stopped while the job was running; start the job"
              + " again under a new name");
    }
    return run;
  }

  /** StopTransformJob: an InProgress job goes Stopping, its requests in flight are interrupted. */
  void requestStop() {
    synchronized (description) {
      String status = description.path("TransformJobStatus").asText();
      if (status.equals("Stopping")) {
        return;
      }
      if (!status.equals("InProgress")) {
        throw ApiException.validation(
            "The request was rejected because the transform job is in status " + status + ".");
      }
      stopRequested = true;
      setStatus("Stopping");
      save();
    }
    LOG.info("Transform job {}: stop requested", name);
    synchronized (this) {
      if (loading != null) {
        loading.interrupt(); // a user algorithm's server may take a while to come up
      }
    }
    for (ExecutorService pool : pools) {
      pool.shutdownNow();
    }
  }

  void run() {
    Path root = context.dataDir().resolve("transform-jobs").resolve(name);
    try {
      ModelArchive.deleteRecursively(root);
      Files.createDirectories(root.resolve("input"));
      Files.createDirectories(root.resolve("output"));
      try (Writer log =
          Files.newBufferedWriter(
              root.resolve("log.txt"),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND)) {
        runInside(
            root,
            line -> {
              LOG.debug("[transform job {}] {}", name, line);
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
    } catch (IOException | UncheckedIOException e) {
      finish("Failed", "InternalServerError: could not use the job directory: " + e);
    } catch (RuntimeException | Error e) {
      LOG.error("Transform job {} failed unexpectedly", name, e);
      finish("Failed", "InternalServerError: " + e);
    } finally {
      for (ExecutorService pool : pools) {
        pool.shutdownNow();
      }
      try {
        ModelArchive.deleteRecursively(root.resolve("input"));
        ModelArchive.deleteRecursively(root.resolve("output"));
      } catch (IOException e) {
        LOG.debug("Could not clean {}: {}", root, e.toString());
      }
    }
  }

  private void runInside(Path root, Consumer<String> log) throws IOException {
    Settings settings;
    synchronized (description) {
      description.put("TransformStartTime", ServiceContext.now());
      save();
      settings = settings();
    }
    LOG.info(
        "Transform job {} started: model {}, input {}, output {}",
        name,
        description.get("ModelName").asText(),
        settings.inputUri(),
        settings.output());
    log.accept(
        "Starting: "
            + name
            + " with "
            + settings.instanceCount()
            + " model worker(s), SplitType "
            + settings.splitType()
            + ", BatchStrategy "
            + (settings.singleRecord() ? "SingleRecord" : "MultiRecord")
            + ", MaxPayloadInMB "
            + settings.maxPayloadMb()
            + ", MaxConcurrentTransforms "
            + settings.maxConcurrent());
    List<S3DataSource.Entry> objects;
    try {
      objects =
          S3DataSource.list(
              context.s3(), settings.dataType(), S3Location.parse("S3Uri", settings.inputUri()));
    } catch (S3DataSource.InvalidDataSourceException e) {
      log.accept(e.getMessage());
      finish("Failed", "ClientError: " + e.getMessage());
      return;
    }
    if (objects.isEmpty()) {
      finish(
          "Failed",
          "ClientError: No S3 objects found under S3 URL \""
              + settings.inputUri()
              + "\" given in input data source.");
      return;
    }
    ModelWorkers workers;
    loading = Thread.currentThread();
    try {
      if (stopRequested) {
        finish("Stopped", null);
        return;
      }
      workers =
          ModelWorkers.start(
              context,
              model,
              root,
              settings.instanceCount(),
              settings.environment(),
              "transform job '" + name + "'");
    } catch (AlgorithmException e) {
      if (stopRequested) {
        log.accept("Stopped while loading the model");
        finish("Stopped", null);
      } else {
        log.accept(e.getMessage());
        finish("Failed", "ClientError: " + e.getMessage());
      }
      return;
    } finally {
      synchronized (this) {
        loading = null;
        Thread.interrupted(); // a stop's interrupt aimed at the loading is not for what follows
      }
    }
    try {
      transformAll(root, settings, objects, workers.workers(), log);
    } finally {
      workers.close();
    }
    if (stopRequested) {
      log.accept("Stopped");
      finish("Stopped", null);
    } else if (failure.get() != null) {
      log.accept("Failed: " + failure.get());
      finish("Failed", failure.get());
    } else {
      log.accept("Completed: " + objects.size() + " object(s) transformed");
      finish("Completed", null);
    }
  }

  private Settings settings() {
    JsonNode input = description.get("TransformInput");
    JsonNode output = description.get("TransformOutput");
    JsonNode source = input.get("DataSource").get("S3DataSource");
    int maxPayloadMb = description.get("MaxPayloadInMB").asInt();
    int maxConcurrent = Math.max(1, description.get("MaxConcurrentTransforms").asInt());
    boolean single = description.get("BatchStrategy").asText().equals("SingleRecord");
    Map<String, String> environment = new LinkedHashMap<>();
    // What SageMaker tells a container serving a batch transform.
    environment.put("SAGEMAKER_BATCH", "true");
    environment.put("SAGEMAKER_MAX_PAYLOAD_IN_MB", Integer.toString(maxPayloadMb));
    environment.put("SAGEMAKER_BATCH_STRATEGY", single ? "SINGLE_RECORD" : "MULTI_RECORD");
    environment.put("SAGEMAKER_MAX_CONCURRENT_TRANSFORMS", Integer.toString(maxConcurrent));
    description
        .path("Environment")
        .fields()
        .forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
    return new Settings(
        input.path("SplitType").asText("None"),
        input.path("CompressionType").asText("None").equals("Gzip"),
        input.hasNonNull("ContentType") ? input.get("ContentType").asText() : null,
        output.hasNonNull("Accept") ? output.get("Accept").asText() : null,
        output.path("AssembleWith").asText("None").equals("Line"),
        single,
        maxPayloadMb * MB,
        maxPayloadMb,
        maxConcurrent,
        description.get("TransformResources").get("InstanceCount").asInt(),
        source.get("S3DataType").asText(),
        source.get("S3Uri").asText(),
        S3Location.parse("S3OutputPath", output.get("S3OutputPath").asText()),
        environment);
  }

  private void transformAll(
      Path root,
      Settings settings,
      List<S3DataSource.Entry> objects,
      List<ModelWorker> workers,
      Consumer<String> log) {
    int instances = workers.size();
    ExecutorService instancePool = Executors.newFixedThreadPool(instances, threads("instance"));
    ExecutorService requestPool =
        Executors.newFixedThreadPool(instances * settings.maxConcurrent(), threads("request"));
    pools.add(instancePool);
    pools.add(requestPool);
    if (stopRequested) {
      instancePool.shutdownNow();
      requestPool.shutdownNow();
      return;
    }
    for (int i = 0; i < instances; i++) {
      int instance = i;
      instancePool.execute(
          () -> {
            try {
              for (int index = instance; index < objects.size(); index += instances) {
                if (stopRequested || failure.get() != null) {
                  return;
                }
                transformObject(
                    root,
                    settings,
                    index,
                    objects.get(index),
                    workers.get(instance),
                    requestPool,
                    log);
              }
            } catch (ObjectFailure e) {
              failure.compareAndSet(null, reason(e.getMessage()));
            } catch (Abandoned e) {
              // the job ends Stopped, or Failed for another instance's failure
            } catch (RuntimeException | Error e) {
              LOG.error("Transform job {}: instance {} failed unexpectedly", name, instance, e);
              failure.compareAndSet(null, reason("InternalServerError: " + e));
            }
          });
    }
    instancePool.shutdown();
    try {
      while (!instancePool.awaitTermination(1, TimeUnit.SECONDS)) {
        // a stop interrupts the instances; they end promptly
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      instancePool.shutdownNow();
    }
    requestPool.shutdownNow();
  }

  private void transformObject(
      Path root,
      Settings settings,
      int index,
      S3DataSource.Entry object,
      ModelWorker worker,
      ExecutorService requestPool,
      Consumer<String> log)
      throws ObjectFailure, Abandoned {
    S3Location target = settings.output().resolve(object.relativePath() + ".out");
    Path downloaded = root.resolve("input").resolve(Integer.toString(index));
    Path assembled = root.resolve("output").resolve(index + ".out");
    long requests = 0;
    long records;
    try {
      context.s3().download(object.location(), downloaded);
      try (InputStream raw = Files.newInputStream(downloaded);
          InputStream in = settings.gzip() ? gunzip(raw) : raw;
          RecordSplitter splitter = RecordSplitter.of(settings.splitType(), in);
          OutputStream out = new BufferedOutputStream(Files.newOutputStream(assembled), 1 << 16)) {
        BatchReader batches = new BatchReader(splitter, settings, object);
        Deque<Batch> sent = new ArrayDeque<>();
        Deque<Future<ModelWorker.Invocation>> inFlight = new ArrayDeque<>();
        Batch batch;
        while ((batch = batches.next()) != null) {
          checkRunning();
          byte[] body = batch.body();
          try {
            inFlight.add(requestPool.submit(() -> invoke(worker, body, settings)));
          } catch (java.util.concurrent.RejectedExecutionException e) {
            checkRunning();
            throw e;
          }
          sent.add(batch);
          requests++;
          if (inFlight.size() >= settings.maxConcurrent()) {
            write(out, await(inFlight.removeFirst(), sent.removeFirst(), object), settings);
          }
        }
        while (!inFlight.isEmpty()) {
          write(out, await(inFlight.removeFirst(), sent.removeFirst(), object), settings);
        }
        records = batches.records();
      }
      checkRunning();
      context.s3().upload(assembled, target);
    } catch (RecordIoFormatException e) {
      throw new ObjectFailure(
          "ClientError: " + object.location() + " is not valid RecordIO: " + e.getMessage());
    } catch (IOException e) {
      checkRunning();
      throw new ObjectFailure(
          "ClientError: could not read " + object.location() + ": " + e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(downloaded);
        Files.deleteIfExists(assembled);
      } catch (IOException e) {
        LOG.debug("Could not remove {}: {}", downloaded, e.toString());
      }
    }
    LOG.info(
        "Transform job {}: wrote {} ({} records, {} requests) from {}",
        name,
        target,
        records,
        requests,
        object.location());
    log.accept(
        "Wrote "
            + target
            + " ("
            + records
            + " records in "
            + requests
            + " requests) from "
            + object.location());
  }

  private void checkRunning() throws Abandoned {
    if (stopRequested || failure.get() != null) {
      throw new Abandoned();
    }
  }

  private static InputStream gunzip(InputStream raw) throws IOException {
    try {
      return new GZIPInputStream(raw, 1 << 16);
    } catch (IOException e) {
      throw new IOException(
          "CompressionType is Gzip but the object is not gzip (" + e.getMessage() + ")", e);
    }
  }

  private static ModelWorker.Invocation invoke(ModelWorker worker, byte[] body, Settings settings)
      throws ModelWorker.ModelError {
    try {
      return worker.invoke(body, settings.contentType(), settings.accept());
    } catch (RuntimeException e) {
      // An in-process model that throws failed like a container answering 500.
      throw new ModelWorker.ModelError(500, "The model failed: " + e);
    }
  }

  private ModelWorker.Invocation await(
      Future<ModelWorker.Invocation> answer, Batch batch, S3DataSource.Entry object)
      throws ObjectFailure, Abandoned {
    try {
      return answer.get();
    } catch (InterruptedException e) {
      checkRunning();
      Thread.currentThread().interrupt();
      throw new ObjectFailure("InternalServerError: the job was interrupted");
    } catch (java.util.concurrent.CancellationException e) {
      checkRunning();
      throw new ObjectFailure("InternalServerError: a request was cancelled");
    } catch (ExecutionException e) {
      checkRunning();
      Throwable cause = e.getCause();
      if (cause instanceof ModelWorker.ModelError error) {
        throw new ObjectFailure(
            "ClientError: Bad HTTP status received from algorithm: "
                + error.statusCode()
                + " for input object "
                + object.location()
                + " ("
                + batch.records()
                + "): "
                + error.getMessage()
                + ". See job logs for more information");
      }
      throw new ObjectFailure(
          "InternalServerError: the request for "
              + batch.records()
              + " of "
              + object.location()
              + " failed: "
              + cause);
    }
  }

  private static void write(OutputStream out, ModelWorker.Invocation answer, Settings settings)
      throws IOException {
    byte[] body = answer.body() == null ? new byte[0] : answer.body();
    out.write(body);
    if (settings.assembleLines() && (body.length == 0 || body[body.length - 1] != '\n')) {
      out.write('\n');
    }
  }

  /** Packs an object's records into requests. */
  private static final class BatchReader {
    private final RecordSplitter splitter;
    private final Settings settings;
    private final S3DataSource.Entry object;
    private byte[] carried;
    private long records;

    BatchReader(RecordSplitter splitter, Settings settings, S3DataSource.Entry object) {
      this.splitter = splitter;
      this.settings = settings;
      this.object = object;
    }

    /** The next request, or null when the object is done. */
    Batch next() throws IOException, ObjectFailure {
      long limit = settings.maxPayloadBytes(); // 0: no limit, as SageMaker's MaxPayloadInMB 0
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      long first = records + 1;
      int count = 0;
      while (true) {
        byte[] record = carried != null ? carried : splitter.next();
        carried = null;
        if (record == null) {
          break;
        }
        if (limit > 0 && record.length > limit) {
          throw new ObjectFailure(
              "ClientError: Too much data for max payload size: record "
                  + (records + 1)
                  + " of input object "
                  + object.location()
                  + " is "
                  + record.length
                  + " bytes, more than MaxPayloadInMB "
                  + settings.maxPayloadMb()
                  + " ("
                  + limit
                  + " bytes)");
        }
        if (count > 0 && limit > 0 && body.size() + (long) record.length > limit) {
          carried = record;
          break;
        }
        body.write(record);
        count++;
        records++;
        if (settings.singleRecord()) {
          break;
        }
      }
      return count == 0 ? null : new Batch(body.toByteArray(), first, records);
    }

    long records() {
      return records;
    }
  }

  private ThreadFactory threads(String role) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "sagemaker-local-transform-" + role + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private void finish(String status, String failureReason) {
    end(status, failureReason == null ? null : reason(failureReason), (d, now) -> {});
  }

  static String reason(String message) {
    return JobRecord.reason(message, "ClientError: no reason given");
  }
}
