package dev.sagemakerbeam.transforms.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.AmazonRecordDecoder;
import dev.sagemakerbeam.io.RecordIoReader;
import dev.sagemakerbeam.io.RecordIoWriter;
import dev.sagemakerbeam.io.protobuf.AmazonRecordProtos;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A SageMaker runtime on a free loopback port for tests and benchmarks: answers {@code POST
 * /endpoints/{name}/invocations} the way SageMaker does, including its errors (restJson1: an {@code
 * x-amzn-ErrorType} header and a JSON body with the message), so the real AWS SDK client parses
 * them into its real exception types.
 *
 * <p>Each endpoint name is given a {@link Behaviour}. The "model" answers K-Means style: for a
 * request row whose first feature is {@code x}, {@code closest_cluster = x} and {@code
 * distance_to_cluster = 2x}; for CSV or JSON responses, the value {@code x}. That lets tests check
 * each prediction stayed with its input.
 */
public final class FakeSageMakerRuntime implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How an endpoint answers. Counters count down per endpoint across requests. */
  public static final class Behaviour {
    volatile int throttleFirst;
    volatile int notReadyFirst;
    volatile int serverErrorFirst;
    volatile int serverErrorStatus = 503;
    volatile boolean alwaysServerError;
    volatile boolean modelError;
    volatile boolean validationError;
    volatile int extraRows;
    volatile int slowFirst;
    volatile boolean alwaysSlow;
    volatile long slowMillis;
    volatile long latencyMillis;
    volatile int refuseOverBytes = Integer.MAX_VALUE;
    volatile boolean cheap;

    /**
     * Count RecordIO rows without decoding them and answer from a cache: a server with capacity to
     * spare, for benchmarks. Predictions are all zero.
     */
    public Behaviour cheap() {
      cheap = true;
      return this;
    }

    public Behaviour throttleFirst(int n) {
      throttleFirst = n;
      return this;
    }

    public Behaviour notReadyFirst(int n) {
      notReadyFirst = n;
      return this;
    }

    public Behaviour serverErrorFirst(int n, int status) {
      serverErrorFirst = n;
      serverErrorStatus = status;
      return this;
    }

    public Behaviour alwaysServerError(int status) {
      alwaysServerError = true;
      serverErrorStatus = status;
      return this;
    }

    public Behaviour modelError() {
      modelError = true;
      return this;
    }

    public Behaviour validationError() {
      validationError = true;
      return this;
    }

    /** Answer with this many more (or, negative, fewer) predictions than rows. */
    public Behaviour extraRows(int n) {
      extraRows = n;
      return this;
    }

    public Behaviour slowFirst(int n, long millis) {
      slowFirst = n;
      slowMillis = millis;
      return this;
    }

    public Behaviour alwaysSlow(long millis) {
      alwaysSlow = true;
      slowMillis = millis;
      return this;
    }

    /** Fixed model latency for every answer. */
    public Behaviour latency(long millis) {
      latencyMillis = millis;
      return this;
    }

    /** Answer 413 to bodies larger than this. */
    public Behaviour refuseOver(int bytes) {
      refuseOverBytes = bytes;
      return this;
    }
  }

  /** What one endpoint received. */
  public static final class Received {
    public final AtomicInteger requests = new AtomicInteger();
    public final ConcurrentLinkedQueue<Integer> bodySizes = new ConcurrentLinkedQueue<>();

    /** Rows of every request, answered or not. */
    public final ConcurrentLinkedQueue<Integer> rowCounts = new ConcurrentLinkedQueue<>();

    public int totalRows() {
      return rowCounts.stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Requests between their arrival and the start of their answer. Counted down before the answer
     * is sent, not after: once it is, the client may send its next request on the same connection
     * before this thread would get to count down, which counted one request more than were on the
     * wire.
     */
    public final AtomicInteger concurrent = new AtomicInteger();

    public final AtomicInteger maxConcurrent = new AtomicInteger();

    /** {@code System.nanoTime()} when the first request came in (0 until then). */
    public final AtomicLong firstArrivalNanos = new AtomicLong();

    /** {@code System.nanoTime()} when the latest answer started to be sent. */
    public final AtomicLong lastAnswerNanos = new AtomicLong();

    /**
     * Seconds from the first request's arrival to the last answer: the time the endpoint was in
     * use.
     */
    public double busySeconds() {
      return (lastAnswerNanos.get() - firstArrivalNanos.get()) / 1e9;
    }
  }

  static {
    // The JDK server leaves Nagle's algorithm on unless told otherwise, which delays small answers
    // behind the client's delayed ACK; a real endpoint answers without that. Read once, at first
    // use.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, Received> received = new ConcurrentHashMap<>();
  private final Map<Integer, byte[]> cachedResponses = new ConcurrentHashMap<>();

  private FakeSageMakerRuntime(int threads) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "fake-sagemaker-runtime");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/endpoints/", this::handle);
    server.start();
  }

  /** Starts a server on a free loopback port with {@code threads} handler threads. */
  public static FakeSageMakerRuntime start(int threads) throws IOException {
    return new FakeSageMakerRuntime(threads);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Registers (or replaces) an endpoint and returns its behaviour to configure. */
  public Behaviour endpoint(String name) {
    Behaviour b = new Behaviour();
    behaviours.put(name, b);
    received.put(name, new Received());
    return b;
  }

  public Received received(String name) {
    return received.get(name);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath(); // /endpoints/{name}/invocations
      String[] parts = path.split("/");
      if (!"POST".equals(exchange.getRequestMethod())
          || parts.length != 4
          || !"invocations".equals(parts[3])) {
        error(exchange, 404, "UnknownOperationException", "no such operation: " + path, null);
        return;
      }
      String name = parts[2];
      Behaviour b = behaviours.get(name);
      Received r = received.get(name);
      if (r != null) {
        r.firstArrivalNanos.compareAndSet(0, System.nanoTime());
      }
      byte[] body = readAll(exchange.getRequestBody());
      if (b == null) {
        error(
            exchange,
            400,
            "ValidationError",
            "Endpoint " + name + " of account 123456789012 not found.",
            null);
        return;
      }
      int now = r.concurrent.incrementAndGet();
      r.maxConcurrent.accumulateAndGet(now, Math::max);
      ANSWERING.set(r);
      try {
        r.requests.incrementAndGet();
        r.bodySizes.add(body.length);
        List<Double> firstValues =
            b.cheap
                ? zeros(countRecords(body))
                : firstFeatureValues(header(exchange, "Content-Type"), body);
        r.rowCounts.add(firstValues.size());
        answer(exchange, name, b, firstValues, body);
      } finally {
        answering(); // when nothing was sent
      }
    }
  }

  /**
   * The {@link Received} of the request this thread is answering, until its answer is sent (a
   * request is read, answered and sent on one thread). Not an exchange attribute: the JDK server
   * keeps those per context, shared by every request.
   */
  private static final ThreadLocal<Received> ANSWERING = new ThreadLocal<>();

  /** Called before an answer is sent: the request is no longer counted in flight. */
  private static void answering() {
    Received r = ANSWERING.get();
    if (r != null) {
      ANSWERING.remove();
      r.lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max);
      r.concurrent.decrementAndGet();
    }
  }

  private void answer(
      HttpExchange exchange, String name, Behaviour b, List<Double> firstValues, byte[] body)
      throws IOException {
    if (body.length > b.refuseOverBytes) {
      error(
          exchange,
          413,
          null,
          "HTTP content length exceeded " + b.refuseOverBytes + " bytes.",
          null);
      return;
    }
    if (b.alwaysSlow || decrement(b, "slow")) {
      sleep(b.slowMillis);
    }
    if (decrement(b, "throttle")) {
      error(exchange, 400, "ThrottlingException", "Rate exceeded", null);
      return;
    }
    if (decrement(b, "notReady")) {
      error(exchange, 429, "ModelNotReadyException", "Model is not ready yet", null);
      return;
    }
    if (b.alwaysServerError || decrement(b, "serverError")) {
      String code = b.serverErrorStatus == 500 ? "InternalFailure" : "ServiceUnavailable";
      error(exchange, b.serverErrorStatus, code, "the service is unavailable, try again", null);
      return;
    }
    if (b.validationError) {
      error(exchange, 400, "ValidationError", "1 validation error detected: bad input", null);
      return;
    }
    if (b.modelError) {
      error(
          exchange,
          424,
          "ModelError",
          "Received server error (500) from primary with message \"boom\". See logs.",
          Map.of(
              "OriginalStatusCode",
              500,
              "OriginalMessage",
              "boom",
              "LogStreamArn",
              "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/" + name));
      return;
    }
    String accept = header(exchange, "Accept");
    int answerRows = Math.max(0, firstValues.size() + b.extraRows);
    while (firstValues.size() < answerRows) {
      firstValues.add(0.0);
    }
    if (b.latencyMillis > 0) {
      sleep(b.latencyMillis);
    }
    byte[] response;
    String responseType;
    if (b.cheap) {
      response =
          cachedResponses.computeIfAbsent(
              answerRows,
              n -> {
                try {
                  return kmeansProtobuf(zeros(n));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      responseType = "application/x-recordio-protobuf";
    } else if (accept != null && accept.contains("recordio-protobuf")) {
      response = kmeansProtobuf(firstValues.subList(0, answerRows));
      responseType = "application/x-recordio-protobuf";
    } else if (accept != null && accept.contains("json")) {
      StringBuilder sb = new StringBuilder("{\"predictions\":[");
      for (int i = 0; i < answerRows; i++) {
        sb.append(i > 0 ? "," : "").append("{\"score\":").append(firstValues.get(i)).append('}');
      }
      response = sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
      responseType = "application/json";
    } else {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < answerRows; i++) {
        sb.append(firstValues.get(i)).append('\n');
      }
      response = sb.toString().getBytes(StandardCharsets.UTF_8);
      responseType = "text/csv";
    }
    exchange.getResponseHeaders().set("Content-Type", responseType);
    exchange.getResponseHeaders().set("x-Amzn-Invoked-Production-Variant", "AllTraffic");
    answering();
    exchange.sendResponseHeaders(200, response.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(response);
    }
  }

  private static synchronized boolean decrement(Behaviour b, String which) {
    switch (which) {
      case "slow":
        if (b.slowFirst > 0) {
          b.slowFirst--;
          return true;
        }
        return false;
      case "throttle":
        if (b.throttleFirst > 0) {
          b.throttleFirst--;
          return true;
        }
        return false;
      case "notReady":
        if (b.notReadyFirst > 0) {
          b.notReadyFirst--;
          return true;
        }
        return false;
      default:
        if (b.serverErrorFirst > 0) {
          b.serverErrorFirst--;
          return true;
        }
        return false;
    }
  }

  /** The first feature of every row of a request body, in order. */
  static List<Double> firstFeatureValues(String contentType, byte[] body) throws IOException {
    List<Double> values = new ArrayList<>();
    if (contentType != null && contentType.contains("recordio-protobuf")) {
      try (RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(body))) {
        while (reader.next()) {
          AmazonRecord record = AmazonRecordDecoder.decode(reader.buffer(), 0, reader.length());
          values.add(record.featureVector().get(0));
        }
      }
    } else if (contentType != null && contentType.contains("json")) {
      for (JsonNode instance : JSON.readTree(body).get("instances")) {
        JsonNode dense = instance.get("features");
        values.add(
            dense != null
                ? dense.get(0).asDouble()
                : firstSparse(instance.get("data").get("features")));
      }
    } else if (contentType != null && contentType.contains("libsvm")) {
      for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        double first = 0.0;
        for (String token : line.trim().split(" ")) {
          if (token.startsWith("1:")) {
            first = Double.parseDouble(token.substring(2));
          }
        }
        values.add(first);
      }
    } else {
      for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          values.add(Double.parseDouble(line.split(",")[0]));
        }
      }
    }
    return values;
  }

  private static int countRecords(byte[] body) throws IOException {
    int n = 0;
    try (RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(body))) {
      while (reader.next()) {
        n++;
      }
    }
    return n;
  }

  private static List<Double> zeros(int n) {
    List<Double> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(0.0);
    }
    return list;
  }

  private static double firstSparse(JsonNode features) {
    JsonNode keys = features.get("keys");
    return keys.size() > 0 && keys.get(0).asInt() == 0
        ? features.get("values").get(0).asDouble()
        : 0.0;
  }

  static byte[] kmeansProtobuf(List<Double> firstValues) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (RecordIoWriter writer = new RecordIoWriter(out)) {
      for (double x : firstValues) {
        AmazonRecordProtos.Record record =
            AmazonRecordProtos.Record.newBuilder()
                .putLabel("closest_cluster", float32((float) x))
                .putLabel("distance_to_cluster", float32((float) (2 * x)))
                .build();
        writer.write(record.toByteArray());
      }
    }
    return out.toByteArray();
  }

  private static AmazonRecordProtos.Value float32(float v) {
    return AmazonRecordProtos.Value.newBuilder()
        .setFloat32Tensor(AmazonRecordProtos.Float32Tensor.newBuilder().addValues(v))
        .build();
  }

  private static void error(
      HttpExchange exchange,
      int status,
      String errorType,
      String message,
      Map<String, Object> extra)
      throws IOException {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    if (errorType != null) {
      exchange
          .getResponseHeaders()
          .set(
              "x-amzn-ErrorType",
              errorType + ":http://internal.amazon.com/coral/com.amazon.sagemaker/");
      body.put("__type", errorType);
    }
    body.put("message", message);
    if (extra != null) {
      body.putAll(extra);
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    answering();
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String header(HttpExchange exchange, String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
