package dev.sagemakerbeam.local.testalgo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A user algorithm for the tests, run as a separate program under the SageMaker container contract:
 * {@code train} reads every CSV file of its {@code train} channel, learns the mean of the first
 * column and writes it to {@code model/mean.json}; {@code serve} answers each CSV line of a request
 * with the value minus that mean.
 *
 * <p>Hyperparameters: {@code sleep_seconds} (sleep before finishing, to test stop and
 * MaxRuntimeInSeconds), {@code fail} (write it to output/failure and exit 1). Requests: the body
 * {@code fail} is answered with 400; {@code sleep:<ms>} sleeps before answering.
 */
public final class MeanAlgorithm {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MeanAlgorithm() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(System.getenv("SAGEMAKER_LOCAL_ML_ROOT"));
    if (args.length == 1 && args[0].equals("train")) {
      train(root);
    } else if (args.length == 1 && args[0].equals("serve")) {
      serve(root, Integer.parseInt(System.getenv("SAGEMAKER_BIND_TO_PORT")));
    } else {
      System.err.println("usage: MeanAlgorithm train|serve");
      System.exit(2);
    }
  }

  private static void train(Path root) throws Exception {
    JsonNode hyperparameters =
        MAPPER.readTree(root.resolve("input/config/hyperparameters.json").toFile());
    JsonNode inputConfig =
        MAPPER.readTree(root.resolve("input/config/inputdataconfig.json").toFile());
    JsonNode resourceConfig =
        MAPPER.readTree(root.resolve("input/config/resourceconfig.json").toFile());
    System.out.println(
        "host "
            + resourceConfig.get("current_host").asText()
            + ", train content type "
            + inputConfig.path("train").path("ContentType").asText());
    if (hyperparameters.has("fail")) {
      Files.writeString(root.resolve("output/failure"), hyperparameters.get("fail").asText());
      System.out.println("failing as asked");
      System.exit(1);
    }
    Path channel = root.resolve("input/data/train");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(channel)) {
      files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
    double sum = 0;
    long count = 0;
    for (Path file : files) {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          sum += Double.parseDouble(line.split(",")[0].trim());
          count++;
        }
      }
    }
    if (count == 0) {
      Files.writeString(
          root.resolve("output/failure"), "ClientError: the train channel has no rows");
      System.exit(1);
    }
    double mean = sum / count;
    // A partial model first, so a stopped job still has something to upload.
    Files.writeString(
        root.resolve("model/mean.json"),
        MAPPER.writeValueAsString(Map.of("mean", mean, "count", count, "files", files.size())));
    System.out.println("rows=" + count);
    System.out.println("train_mean=" + mean);
    double sleepSeconds = hyperparameters.path("sleep_seconds").asDouble(0);
    if (sleepSeconds > 0) {
      System.out.println("sleeping " + sleepSeconds + " s");
      Thread.sleep((long) (sleepSeconds * 1000));
    }
    System.out.println("done");
  }

  private static void serve(Path root, int port) throws Exception {
    double mean = MAPPER.readTree(root.resolve("model/mean.json").toFile()).get("mean").asDouble();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/ping", exchange -> respond(exchange, 200, "text/plain", ""));
    server.createContext(
        "/invocations",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          if (body.equals("fail")) {
            respond(exchange, 400, "text/plain", "cannot score 'fail'");
            return;
          }
          if (body.startsWith("sleep:")) {
            try {
              Thread.sleep(Long.parseLong(body.substring("sleep:".length()).trim()));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "text/plain", "slept");
            return;
          }
          String answer =
              body.lines()
                  .filter(l -> !l.isBlank())
                  .map(l -> Double.toString(Double.parseDouble(l.split(",")[0].trim()) - mean))
                  .collect(Collectors.joining("\n"));
          respond(exchange, 200, "text/csv", answer);
        });
    server.start();
    System.out.println("serving mean " + mean + " on port " + port);
  }

  private static void respond(HttpExchange exchange, int status, String type, String text)
      throws IOException {
    byte[] out = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
  }

  /**
   * Writes an executable launcher for this program into {@code dir} (the current JVM's java and the
   * test class path) and answers its {@code process:} image URI.
   */
  public static String launcherImage(Path dir) throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path script = dir.resolve("mean-algorithm");
    Files.writeString(
        script,
        "#!/bin/sh\nexec '"
            + java
            + "' -XX:TieredStopAtLevel=1 -Xshare:auto -Xmx128m -cp '"
            + classPath
            + "' "
            + MeanAlgorithm.class.getName()
            + " \"$@\"\n");
    if (!script.toFile().setExecutable(true)) {
      throw new IOException("could not make " + script + " executable");
    }
    return "process:" + script.toAbsolutePath();
  }
}
