package dev.sagemakerbeam.transforms.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.serde.CsvRequestSerializer;
import dev.sagemakerbeam.transforms.serde.CsvResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.JsonRequestSerializer;
import dev.sagemakerbeam.transforms.serde.JsonResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.LibSvmRequestSerializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import dev.sagemakerbeam.transforms.testing.FakeSageMakerRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;

/** The batching engine on its own, against a real HTTP server speaking the runtime protocol. */
class InferenceBatchEngineTest {
  private static FakeSageMakerRuntime server;
  private static SageMakerClientConfiguration config;

  /** One client for the class: closing a Netty client takes its event loop's 2 s quiet period. */
  private static SageMakerRuntimeAsyncClient client;

  /**
   * A loopback port bound by this class and never listened on, held until the class ends: a connect
   * to it is refused. Nothing else can take the port meanwhile (a port found free and then closed
   * can be bound by another process, which then accepts and never answers, costing a socket timeout
   * per attempt), and no connect can pick it as its own source port (a TCP self-connect).
   */
  private static java.net.Socket refusingPort;

  @BeforeAll
  static void start() throws Exception {
    server = FakeSageMakerRuntime.start(16);
    config =
        SageMakerClientConfiguration.forLocal(
            server.endpoint(),
            server.endpoint(),
            server.endpoint(),
            server.endpoint(),
            "us-east-1",
            "test-access-key",
            "test-secret-key");
    client = SageMakerClients.runtimeAsync(config, 8);
    refusingPort = new java.net.Socket();
    refusingPort.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
  }

  @AfterAll
  static void stop() throws java.io.IOException {
    refusingPort.close();
    client.close();
    server.close();
  }

  /** Collects outcomes by element. */
  static final class Collected<T, R> implements InferenceOutcomeReceiver<T, R> {
    final Map<T, R> successes = new HashMap<>();
    final Map<T, InvocationFailure> failures = new HashMap<>();
    int outcomes;

    /** The engine's counts, once the run is over. */
    InferenceStats stats;

    @Override
    public void onSuccess(T element, Object tag, R prediction) {
      outcomes++;
      successes.put(element, prediction);
    }

    @Override
    public void onFailure(T element, Object tag, InvocationFailure failure) {
      outcomes++;
      failures.put(element, failure);
    }
  }

  static FeatureVector sparseRow(int id, Random random) {
    int size = 200;
    int nnz = 1 + random.nextInt(40);
    int[] indices = random.ints(0, size).distinct().limit(nnz).sorted().toArray();
    if (indices[0] != 0) {
      int[] with0 = new int[indices.length + 1];
      System.arraycopy(indices, 0, with0, 1, indices.length);
      indices = with0;
    }
    double[] values = new double[indices.length];
    values[0] = id;
    for (int i = 1; i < values.length; i++) {
      values[i] = random.nextDouble();
    }
    return FeatureVector.sparse(size, indices, values);
  }

  private <T, R> Collected<T, R> run(
      InferenceSettings settings,
      RequestSerializer<T> serializer,
      ResponseDeserializer<R> deserializer,
      List<T> elements)
      throws InterruptedException {
    return run(client, settings, serializer, deserializer, elements);
  }

  /**
   * Adds {@code elements} to a new engine on {@code runtime}, flushes it and collects the outcomes.
   */
  private static <T, R> Collected<T, R> run(
      SageMakerRuntimeAsyncClient runtime,
      InferenceSettings settings,
      RequestSerializer<T> serializer,
      ResponseDeserializer<R> deserializer,
      List<T> elements)
      throws InterruptedException {
    Collected<T, R> collected = new Collected<>();
    try (InferenceBatchEngine<T, R> engine =
        new InferenceBatchEngine<>(settings, runtime, serializer, deserializer)) {
      for (T e : elements) {
        engine.add(e, null, collected);
      }
      engine.flush(collected);
      assertThat(engine.inFlight(), is(0));
      collected.stats = engine.stats();
    }
    return collected;
  }

  private static List<FeatureVector> oneFeatureRows(int count) {
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(FeatureVector.dense(new double[] {i}));
    }
    return rows;
  }

  @Test
  void packsRequestsUpToTheByteLimitIncludingFraming() throws Exception {
    server.endpoint("pack-bytes");
    Random random = new Random(7);
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      rows.add(sparseRow(i, random));
    }
    RecordIoProtobufRequestSerializer<FeatureVector> serializer =
        RecordIoProtobufRequestSerializer.forFeatureVectors();
    int limit = 3000;
    InferenceSettings settings =
        InferenceSettings.builder("pack-bytes")
            .maxPayloadBytes(limit)
            .maxRecordsPerRequest(10_000)
            .maxInFlight(4)
            .build();

    Collected<FeatureVector, KMeansPrediction> out =
        run(settings, serializer, new KMeansProtobufResponseDeserializer(), rows);

    // greedy packing by framed size, as the engine must do it
    List<Integer> expected = new ArrayList<>();
    int body = 0;
    for (FeatureVector row : rows) {
      int size = serializer.serialize(row).length;
      if (body > 0 && body + size > limit) {
        expected.add(body);
        body = 0;
      }
      body += size;
    }
    expected.add(body);
    List<Integer> sent = new ArrayList<>(server.received("pack-bytes").bodySizes);
    Collections.sort(sent);
    Collections.sort(expected);
    assertThat(sent, equalTo(expected));
    for (int size : sent) {
      assertThat(size, lessThanOrEqualTo(limit));
    }
    assertThat(out.successes.size(), is(400));
    assertThat(out.outcomes, is(400));
    for (Map.Entry<FeatureVector, KMeansPrediction> e : out.successes.entrySet()) {
      assertThat(e.getValue().closestCluster(), is(e.getKey().get(0)));
    }
  }

  @Test
  void honoursTheRecordLimit() throws Exception {
    server.endpoint("pack-records");
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(FeatureVector.dense(new double[] {i, 1, 2}));
    }
    InferenceSettings settings =
        InferenceSettings.builder("pack-records").maxRecordsPerRequest(7).build();
    Collected<FeatureVector, KMeansPrediction> out =
        run(
            settings,
            RecordIoProtobufRequestSerializer.forFeatureVectors(),
            new KMeansProtobufResponseDeserializer(),
            rows);
    List<Integer> counts = new ArrayList<>(server.received("pack-records").rowCounts);
    Collections.sort(counts);
    assertThat(counts, equalTo(List.of(1, 7, 7, 7, 7, 7, 7, 7)));
    assertThat(out.successes.size(), is(50));
  }

  @Test
  void aSingleElementOverTheLimitFailsNamingItsSize() throws Exception {
    server.endpoint("oversize");
    List<FeatureVector> rows = new ArrayList<>();
    rows.add(FeatureVector.dense(new double[] {1, 2}));
    double[] big = new double[400];
    big[0] = 2;
    FeatureVector tooBig = FeatureVector.dense(big);
    rows.add(tooBig);
    rows.add(FeatureVector.dense(new double[] {3, 4}));
    InferenceSettings settings =
        InferenceSettings.builder("oversize").maxPayloadBytes(1000).build();
    Collected<FeatureVector, KMeansPrediction> out =
        run(
            settings,
            RecordIoProtobufRequestSerializer.forFeatureVectors(),
            new KMeansProtobufResponseDeserializer(),
            rows);
    assertThat(out.successes.size(), is(2));
    InvocationFailure failure = out.failures.get(tooBig);
    assertThat(failure.errorCode(), is(InvocationFailure.ELEMENT_TOO_LARGE));
    int size = RecordIoProtobufRequestSerializer.forFeatureVectors().serialize(tooBig).length;
    assertThat(failure.message(), containsString(size + " bytes"));
    assertThat(failure.message(), containsString("maxPayloadBytes 1000"));
    assertThat(failure.attempts(), is(0));
  }

  @Test
  void keepsAtMostMaxInFlightRequestsOpen() throws Exception {
    server.endpoint("in-flight").latency(60);
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      rows.add(FeatureVector.dense(new double[] {i}));
    }
    InferenceSettings settings =
        InferenceSettings.builder("in-flight").maxRecordsPerRequest(5).maxInFlight(3).build();
    Collected<FeatureVector, KMeansPrediction> out = new Collected<>();
    int mostOut = 0;
    // the client as InvokeEndpoint and the Spark model build it: one connection per request in
    // flight
    try (SageMakerRuntimeAsyncClient ownClient =
            SageMakerClients.runtimeAsync(config, settings.maxInFlight());
        InferenceBatchEngine<FeatureVector, KMeansPrediction> engine =
            new InferenceBatchEngine<>(
                settings,
                ownClient,
                RecordIoProtobufRequestSerializer.forFeatureVectors(),
                new KMeansProtobufResponseDeserializer())) {
      for (FeatureVector row : rows) {
        engine.add(row, null, out);
        mostOut = Math.max(mostOut, engine.inFlight());
      }
      engine.flush(out);
    }
    assertThat(out.successes.size(), is(120));
    int max = server.received("in-flight").maxConcurrent.get();
    assertThat(max, lessThanOrEqualTo(3));
    assertThat(max, greaterThanOrEqualTo(2));
    // one batch more than the connections is handed to the client, never two
    assertThat(mostOut, is(3 + InferenceBatchEngine.QUEUED_AT_CLIENT));
  }

  @Test
  void splitsBatchesTheEndpointRefusesAsTooLarge() throws Exception {
    server.endpoint("split").refuseOver(700);
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      rows.add(FeatureVector.dense(new double[] {i, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    }
    double[] wide = new double[300];
    wide[0] = 1000;
    FeatureVector alone = FeatureVector.dense(wide); // ~1.2 KB: refused even alone
    rows.add(alone);
    InferenceSettings settings =
        InferenceSettings.builder("split").maxRecordsPerRequest(40).build();
    Collected<FeatureVector, KMeansPrediction> out =
        run(
            settings,
            RecordIoProtobufRequestSerializer.forFeatureVectors(),
            new KMeansProtobufResponseDeserializer(),
            rows);
    assertThat(out.successes.size(), is(60));
    assertThat(out.failures.size(), is(1));
    assertThat(out.failures.get(alone).statusCode(), is(413));
    assertThat(out.failures.get(alone).message(), containsString("single row"));
    assertThat(out.stats.splits(), greaterThanOrEqualTo(2L));
    for (Map.Entry<FeatureVector, KMeansPrediction> e : out.successes.entrySet()) {
      assertThat(e.getValue().closestCluster(), is(e.getKey().get(0)));
    }
  }

  @Test
  void textAndJsonFormatsRoundTripThroughTheEngine() throws Exception {
    server.endpoint("text");
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(
          i % 2 == 0
              ? FeatureVector.dense(new double[] {i, 0.5, 0})
              : FeatureVector.sparse(3, new int[] {0, 2}, new double[] {i, 1.5}));
    }
    InferenceSettings settings = InferenceSettings.builder("text").maxRecordsPerRequest(8).build();

    Collected<FeatureVector, Double> csv =
        run(
            settings,
            CsvRequestSerializer.forFeatureVectors(),
            new CsvResponseDeserializer(),
            rows);
    Collected<FeatureVector, Double> libsvm =
        run(
            settings,
            LibSvmRequestSerializer.labelled(v -> v, v -> 1.0),
            new CsvResponseDeserializer(),
            rows);
    Collected<FeatureVector, String> json =
        run(
            settings,
            JsonRequestSerializer.forFeatureVectors(),
            JsonResponseDeserializer.predictions(),
            rows);
    assertThat(csv.failures.keySet(), empty());
    assertThat(libsvm.failures.keySet(), empty());
    assertThat(json.failures.keySet(), empty());
    for (FeatureVector row : rows) {
      assertThat(csv.successes.get(row), is(row.get(0)));
      assertThat(libsvm.successes.get(row), is(row.get(0)));
      assertThat(json.successes.get(row), is("{\"score\":" + row.get(0) + "}"));
    }
  }

  @Test
  void serializerRejectionsBecomeFailuresAndOthersGoThrough() throws Exception {
    server.endpoint("reject");
    List<FeatureVector> rows =
        List.of(
            FeatureVector.dense(new double[] {1}),
            FeatureVector.dense(new double[] {Double.NaN}),
            FeatureVector.dense(new double[] {3}));
    Collected<FeatureVector, Double> out =
        run(
            InferenceSettings.builder("reject").build(),
            CsvRequestSerializer.forFeatureVectors(),
            new CsvResponseDeserializer(),
            rows);
    assertThat(out.successes.size(), is(2));
    assertThat(
        out.failures.get(rows.get(1)).errorCode(), is(InvocationFailure.SERIALIZATION_ERROR));
    assertThat(out.failures.get(rows.get(1)).message(), containsString("NaN"));
  }

  @Test
  void retriesAreBoundedInTime() throws Exception {
    server.endpoint("bounded-time").alwaysServerError(503);
    List<FeatureVector> rows = List.of(FeatureVector.dense(new double[] {1}));
    InferenceSettings settings =
        InferenceSettings.builder("bounded-time")
            .maxAttempts(100)
            .backoff(Duration.ofMillis(50), Duration.ofMillis(50))
            .maxRetryTime(Duration.ofMillis(400))
            .build();
    long start = System.nanoTime();
    Collected<FeatureVector, Double> out =
        run(
            settings,
            CsvRequestSerializer.forFeatureVectors(),
            new CsvResponseDeserializer(),
            rows);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(out.failures.get(rows.get(0)).statusCode(), is(503));
    int requests = server.received("bounded-time").requests.get();
    // at most one retry per 0..50 ms of jittered backoff inside 400 ms, far below 100 attempts
    assertThat(requests, lessThanOrEqualTo(60));
    assertThat(requests, greaterThanOrEqualTo(2));
    assertThat(millis, lessThanOrEqualTo(5_000L));
  }

  /**
   * Retries are sent from one shared thread, not from a thread started per retry (what {@code
   * CompletableFuture.delayedExecutor} does where the common pool has parallelism 1, on 2
   * processors) or from the common pool's workers.
   */
  @Test
  void retriesAreSentFromTheOneRetryThread() throws Exception {
    server.endpoint("retry-thread").throttleFirst(60);
    Set<String> senders = ConcurrentHashMap.newKeySet();
    AtomicInteger sent = new AtomicInteger();
    ExecutionInterceptor recorder =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            sent.incrementAndGet();
            senders.add(Thread.currentThread().getName());
          }
        };
    InferenceSettings settings =
        InferenceSettings.builder("retry-thread")
            .maxRecordsPerRequest(1)
            .maxInFlight(4)
            .maxAttempts(20)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .build();
    Collected<FeatureVector, Double> out;
    try (SageMakerRuntimeAsyncClient recording =
        SageMakerRuntimeAsyncClient.builder()
            .endpointOverride(server.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("test-access-key", "test-secret-key")))
            .overrideConfiguration(
                o ->
                    o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(recorder))
            .build()) {
      out =
          run(
              recording,
              settings,
              CsvRequestSerializer.forFeatureVectors(),
              new CsvResponseDeserializer(),
              oneFeatureRows(20));
    }
    assertThat(out.stats.retries(), is(60L));
    assertThat(out.successes.size(), is(20));
    assertThat(sent.get(), is(80));
    senders.remove(Thread.currentThread().getName());
    assertThat(senders, equalTo(Set.of(InferenceBatchEngine.RetryScheduler.THREAD_NAME)));
  }

  @Test
  void connectionErrorsAreRetriedThenReported() throws Exception {
    int closedPort = closedPort();
    java.net.URI nowhere = java.net.URI.create("http://127.0.0.1:" + closedPort);
    SageMakerClientConfiguration refused =
        SageMakerClientConfiguration.forLocal(
            nowhere, nowhere, nowhere, nowhere, "us-east-1", "test-access-key", "test-secret-key");
    InferenceSettings settings =
        InferenceSettings.builder("nowhere")
            .maxAttempts(3)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .build();
    List<FeatureVector> rows =
        List.of(FeatureVector.dense(new double[] {1}), FeatureVector.dense(new double[] {2}));
    Collected<FeatureVector, Double> out;
    try (SageMakerRuntimeAsyncClient refusedClient = SageMakerClients.runtimeAsync(refused, 2)) {
      out =
          run(
              refusedClient,
              settings,
              CsvRequestSerializer.forFeatureVectors(),
              new CsvResponseDeserializer(),
              rows);
    }
    assertThat(out.stats.requests(), is(3L));
    assertThat(out.stats.retries(), is(2L));
    assertThat(out.failures.size(), is(2));
    InvocationFailure failure = out.failures.get(rows.get(0));
    assertThat(failure.errorCode(), is(InvocationFailure.CLIENT_ERROR));
    assertThat(failure.statusCode(), is((Integer) null));
    assertThat(failure.attempts(), is(3));
    assertThat(failure.message(), containsString("gave up after 3 attempts"));
  }

  /**
   * Many queued batches against a runtime nobody listens on: the batches in flight when the first
   * gives up try their attempts, the rest fail unsent, naming why.
   */
  @Test
  void aDeadRuntimeCostsTheAttemptsNotASocketTimeoutPerBatch() throws Exception {
    int closedPort = closedPort();
    java.net.URI nowhere = java.net.URI.create("http://127.0.0.1:" + closedPort);
    SageMakerClientConfiguration refused =
        SageMakerClientConfiguration.forLocal(
            nowhere, nowhere, nowhere, nowhere, "us-east-1", "test-access-key", "test-secret-key");
    InferenceSettings settings =
        InferenceSettings.builder("dead")
            .maxRecordsPerRequest(10)
            .maxInFlight(4)
            .maxAttempts(3)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
            .build();
    Collected<FeatureVector, Double> out;
    long start = System.nanoTime();
    try (SageMakerRuntimeAsyncClient client = SageMakerClients.runtimeAsync(refused, 4)) {
      out =
          run(
              client,
              settings,
              CsvRequestSerializer.forFeatureVectors(),
              new CsvResponseDeserializer(),
              oneFeatureRows(200));
    }
    // 20 batches x 3 attempts before; now at most the 5 handed to the client try
    assertThat(out.stats.requests(), lessThanOrEqualTo(15L));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(out.failures.size(), is(200));
    assertThat(
        out.failures.get(FeatureVector.dense(new double[] {199})).message(),
        containsString("is unreachable ("));
    assertThat(millis, lessThanOrEqualTo(10_000L));
  }

  /**
   * A runtime that never completes a connection (a listener whose accept queue is full, so the
   * kernel drops new SYNs): a dead endpoint costs about one batch's attempts, not a connect timeout
   * per attempt of every queued batch.
   */
  @Test
  void anUnreachableRuntimeFailsEveryRowWithinOneBatchsAttempts() throws Exception {
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      List<java.net.Socket> fill = new ArrayList<>();
      for (int i = 0; i < 4; i++) { // the accept queue fills; later connects hang
        java.net.Socket s = new java.net.Socket();
        try {
          s.connect(silent.getLocalSocketAddress(), 300);
          fill.add(s);
        } catch (java.io.IOException e) {
          s.close();
          break;
        }
      }
      java.net.URI nowhere = java.net.URI.create("http://127.0.0.1:" + silent.getLocalPort());
      SageMakerClientConfiguration unreachable =
          SageMakerClientConfiguration.forLocal(
                  nowhere, nowhere, nowhere, nowhere, "us-east-1", "test-access-key", "secret")
              .toBuilder()
              .connectionTimeout(Duration.ofSeconds(1))
              .build();
      InferenceSettings settings =
          InferenceSettings.builder("unreachable")
              .maxRecordsPerRequest(10)
              .maxInFlight(4)
              .maxAttempts(3)
              .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
              .build();
      Collected<FeatureVector, Double> out;
      long start = System.nanoTime();
      try (SageMakerRuntimeAsyncClient client = SageMakerClients.runtimeAsync(unreachable, 4)) {
        out =
            run(
                client,
                settings,
                CsvRequestSerializer.forFeatureVectors(),
                new CsvResponseDeserializer(),
                oneFeatureRows(200));
        // the batches in flight when the first gave up try their attempts; the rest are not sent
        assertThat(out.stats.requests(), lessThanOrEqualTo(5L * 3));
      } finally {
        for (java.net.Socket s : fill) {
          s.close();
        }
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(out.failures.size(), is(200));
      InvocationFailure last = out.failures.get(FeatureVector.dense(new double[] {199}));
      assertThat(last.message(), containsString("unreachable"));
      // 3 attempts of 1 s connect timeouts with backoff, not 20 batches x 3 attempts / 4 in flight
      assertThat(millis, lessThanOrEqualTo(8_000L));
    }
  }

  /** The port of {@link #refusingPort}: bound, not listening, so every connect is refused. */
  private static int closedPort() {
    return refusingPort.getLocalPort();
  }
}
