package dev.sagemakerbeam.local;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.local.faults.FaultInjector;
import dev.sagemakerbeam.local.faults.FaultSpec;
import dev.sagemakerbeam.local.faults.Latency;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatusTransition;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InternalFailureException;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sagemakerruntime.model.ServiceUnavailableException;

/**
 * Fault injection as the real AWS SDK v2 sees it, with its retries off so every fault is observed:
 * each fault kind arrives as the exception class (or error code) SageMaker Runtime's answer maps
 * to, rates hold over 1,000 requests and repeat exactly for the same seed, latency is added, the
 * per-instance concurrency cap throttles the excess, variant faults override endpoint faults, the
 * control API sets and clears faults, and injected training failures fail jobs at their phase.
 */
class FaultInjectionTest {
  static final String ROLE = ControlPlaneTest.ROLE;
  static final String ECHO_IMAGE = "echo";
  static final String BUCKET = "fault-bucket";

  @TempDir static Path dataDir;
  static SageMakerLocal local;
  static LocalClients clients;
  static SageMakerRuntimeClient runtime;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    local =
        SageMakerLocal.builder()
            .dataDirectory(dataDir)
            .algorithm("echo", new EchoAlgorithm())
            .faults("throttled", FaultSpec.builder().throttleRate(1).build())
            .failTrainingAt("fail-at-training-.*", "Training")
            .failTrainingAt("fail-at-upload-.*", "Uploading")
            .build();
    clients = new LocalClients(local);
    runtime =
        SageMakerRuntimeClient.builder()
            .endpointOverride(local.runtimeEndpoint())
            .region(Region.of(local.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        local.credentials().accessKeyId(), local.credentials().secretAccessKey())))
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32))
            .build();
    clients.sageMaker.createModel(
        r -> r.modelName("echo").executionRoleArn(ROLE).primaryContainer(c -> c.image(ECHO_IMAGE)));
    config("one", Map.of("AllTraffic", 1));
    config("two-instances", Map.of("AllTraffic", 2));
    config("two-variants", new LinkedHashMap<>(Map.of("a", 1, "b", 1)));
    for (String[] endpoint :
        new String[][] {
          {"throttled", "one"},
          {"kinds", "one"},
          {"rates", "one"},
          {"latency", "one"},
          {"capped", "one"},
          {"capped-two", "two-instances"},
          {"variants", "two-variants"},
          {"control", "one"}
        }) {
      clients.sageMaker.createEndpoint(
          r -> r.endpointName(endpoint[0]).endpointConfigName(endpoint[1]));
    }
    for (String name :
        List.of(
            "throttled",
            "kinds",
            "rates",
            "latency",
            "capped",
            "capped-two",
            "variants",
            "control")) {
      assertThat(
          name,
          ControlPlaneTest.waitForEndpoint(clients.sageMaker, name).endpointStatus(),
          is(EndpointStatus.IN_SERVICE));
    }
    clients.s3.createBucket(r -> r.bucket(BUCKET));
    clients.s3.putObject(
        r -> r.bucket(BUCKET).key("data/train/part-0.csv"), RequestBody.fromString("1\n2\n"));
  }

  static void config(String name, Map<String, Integer> variants) {
    clients.sageMaker.createEndpointConfig(
        r ->
            r.endpointConfigName(name)
                .productionVariants(
                    variants.entrySet().stream()
                        .map(
                            v ->
                                software.amazon.awssdk.services.sagemaker.model.ProductionVariant
                                    .builder()
                                    .variantName(v.getKey())
                                    .modelName("echo")
                                    .initialInstanceCount(v.getValue())
                                    .instanceType("ml.m5.large")
                                    .initialVariantWeight(1f)
                                    .build())
                        .toList()));
  }

  @AfterAll
  static void stop() {
    runtime.close();
    clients.close();
    local.close();
  }

  static InvokeEndpointResponse invoke(String endpoint) {
    return invoke(endpoint, null);
  }

  static InvokeEndpointResponse invoke(String endpoint, String variant) {
    return runtime.invokeEndpoint(
        r ->
            r.endpointName(endpoint)
                .targetVariant(variant)
                .contentType("text/plain")
                .body(SdkBytes.fromUtf8String("hello")));
  }

  /** What one invocation gave: "ok" or the SDK exception's class and error code. */
  static String outcome(String endpoint) {
    try {
      invoke(endpoint);
      return "ok";
    } catch (SageMakerRuntimeException e) {
      return e.getClass().getSimpleName() + "/" + e.awsErrorDetails().errorCode();
    }
  }

  @Test
  void throttlingIsTheSdksThrottlingExceptionWithStatus400() {
    SageMakerRuntimeException e =
        assertThrows(SageMakerRuntimeException.class, () -> invoke("throttled"));
    // SageMaker Runtime's model has no ThrottlingException shape: the SDK raises its base
    // exception with the error code, and classifies it as throttling for its retry strategy.
    assertThat(e.getClass(), is(SageMakerRuntimeException.class));
    assertThat(e.statusCode(), is(400));
    assertThat(e.awsErrorDetails().errorCode(), is("ThrottlingException"));
    assertThat(e.isThrottlingException(), is(true));
    assertThat(e.numAttempts(), is(1));
    assertThat(e.awsErrorDetails().errorMessage(), nullValue());
  }

  @Test
  void eachFaultKindIsTheExceptionClassOfTheRealRuntime() {
    FaultInjector faults = local.faults();
    try {
      faults.set("kinds", FaultSpec.builder().modelNotReadyRate(1).build());
      ModelNotReadyException notReady =
          assertThrows(ModelNotReadyException.class, () -> invoke("kinds"));
      assertThat(notReady.statusCode(), is(429));
      assertThat(notReady.awsErrorDetails().errorCode(), is("ModelNotReadyException"));

      faults.set("kinds", FaultSpec.builder().internalFailureRate(1).build());
      InternalFailureException internal =
          assertThrows(InternalFailureException.class, () -> invoke("kinds"));
      assertThat(internal.statusCode(), is(500));
      assertThat(internal.awsErrorDetails().errorCode(), is("InternalFailure"));

      faults.set("kinds", FaultSpec.builder().serviceUnavailableRate(1).build());
      ServiceUnavailableException unavailable =
          assertThrows(ServiceUnavailableException.class, () -> invoke("kinds"));
      assertThat(unavailable.statusCode(), is(503));
      assertThat(unavailable.awsErrorDetails().errorCode(), is("ServiceUnavailable"));
      assertThat(unavailable.numAttempts(), is(1));

      faults.set("kinds", FaultSpec.builder().modelErrorRate(1).modelErrorStatusCode(503).build());
      ModelErrorException model = assertThrows(ModelErrorException.class, () -> invoke("kinds"));
      assertThat(model.statusCode(), is(424));
      assertThat(model.awsErrorDetails().errorCode(), is("ModelError"));
      assertThat(model.originalStatusCode(), is(503));
      assertThat(model.originalMessage(), containsString("Injected model error"));
      assertThat(model.logStreamArn(), containsString("/aws/sagemaker/Endpoints/kinds"));
    } finally {
      faults.clear("kinds");
    }
    assertThat(invoke("kinds").body().asUtf8String(), is("hello"));
  }

  @Test
  void injected5xxAreNotLoggedAsWarningsAndCarryNoStackTrace() {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    FaultInjector faults = local.faults();
    try {
      System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      faults.set("kinds", FaultSpec.builder().serviceUnavailableRate(1).build());
      for (int i = 0; i < 3; i++) {
        assertThrows(ServiceUnavailableException.class, () -> invoke("kinds"));
      }
    } finally {
      faults.clear("kinds");
      System.setErr(original);
    }
    String logged = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    original.print(logged);
    // the user asked for these answers: a warning each would flood a fault test's log
    assertThat(logged, not(containsString("The service is unavailable")));
    dev.sagemakerbeam.local.server.ApiException injected =
        dev.sagemakerbeam.local.server.ApiException.injected(503, "ServiceUnavailable", "x");
    assertThat(injected.injected(), is(true));
    assertThat(injected.getStackTrace().length, is(0));
  }

  @Test
  void ratesAreHonouredAndTheSequenceRepeatsForTheSameSeed() {
    FaultSpec spec =
        FaultSpec.fromOptions(
            Map.of(
                "throttle", "0.10",
                "modelNotReady", "0.05",
                "error5xx", "0.04",
                "modelError", "0.03",
                "seed", "7"));
    int n = 1000;
    try {
      local.faults().set("rates", spec);
      long t0 = System.nanoTime();
      List<String> first = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        first.add(outcome("rates"));
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      Map<String, Long> counts = new LinkedHashMap<>();
      first.forEach(o -> counts.merge(o, 1L, Long::sum));
      System.out.println("FaultInjectionTest: " + n + " requests in " + millis + " ms: " + counts);
      assertRate(counts, "SageMakerRuntimeException/ThrottlingException", 0.10, n);
      assertRate(counts, "ModelNotReadyException/ModelNotReadyException", 0.05, n);
      assertRate(counts, "InternalFailureException/InternalFailure", 0.02, n);
      assertRate(counts, "ServiceUnavailableException/ServiceUnavailable", 0.02, n);
      assertRate(counts, "ModelErrorException/ModelError", 0.03, n);
      assertRate(counts, "ok", 0.76, n);
      // The sequence is a function of the seed alone: these are the counts of every run.
      assertThat(
          counts,
          is(
              Map.of(
                  "ok", 786L,
                  "SageMakerRuntimeException/ThrottlingException", 101L,
                  "ModelNotReadyException/ModelNotReadyException", 51L,
                  "InternalFailureException/InternalFailure", 14L,
                  "ServiceUnavailableException/ServiceUnavailable", 22L,
                  "ModelErrorException/ModelError", 26L)));
      // The injector's own counts agree with what the client saw.
      Map<FaultInjector.Outcome, Long> injected =
          local.faults().endpointFaults().get("rates").get("").counts();
      assertThat(
          injected.get(FaultInjector.Outcome.THROTTLE),
          is(counts.get("SageMakerRuntimeException/ThrottlingException")));
      assertThat(injected.get(FaultInjector.Outcome.NONE), is(counts.get("ok")));

      // Setting the spec again restarts its sequence: the same seed gives the same faults.
      local.faults().set("rates", spec);
      List<String> second = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        second.add(outcome("rates"));
      }
      assertThat(second, is(first));

      local.faults().set("rates", spec.toBuilder().seed(8).build());
      List<String> otherSeed = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        otherSeed.add(outcome("rates"));
      }
      assertThat(otherSeed, not(first.subList(0, 200)));
    } finally {
      local.faults().clear("rates");
    }
  }

  static void assertRate(Map<String, Long> counts, String key, double rate, int n) {
    double observed = counts.getOrDefault(key, 0L) / (double) n;
    // four standard deviations of a binomial proportion
    double tolerance = 4 * Math.sqrt(rate * (1 - rate) / n);
    assertThat(
        key + " rate " + observed + " vs " + rate, Math.abs(observed - rate), lessThan(tolerance));
  }

  @Test
  void latencyIsAdded() {
    double base = medianMillis("latency", 15);
    try {
      local.faults().set("latency", FaultSpec.builder().latency(Latency.parse("120ms")).build());
      double fixed = medianMillis("latency", 10);
      assertThat(fixed, allOf(greaterThanOrEqualTo(120.0), lessThan(120.0 + 60 + base)));

      local
          .faults()
          .set("latency", FaultSpec.builder().latency(Latency.parse("40..160ms")).seed(1).build());
      double[] uniform = millis("latency", 20);
      Arrays.sort(uniform);
      assertThat(uniform[0], greaterThanOrEqualTo(40.0));
      assertThat(uniform[uniform.length - 1], lessThan(160.0 + 60 + base));
      assertThat(uniform[uniform.length - 1] - uniform[0], greaterThan(40.0));

      local
          .faults()
          .set(
              "latency",
              FaultSpec.builder().latency(Latency.parse("lognormal(40ms,0.5)")).seed(2).build());
      double logNormal = medianMillis("latency", 21);
      assertThat(logNormal, allOf(greaterThan(20.0), lessThan(80.0 + base)));
      System.out.printf(
          "FaultInjectionTest: median latency without faults %.1f ms, fixed 120ms %.1f ms,"
              + " uniform 40..160ms %.1f..%.1f ms, lognormal(40ms,0.5) %.1f ms%n",
          base, fixed, uniform[0], uniform[uniform.length - 1], logNormal);
    } finally {
      local.faults().clear("latency");
    }
    assertThat(base, lessThan(50.0));
  }

  static double[] millis(String endpoint, int n) {
    double[] times = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      invoke(endpoint);
      times[i] = (System.nanoTime() - t0) / 1e6;
    }
    return times;
  }

  static double medianMillis(String endpoint, int n) {
    double[] times = millis(endpoint, n);
    Arrays.sort(times);
    return times[n / 2];
  }

  @Test
  void concurrencyCapThrottlesTheExcessPerInstance() throws Exception {
    FaultSpec spec =
        FaultSpec.builder()
            .maxConcurrentRequestsPerInstance(2)
            .latency(Latency.fixed(Duration.ofMillis(1500)))
            .build();
    local.faults().set("capped", spec);
    local.faults().set("capped-two", spec);
    try {
      // 8 at once: one instance takes 2, two instances take 4, the rest are throttled
      assertThat(concurrentOutcomes("capped", 8), is(Map.of("ok", 2L, "throttled", 6L)));
      assertThat(concurrentOutcomes("capped-two", 8), is(Map.of("ok", 4L, "throttled", 4L)));
      assertThat(
          local
              .faults()
              .endpointFaults()
              .get("capped")
              .get("")
              .counts()
              .get(FaultInjector.Outcome.CONCURRENCY_THROTTLE),
          is(6L));
      // once they are answered, the capacity is back
      assertThat(invoke("capped").body().asUtf8String(), is("hello"));
    } finally {
      local.faults().clear("capped");
      local.faults().clear("capped-two");
    }
  }

  static Map<String, Long> concurrentOutcomes(String endpoint, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CyclicBarrier barrier = new CyclicBarrier(n);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        results.add(
            pool.submit(
                () -> {
                  barrier.await();
                  try {
                    invoke(endpoint);
                    return "ok";
                  } catch (SageMakerRuntimeException e) {
                    assertThat(e.statusCode(), is(400));
                    assertThat(e.awsErrorDetails().errorCode(), is("ThrottlingException"));
                    return "throttled";
                  }
                }));
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      for (Future<String> result : results) {
        counts.merge(result.get(), 1L, Long::sum);
      }
      return counts;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void variantFaultsTakePrecedenceOverTheEndpoints() {
    try {
      local.faults().set("variants", FaultSpec.builder().throttleRate(1).build());
      local.faults().set("variants", "a", FaultSpec.NONE);
      assertThat(invoke("variants", "a").invokedProductionVariant(), is("a"));
      SageMakerRuntimeException e =
          assertThrows(SageMakerRuntimeException.class, () -> invoke("variants", "b"));
      assertThat(e.awsErrorDetails().errorCode(), is("ThrottlingException"));

      local.faults().clear("variants");
      local.faults().set("variants", "b", FaultSpec.builder().serviceUnavailableRate(1).build());
      assertThat(invoke("variants", "a").invokedProductionVariant(), is("a"));
      assertThrows(ServiceUnavailableException.class, () -> invoke("variants", "b"));
    } finally {
      local.faults().clear("variants");
    }
    assertThat(invoke("variants", "b").invokedProductionVariant(), is("b"));
  }

  @Test
  void controlApiSetsAndClearsFaults() throws Exception {
    assertThat(invoke("control").body().asUtf8String(), is("hello"));
    HttpResponse<String> put =
        send("PUT", "/_local/faults/endpoints/control", "{\"error503\": 1, \"seed\": 3}");
    assertThat(put.body(), put.statusCode(), is(200));
    assertThat(put.body(), containsString("\"error503\":1.0"));
    assertThrows(ServiceUnavailableException.class, () -> invoke("control"));

    HttpResponse<String> state = send("GET", "/_local/faults", null);
    assertThat(state.statusCode(), is(200));
    assertThat(state.body(), containsString("\"control\""));
    assertThat(state.body(), containsString("\"SERVICE_UNAVAILABLE\":1"));

    assertThat(send("DELETE", "/_local/faults/endpoints/control", null).statusCode(), is(204));
    assertThat(invoke("control").body().asUtf8String(), is("hello"));

    // a variant's faults, then clearing everything
    assertThat(
        send("PUT", "/_local/faults/endpoints/control/variants/AllTraffic", "{\"throttle\":1}")
            .statusCode(),
        is(200));
    assertThrows(SageMakerRuntimeException.class, () -> invoke("control"));
    HttpResponse<String> bad = send("PUT", "/_local/faults/endpoints/control", "{\"throttle\": 2}");
    assertThat(bad.statusCode(), is(400));
    assertThat(bad.body(), containsString("between 0 and 1"));
    assertThat(
        send("PUT", "/_local/faults/endpoints/control", "{\"typo\": 1}").body(),
        containsString("unknown fault option 'typo'"));
    assertThat(send("GET", "/_local/faults/nothing-here", null).statusCode(), is(404));

    // the builder's faults are cleared the same way
    assertThat(send("DELETE", "/_local/faults/endpoints/throttled", null).statusCode(), is(204));
    assertThat(invoke("throttled").body().asUtf8String(), is("hello"));
    local.faults().set("throttled", FaultSpec.builder().throttleRate(1).build());
    assertThat(send("DELETE", "/_local/faults/endpoints/control", null).statusCode(), is(204));
    assertThat(invoke("control").body().asUtf8String(), is("hello"));
  }

  static HttpResponse<String> send(String method, String path, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(local.apiEndpoint() + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json");
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void injectedTrainingFailuresFailTheJobAtThatPhase() throws Exception {
    HttpResponse<String> post =
        send(
            "POST",
            "/_local/faults/training-jobs",
            "{\"jobNamePattern\": \"fail-at-download-.*\", \"phase\": \"Downloading\"}");
    assertThat(post.body(), post.statusCode(), is(200));
    try {
      for (String[] job :
          new String[][] {
            {"fail-at-download-1", "Downloading"},
            {"fail-at-training-1", "Training"},
            {"fail-at-upload-1", "Uploading"}
          }) {
        clients.sageMaker.createTrainingJob(trainingJob(job[0]));
        DescribeTrainingJobResponse d = waitForJob(job[0]);
        assertThat(job[0], d.trainingJobStatus(), is(TrainingJobStatus.FAILED));
        assertThat(d.failureReason(), containsString("injected fault"));
        assertThat(d.failureReason(), containsString("at " + job[1]));
        List<String> phases =
            d.secondaryStatusTransitions().stream()
                .map(SecondaryStatusTransition::statusAsString)
                .toList();
        assertThat(phases.get(phases.size() - 1), is("Failed"));
        assertThat(phases.get(phases.size() - 2), is(job[1]));
        assertThat(d.modelArtifacts(), nullValue());
      }
      clients.sageMaker.createTrainingJob(trainingJob("unaffected-1"));
      DescribeTrainingJobResponse ok = waitForJob("unaffected-1");
      assertThat(ok.failureReason(), ok.trainingJobStatus(), is(TrainingJobStatus.COMPLETED));
      assertThat(ok.modelArtifacts(), notNullValue());
    } finally {
      assertThat(send("DELETE", "/_local/faults/training-jobs", null).statusCode(), is(204));
    }
    clients.sageMaker.createTrainingJob(trainingJob("fail-at-training-2"));
    assertThat(
        waitForJob("fail-at-training-2").trainingJobStatus(), is(TrainingJobStatus.COMPLETED));
  }

  static software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest trainingJob(
      String name) {
    return software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest.builder()
        .trainingJobName(name)
        .roleArn(ROLE)
        .algorithmSpecification(a -> a.trainingImage(ECHO_IMAGE).trainingInputMode("File"))
        .inputDataConfig(
            c ->
                c.channelName("train")
                    .dataSource(
                        d ->
                            d.s3DataSource(
                                s ->
                                    s.s3DataType("S3Prefix")
                                        .s3Uri("s3://" + BUCKET + "/data/train/")
                                        .s3DataDistributionType("FullyReplicated"))))
        .outputDataConfig(o -> o.s3OutputPath("s3://" + BUCKET + "/output"))
        .resourceConfig(r -> r.instanceType("ml.m5.large").instanceCount(1).volumeSizeInGB(1))
        .stoppingCondition(s -> s.maxRuntimeInSeconds(600))
        .build();
  }

  static DescribeTrainingJobResponse waitForJob(String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      DescribeTrainingJobResponse d =
          clients.sageMaker.describeTrainingJob(r -> r.trainingJobName(name));
      if (d.trainingJobStatus() != TrainingJobStatus.IN_PROGRESS
              && d.trainingJobStatus() != TrainingJobStatus.STOPPING
          || System.nanoTime() > deadline) {
        return d;
      }
      Thread.sleep(50);
    }
  }

  @Test
  void commandLineFlagsConfigureFaults() {
    SageMakerLocal.Builder builder = SageMakerLocal.builder();
    SageMakerLocalMain.addFault(
        builder, "endpoint=ep,throttle=0.1,error5xx=0.02,latency=20..80ms,seed=7");
    SageMakerLocalMain.addFault(builder, "endpoint=ep,variant=v2,modelError=0.5,maxConcurrency=4");
    SageMakerLocalMain.addTrainingFault(builder, "Uploading:nightly-.*");
    Map<String, Map<String, FaultInjector.Active>> faults =
        builder.configuredFaults().endpointFaults();
    assertThat(
        faults.get("ep").get("").spec(),
        is(
            FaultSpec.builder()
                .throttleRate(0.1)
                .internalFailureRate(0.01)
                .serviceUnavailableRate(0.01)
                .latency(Latency.uniform(Duration.ofMillis(20), Duration.ofMillis(80)))
                .seed(7)
                .build()));
    assertThat(faults.get("ep").get("v2").spec().modelErrorRate(), is(0.5));
    assertThat(faults.get("ep").get("v2").spec().maxConcurrentRequestsPerInstance(), is(4));
    assertThat(builder.configuredFaults().trainingFaults().get(0).phase(), is("Uploading"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> SageMakerLocalMain.addFault(builder, "throttle=0.1"))
            .getMessage(),
        containsString("endpoint=NAME is required"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> SageMakerLocalMain.addFault(builder, "endpoint=x,throttle=0.6,error503=0.6"))
            .getMessage(),
        containsString("add up to"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> SageMakerLocalMain.addTrainingFault(builder, "Serving:x"))
            .getMessage(),
        containsString("Downloading, Training, Uploading"));
    assertThat(Latency.parse("lognormal(50ms,0.5)").toString(), is("lognormal(50ms,0.5)"));
    assertThrows(IllegalArgumentException.class, () -> Latency.parse("80..20ms"));
  }
}
