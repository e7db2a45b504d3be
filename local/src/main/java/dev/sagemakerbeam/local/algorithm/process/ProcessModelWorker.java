package dev.sagemakerbeam.local.algorithm.process;

import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code <program> serve} process: started on a free loopback port given as
 * SAGEMAKER_BIND_TO_PORT, healthy once {@code GET /ping} answers 200, invoked through {@code POST
 * /invocations}.
 */
final class ProcessModelWorker implements ModelWorker {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessModelWorker.class);

  /** SageMaker expects a ping answer within 2 seconds. */
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

  /** SageMaker's model time limit for one invocation. */
  private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration DEFAULT_STARTUP = Duration.ofSeconds(120);

  private final Process process;
  private final URI base;
  private final HttpClient client;
  private final Deque<String> lastLines;

  private ProcessModelWorker(
      Process process, URI base, HttpClient client, Deque<String> lastLines) {
    this.process = process;
    this.base = base;
    this.client = client;
    this.lastLines = lastLines;
  }

  static ProcessModelWorker start(Path program, Path modelDir, Map<String, String> environment)
      throws AlgorithmException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new AlgorithmException("No free port for the model server: " + e.getMessage(), e);
    }
    Path root = modelDir.toAbsolutePath().getParent();
    ProcessBuilder builder = new ProcessBuilder(program.toString(), "serve");
    builder.directory(root.toFile());
    builder.redirectErrorStream(true);
    builder.environment().putAll(environment);
    builder.environment().put(ProcessAlgorithm.ML_ROOT_ENV, root.toString());
    builder.environment().put("SM_MODEL_DIR", modelDir.toAbsolutePath().toString());
    builder.environment().put("SAGEMAKER_BIND_TO_PORT", Integer.toString(port));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AlgorithmException("Could not start '" + program + " serve': " + e.getMessage(), e);
    }
    Deque<String> lastLines = new ArrayDeque<>();
    ProcessAlgorithm.startLogReader(
        process,
        line -> {
          LOG.info("[serve {}] {}", port, line);
          synchronized (lastLines) {
            lastLines.addLast(line);
            if (lastLines.size() > 10) {
              lastLines.removeFirst();
            }
          }
        },
        "serve-" + port);
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(PING_TIMEOUT)
            .build();
    ProcessModelWorker worker =
        new ProcessModelWorker(process, URI.create("http://127.0.0.1:" + port), client, lastLines);
    Duration startup = DEFAULT_STARTUP;
    String configured = environment.get("SAGEMAKER_LOCAL_STARTUP_TIMEOUT_SECONDS");
    if (configured != null && configured.matches("\\d{1,5}")) {
      startup = Duration.ofSeconds(Integer.parseInt(configured));
    }
    long deadline = System.nanoTime() + startup.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AlgorithmException(
            "Model server '"
                + program
                + " serve' exited with code "
                + process.exitValue()
                + " before answering /ping; last output: "
                + worker.lastOutput());
      }
      if (worker.ping()) {
        LOG.info("Model server {} answers /ping on port {}", program, port);
        return worker;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        worker.close();
        Thread.currentThread().interrupt();
        throw new AlgorithmException("Interrupted while waiting for the model server", e);
      }
    }
    worker.close();
    throw new AlgorithmException(
        "Model server '"
            + program
            + " serve' did not answer GET /ping with 200 on port "
            + port
            + " within "
            + startup.toSeconds()
            + " s; last output: "
            + worker.lastOutput());
  }

  private String lastOutput() {
    synchronized (lastLines) {
      return String.join(" | ", lastLines);
    }
  }

  @Override
  public Invocation invoke(byte[] body, String contentType, String accept) throws ModelError {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("/invocations"))
            .timeout(INVOCATION_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (accept != null) {
      request.header("Accept", accept);
    }
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ModelError(500, "Model server did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelError(500, "Interrupted while waiting for the model server");
    }
    if (response.statusCode() / 100 != 2) {
      throw new ModelError(
          response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    }
    String responseType =
        response
            .headers()
            .firstValue("Content-Type")
            .orElse(accept == null ? "application/octet-stream" : accept);
    return new Invocation(response.body(), responseType);
  }

  @Override
  public boolean ping() {
    try {
      HttpResponse<Void> response =
          client.send(
              HttpRequest.newBuilder(base.resolve("/ping")).timeout(PING_TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    try {
      ProcessAlgorithm.stop(process);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
