package dev.sagemakerbeam.local;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.testing.LibSvmData;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sagemaker.model.CreateHyperParameterTuningJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobSummary;
import software.amazon.awssdk.services.sagemaker.model.ListTrainingJobsForHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.ObjectiveStatus;
import software.amazon.awssdk.services.sagemaker.model.ParameterRanges;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.SortOrder;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobSortByOptions;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * Hyperparameter tuning through the real API: Grid visits every combination once, Random honours
 * ranges and log scaling, MaxParallelTrainingJobs is never exceeded, Bayesian beats Random on the
 * Branin function, XGBoost is tuned on breast-cancer, a stop stops the running training jobs, a
 * failed training job is counted, and requests are refused as SageMaker refuses them.
 */
class TuningJobsTest {
  static final String ROLE = ControlPlaneTest.ROLE;
  static final String BUCKET = "tuning-bucket";
  static final String XGBOOST_IMAGE =
      "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1";

  @TempDir static Path dataDir;
  static SageMakerLocal local;
  static LocalClients clients;

  /** Start and end of each run of the test algorithm, by its static "group" hyperparameter. */
  static final Map<String, List<long[]>> RUNS = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    local =
        SageMakerLocal.builder()
            .dataDirectory(dataDir)
            .algorithm("function", new FunctionAlgorithm())
            .build();
    clients = new LocalClients(local);
    clients.s3.createBucket(r -> r.bucket(BUCKET));
  }

  @AfterAll
  static void stop() {
    clients.close();
    local.close();
  }

  /**
   * A training job whose metric {@code objective} is a known function of its hyperparameters:
   * Branin of {@code x1, x2} when given, otherwise {@code n} plus the index of {@code kind}; it
   * sleeps {@code sleep_ms}, waits for a stop when {@code wait_for_stop} is set, fails for {@code
   * kind = bad}.
   */
  static final class FunctionAlgorithm implements Algorithm {
    @Override
    public void validateHyperparameters(Map<String, String> hyperparameters) {}

    @Override
    public Map<String, Double> train(TrainingJobContext job)
        throws AlgorithmException, InterruptedException {
      Map<String, String> h = job.hyperparameters();
      long begin = System.nanoTime();
      try {
        if ("bad".equals(h.get("kind"))) {
          throw new AlgorithmException("ClientError: kind = bad cannot be trained");
        }
        long sleep = Long.parseLong(h.getOrDefault("sleep_ms", "0"));
        Thread.sleep(sleep);
        if (h.containsKey("wait_for_stop")) {
          while (!job.stopRequested().getAsBoolean()) {
            Thread.sleep(10);
          }
          return Map.of();
        }
        if (h.containsKey("x1")) {
          return Map.of(
              "objective",
              branin(Double.parseDouble(h.get("x1")), Double.parseDouble(h.get("x2"))));
        }
        double kind = "b".equals(h.get("kind")) ? 10 : 0;
        return Map.of("objective", kind + Double.parseDouble(h.getOrDefault("n", "0")));
      } finally {
        // parallel training jobs add at once: a list that takes concurrent adds
        RUNS.computeIfAbsent(h.getOrDefault("group", ""), k -> new CopyOnWriteArrayList<>())
            .add(new long[] {begin, System.nanoTime()});
      }
    }

    @Override
    public ModelWorker load(Path modelDir, Map<String, String> environment)
        throws AlgorithmException {
      throw new AlgorithmException("not servable");
    }
  }

  /** Branin-Hoo; its minimum is 0.397887 at three points of [-5, 10] x [0, 15]. */
  static double branin(double x1, double x2) {
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double c = 5 / Math.PI;
    double t = 1 / (8 * Math.PI);
    double u = x2 - b * x1 * x1 + c * x1 - 6;
    return u * u + 10 * (1 - t) * Math.cos(x1) + 10;
  }

  static CreateHyperParameterTuningJobRequest.Builder tuning(
      String name,
      String image,
      String strategy,
      Integer maxJobs,
      int maxParallel,
      Integer seed,
      String metric,
      String type,
      Map<String, String> statics,
      Consumer<ParameterRanges.Builder> ranges) {
    return CreateHyperParameterTuningJobRequest.builder()
        .hyperParameterTuningJobName(name)
        .hyperParameterTuningJobConfig(
            c ->
                c.strategy(strategy)
                    .randomSeed(seed)
                    .resourceLimits(
                        l ->
                            l.maxNumberOfTrainingJobs(maxJobs).maxParallelTrainingJobs(maxParallel))
                    .hyperParameterTuningJobObjective(o -> o.metricName(metric).type(type))
                    .parameterRanges(ranges))
        .trainingJobDefinition(
            d ->
                d.algorithmSpecification(a -> a.trainingImage(image).trainingInputMode("File"))
                    .roleArn(ROLE)
                    .staticHyperParameters(statics)
                    .outputDataConfig(o -> o.s3OutputPath("s3://" + BUCKET + "/output/" + name))
                    .resourceConfig(
                        r -> r.instanceType("ml.m5.large").instanceCount(1).volumeSizeInGB(1))
                    .stoppingCondition(s -> s.maxRuntimeInSeconds(600)));
  }

  static DescribeHyperParameterTuningJobResponse await(String name, Duration timeout)
      throws InterruptedException {
    return await(clients, name, timeout);
  }

  /** Waits for a tuning job of the SageMaker Local behind {@code clients} to end. */
  static DescribeHyperParameterTuningJobResponse await(
      LocalClients clients, String name, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      DescribeHyperParameterTuningJobResponse d =
          clients.sageMaker.describeHyperParameterTuningJob(
              r -> r.hyperParameterTuningJobName(name));
      HyperParameterTuningJobStatus status = d.hyperParameterTuningJobStatus();
      if (status != HyperParameterTuningJobStatus.IN_PROGRESS
          && status != HyperParameterTuningJobStatus.STOPPING) {
        return d;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("tuning job " + name + " still " + status);
      }
      Thread.sleep(50);
    }
  }

  /** Every training job of a tuning job, through pages of {@code pageSize}. */
  static List<HyperParameterTrainingJobSummary> trials(String name, int pageSize) {
    List<HyperParameterTrainingJobSummary> all = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListTrainingJobsForHyperParameterTuningJobResponse page =
          clients.sageMaker.listTrainingJobsForHyperParameterTuningJob(
              r -> r.hyperParameterTuningJobName(name).maxResults(pageSize).nextToken(next));
      all.addAll(page.trainingJobSummaries());
      token = page.nextToken();
    } while (token != null);
    return all;
  }

  @Test
  void gridVisitsEveryCombinationExactlyOnce() throws Exception {
    clients.sageMaker.createHyperParameterTuningJob(
        tuning(
                "grid",
                "function",
                "Grid",
                null,
                3,
                1,
                "objective",
                "Minimize",
                Map.of("group", "grid"),
                r ->
                    r.categoricalParameterRanges(
                        c -> c.name("kind").values("a", "b"),
                        c -> c.name("n").values("1", "2", "3")))
            .build());
    DescribeHyperParameterTuningJobResponse d = await("grid", Duration.ofSeconds(60));
    assertThat(d.hyperParameterTuningJobStatus(), is(HyperParameterTuningJobStatus.COMPLETED));
    assertThat(d.hyperParameterTuningJobConfig().resourceLimits().maxNumberOfTrainingJobs(), is(6));
    assertThat(d.trainingJobStatusCounters().completed(), is(6));
    assertThat(d.objectiveStatusCounters().succeeded(), is(6));
    assertThat(d.hyperParameterTuningEndTime(), notNullValue());

    List<HyperParameterTrainingJobSummary> trials = trials("grid", 4);
    assertThat(trials, hasSize(6));
    Set<Map<String, String>> seen = new HashSet<>();
    for (HyperParameterTrainingJobSummary t : trials) {
      assertThat(
          t.trainingJobName(), t.trainingJobName().matches("grid-\\d{3}-[0-9a-f]{8}"), is(true));
      seen.add(t.tunedHyperParameters());
    }
    Set<Map<String, String>> expected = new HashSet<>();
    for (String kind : List.of("a", "b")) {
      for (String n : List.of("1", "2", "3")) {
        expected.add(Map.of("kind", kind, "n", n));
      }
    }
    assertThat(seen, is(expected));
    // the best is kind = a, n = 1 (objective 1), and its training job is an ordinary one
    assertThat(d.bestTrainingJob().tunedHyperParameters(), is(Map.of("kind", "a", "n", "1")));
    assertThat(d.bestTrainingJob().finalHyperParameterTuningJobObjectiveMetric().value(), is(1f));
    DescribeTrainingJobResponse job =
        clients.sageMaker.describeTrainingJob(
            r -> r.trainingJobName(d.bestTrainingJob().trainingJobName()));
    assertThat(job.tuningJobArn(), is(d.hyperParameterTuningJobArn()));
    assertThat(job.hyperParameters().get("group"), is("grid"));
    assertThat(job.hyperParameters().get("_tuning_objective_metric"), is("objective"));
    assertThat(
        clients
            .sageMaker
            .listTrainingJobs(r -> r.nameContains("grid-").maxResults(100))
            .trainingJobSummaries(),
        hasSize(6));
    // sorted by the objective, best first
    List<HyperParameterTrainingJobSummary> byObjective =
        clients
            .sageMaker
            .listTrainingJobsForHyperParameterTuningJob(
                r ->
                    r.hyperParameterTuningJobName("grid")
                        .sortBy(TrainingJobSortByOptions.FINAL_OBJECTIVE_METRIC_VALUE)
                        .sortOrder(SortOrder.DESCENDING)
                        .maxResults(10))
            .trainingJobSummaries();
    assertThat(byObjective.get(0).finalHyperParameterTuningJobObjectiveMetric().value(), is(13f));
    assertThat(byObjective.get(5).trainingJobName(), is(d.bestTrainingJob().trainingJobName()));
    List<HyperParameterTuningJobSummary> listed =
        clients
            .sageMaker
            .listHyperParameterTuningJobs(r -> r.nameContains("grid"))
            .hyperParameterTuningJobSummaries();
    assertThat(listed, hasSize(1));
    assertThat(listed.get(0).strategyAsString(), is("Grid"));
  }

  @Test
  void randomStaysInRangesAndSpreadsLogarithmicValuesOverDecades() throws Exception {
    clients.sageMaker.createHyperParameterTuningJob(
        tuning(
                "random-log",
                "function",
                "Random",
                40,
                10,
                7,
                "objective",
                "Minimize",
                Map.of("group", "random"),
                r ->
                    r.continuousParameterRanges(
                            c ->
                                c.name("lr")
                                    .minValue("0.0001")
                                    .maxValue("1")
                                    .scalingType("Logarithmic"))
                        .integerParameterRanges(
                            i -> i.name("n").minValue("2").maxValue("9").scalingType("Linear")))
            .build());
    DescribeHyperParameterTuningJobResponse d = await("random-log", Duration.ofSeconds(60));
    assertThat(d.hyperParameterTuningJobStatus(), is(HyperParameterTuningJobStatus.COMPLETED));
    List<HyperParameterTrainingJobSummary> trials = trials("random-log", 100);
    assertThat(trials, hasSize(40));
    int[] decades = new int[4];
    Set<Integer> ns = new HashSet<>();
    for (HyperParameterTrainingJobSummary t : trials) {
      double lr = Double.parseDouble(t.tunedHyperParameters().get("lr"));
      int n = Integer.parseInt(t.tunedHyperParameters().get("n"));
      assertThat(lr, allOf(greaterThanOrEqualTo(1e-4), lessThanOrEqualTo(1.0)));
      assertThat(n, allOf(greaterThanOrEqualTo(2), lessThanOrEqualTo(9)));
      ns.add(n);
      decades[Math.min(3, (int) Math.floor(Math.log10(lr) + 4))]++;
    }
    System.out.println(
        "Random, Logarithmic lr in [1e-4, 1]: per decade " + java.util.Arrays.toString(decades));
    for (int count : decades) {
      // uniform in the logarithm: about 10 per decade (a linear scale would put ~36 in the last)
      assertThat(count, allOf(greaterThanOrEqualTo(4), lessThanOrEqualTo(18)));
    }
    assertThat(ns.size(), greaterThanOrEqualTo(6));
  }

  @Test
  void neverMoreThanMaxParallelTrainingJobsAtOnce() throws Exception {
    clients.sageMaker.createHyperParameterTuningJob(
        tuning(
                "parallel",
                "function",
                "Random",
                8,
                3,
                3,
                "objective",
                "Minimize",
                Map.of("group", "parallel", "sleep_ms", "300"),
                r -> r.integerParameterRanges(i -> i.name("n").minValue("1").maxValue("100")))
            .build());
    assertThat(
        await("parallel", Duration.ofSeconds(60)).hyperParameterTuningJobStatus(),
        is(HyperParameterTuningJobStatus.COMPLETED));
    List<long[]> runs = RUNS.get("parallel");
    assertThat(runs, hasSize(8));
    int most = 0;
    for (long[] run : runs) {
      long at = run[0];
      int running = 0;
      for (long[] other : runs) {
        if (other[0] <= at && at < other[1]) {
          running++;
        }
      }
      most = Math.max(most, running);
    }
    System.out.println("MaxParallelTrainingJobs 3: at most " + most + " training jobs ran at once");
    assertThat(most, lessThanOrEqualTo(3));
    assertThat(most, is(3));
  }

  @Test
  void bayesianFindsBetterBraninMinimaThanRandomWithTheSameBudget() throws Exception {
    int seeds = 5;
    int budget = 20;
    for (String strategy : List.of("Bayesian", "Random")) {
      for (int seed = 1; seed <= seeds; seed++) {
        clients.sageMaker.createHyperParameterTuningJob(
            tuning(
                    "branin-" + strategy.toLowerCase() + "-" + seed,
                    "function",
                    strategy,
                    budget,
                    1,
                    seed,
                    "objective",
                    "Minimize",
                    Map.of(),
                    r ->
                        r.continuousParameterRanges(
                            c -> c.name("x1").minValue("-5").maxValue("10"),
                            c -> c.name("x2").minValue("0").maxValue("15")))
                .build());
      }
    }
    Map<String, double[]> best = new java.util.LinkedHashMap<>();
    for (String strategy : List.of("Bayesian", "Random")) {
      double[] values = new double[seeds];
      for (int seed = 1; seed <= seeds; seed++) {
        DescribeHyperParameterTuningJobResponse d =
            await("branin-" + strategy.toLowerCase() + "-" + seed, Duration.ofSeconds(120));
        assertThat(d.hyperParameterTuningJobStatus(), is(HyperParameterTuningJobStatus.COMPLETED));
        assertThat(d.trainingJobStatusCounters().completed(), is(budget));
        values[seed - 1] =
            d.bestTrainingJob().finalHyperParameterTuningJobObjectiveMetric().value();
      }
      best.put(strategy, values);
    }
    double bayesian = java.util.Arrays.stream(best.get("Bayesian")).average().orElseThrow();
    double random = java.util.Arrays.stream(best.get("Random")).average().orElseThrow();
    System.out.printf(
        "Branin (minimum 0.397887), %d trials, best per seed: Bayesian %s (mean %.4f), Random %s"
            + " (mean %.4f)%n",
        budget,
        java.util.Arrays.toString(best.get("Bayesian")),
        bayesian,
        java.util.Arrays.toString(best.get("Random")),
        random);
    assertThat(bayesian, lessThan(random));
  }

  @Test
  void tunesXGBoostOnBreastCancerForValidationAuc() throws Exception {
    Path data = LibSvmData.dataDirectory("breast-cancer");
    clients.s3.putObject(
        r -> r.bucket(BUCKET).key("bc/train/train.libsvm"),
        RequestBody.fromFile(data.resolve("breast-cancer-train.libsvm")));
    clients.s3.putObject(
        r -> r.bucket(BUCKET).key("bc/validation/validation.libsvm"),
        RequestBody.fromFile(data.resolve("breast-cancer-test.libsvm")));
    CreateHyperParameterTuningJobRequest request =
        tuning(
                "xgb-bc",
                XGBOOST_IMAGE,
                "Bayesian",
                6,
                2,
                11,
                "validation:auc",
                "Maximize",
                Map.of("objective", "binary:logistic", "num_round", "20", "eval_metric", "auc"),
                r ->
                    r.continuousParameterRanges(c -> c.name("eta").minValue("0.05").maxValue("0.5"))
                        .integerParameterRanges(
                            i -> i.name("max_depth").minValue("1").maxValue("6")))
            .build();
    request =
        request.toBuilder()
            .trainingJobDefinition(
                request.trainingJobDefinition().toBuilder()
                    .inputDataConfig(
                        channel("train", "s3://" + BUCKET + "/bc/train/"),
                        channel("validation", "s3://" + BUCKET + "/bc/validation/"))
                    .build())
            .build();
    clients.sageMaker.createHyperParameterTuningJob(request);
    DescribeHyperParameterTuningJobResponse d = await("xgb-bc", Duration.ofSeconds(120));
    assertThat(
        d.failureReason(),
        d.hyperParameterTuningJobStatus(),
        is(HyperParameterTuningJobStatus.COMPLETED));
    List<HyperParameterTrainingJobSummary> trials = trials("xgb-bc", 10);
    assertThat(trials, hasSize(6));
    String bestName = null;
    double bestAuc = Double.NEGATIVE_INFINITY;
    for (HyperParameterTrainingJobSummary t : trials) {
      DescribeTrainingJobResponse job =
          clients.sageMaker.describeTrainingJob(r -> r.trainingJobName(t.trainingJobName()));
      double auc =
          job.finalMetricDataList().stream()
              .filter(m -> m.metricName().equals("validation:auc"))
              .findFirst()
              .orElseThrow()
              .value();
      assertThat(t.objectiveStatus(), is(ObjectiveStatus.SUCCEEDED));
      assertThat(t.finalHyperParameterTuningJobObjectiveMetric().value(), is((float) auc));
      if (auc > bestAuc) {
        bestAuc = auc;
        bestName = t.trainingJobName();
      }
    }
    System.out.println(
        "XGBoost on breast-cancer: best validation:auc " + bestAuc + " (" + bestName + ")");
    assertThat(
        d.bestTrainingJob().finalHyperParameterTuningJobObjectiveMetric().value(),
        is((float) bestAuc));
    assertThat(
        (double) d.bestTrainingJob().finalHyperParameterTuningJobObjectiveMetric().value(),
        is(bestAuc));
    assertThat(d.bestTrainingJob().tunedHyperParameters().keySet(), is(Set.of("eta", "max_depth")));
    assertThat(bestAuc, greaterThanOrEqualTo(0.95));
  }

  static software.amazon.awssdk.services.sagemaker.model.Channel channel(String name, String uri) {
    return software.amazon.awssdk.services.sagemaker.model.Channel.builder()
        .channelName(name)
        .contentType("text/libsvm")
        .dataSource(s -> s.s3DataSource(s3 -> s3.s3DataType("S3Prefix").s3Uri(uri)))
        .build();
  }

  @Test
  void stopStopsTheRunningTrainingJobsAndTheTuningJob() throws Exception {
    clients.sageMaker.createHyperParameterTuningJob(
        tuning(
                "stopped",
                "function",
                "Random",
                6,
                2,
                5,
                "objective",
                "Minimize",
                Map.of("wait_for_stop", "true"),
                r -> r.integerParameterRanges(i -> i.name("n").minValue("1").maxValue("50")))
            .build());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (clients
            .sageMaker
            .describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("stopped"))
            .trainingJobStatusCounters()
            .inProgress()
        < 2) {
      assertThat(System.nanoTime() < deadline, is(true));
      Thread.sleep(20);
    }
    clients.sageMaker.stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("stopped"));
    DescribeHyperParameterTuningJobResponse d = await("stopped", Duration.ofSeconds(30));
    assertThat(d.hyperParameterTuningJobStatus(), is(HyperParameterTuningJobStatus.STOPPED));
    assertThat(d.trainingJobStatusCounters().stopped(), is(2));
    assertThat(d.trainingJobStatusCounters().inProgress(), is(0));
    List<HyperParameterTrainingJobSummary> trials = trials("stopped", 10);
    assertThat(trials, hasSize(2));
    for (HyperParameterTrainingJobSummary t : trials) {
      assertThat(t.trainingJobStatus(), is(TrainingJobStatus.STOPPED));
    }
    SageMakerException again =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.stopHyperParameterTuningJob(
                    r -> r.hyperParameterTuningJobName("stopped")));
    assertThat(again.getMessage(), containsString("is in status Stopped"));
  }

  @Test
  void aFailedTrainingJobIsCountedAndOnlyAllFailingFailsTheTuningJob() throws Exception {
    clients.sageMaker.createHyperParameterTuningJob(
        tuning(
                "one-bad",
                "function",
                "Grid",
                null,
                2,
                1,
                "objective",
                "Minimize",
                Map.of(),
                r -> r.categoricalParameterRanges(c -> c.name("kind").values("a", "bad")))
            .build());
    clients.sageMaker.createHyperParameterTuningJob(
        tuning(
                "all-bad",
                "function",
                "Grid",
                null,
                1,
                1,
                "objective",
                "Minimize",
                Map.of(),
                r -> r.categoricalParameterRanges(c -> c.name("kind").values("bad")))
            .build());
    DescribeHyperParameterTuningJobResponse oneBad = await("one-bad", Duration.ofSeconds(30));
    assertThat(oneBad.hyperParameterTuningJobStatus(), is(HyperParameterTuningJobStatus.COMPLETED));
    assertThat(oneBad.trainingJobStatusCounters().nonRetryableError(), is(1));
    assertThat(oneBad.trainingJobStatusCounters().completed(), is(1));
    assertThat(oneBad.objectiveStatusCounters().failed(), is(1));
    assertThat(oneBad.bestTrainingJob().tunedHyperParameters(), is(Map.of("kind", "a")));
    DescribeHyperParameterTuningJobResponse allBad = await("all-bad", Duration.ofSeconds(30));
    assertThat(allBad.hyperParameterTuningJobStatus(), is(HyperParameterTuningJobStatus.FAILED));
    assertThat(allBad.failureReason(), containsString("All training jobs failed"));
    assertThat(allBad.bestTrainingJob(), is((Object) null));
    HyperParameterTrainingJobSummary failed = trials("all-bad", 10).get(0);
    assertThat(failed.failureReason(), containsString("kind = bad"));
    assertThat(failed.objectiveStatus(), is(ObjectiveStatus.FAILED));
  }

  static String refused(CreateHyperParameterTuningJobRequest request) {
    SageMakerException e =
        assertThrows(
            SageMakerException.class,
            () -> clients.sageMaker.createHyperParameterTuningJob(request));
    assertThat(e.awsErrorDetails().errorCode(), is("ValidationException"));
    return e.awsErrorDetails().errorMessage();
  }

  static CreateHyperParameterTuningJobRequest xgboost(
      String strategy, String metric, Consumer<ParameterRanges.Builder> ranges) {
    return tuning(
            "xgb-refused",
            XGBOOST_IMAGE,
            strategy,
            strategy.equals("Grid") ? null : 4,
            2,
            1,
            metric,
            "Maximize",
            Map.of("num_round", "5"),
            ranges)
        .build();
  }

  @Test
  void requestsAreRefusedAsSageMakerRefusesThem() {
    Consumer<ParameterRanges.Builder> eta =
        r -> r.continuousParameterRanges(c -> c.name("eta").minValue("0.1").maxValue("0.5"));
    assertThat(
        refused(xgboost("Random", "validation:no_such_metric", eta)),
        allOf(
            containsString("The objective metric for the hyperparameter tuning job,"),
            containsString("isn't valid for the [" + XGBOOST_IMAGE + "] algorithm")));
    assertThat(
        refused(
            xgboost(
                "Random",
                "validation:auc",
                r ->
                    r.integerParameterRanges(
                        i -> i.name("max_depth").minValue("-1").maxValue("5")))),
        containsString("max_depth = -1 is invalid: it must be a non-negative integer"));
    assertThat(
        refused(
            xgboost(
                "Random",
                "validation:auc",
                r ->
                    r.continuousParameterRanges(
                        c ->
                            c.name("eta")
                                .minValue("0")
                                .maxValue("0.5")
                                .scalingType("Logarithmic")))),
        containsString(
            "Logarithmic scaling works only for ranges that have values greater than 0"));
    assertThat(
        refused(xgboost("Grid", "validation:auc", eta)),
        containsString("supports only CategoricalParameterRanges"));
    assertThat(
        refused(
            xgboost(
                "Grid",
                "validation:auc",
                r ->
                    r.integerParameterRanges(
                        i -> i.name("max_depth").minValue("2").maxValue("4")))),
        containsString("has an IntegerParameterRange"));
    assertThat(
        refused(
            xgboost(
                "Random",
                "validation:auc",
                r ->
                    r.integerParameterRanges(
                        i -> i.name("num_class").minValue("2").maxValue("4")))),
        containsString("'num_class' is not tunable"));
    assertThat(
        refused(
            xgboost(
                "Random",
                "validation:auc",
                r ->
                    r.integerParameterRanges(
                        i -> i.name("num_round").minValue("2").maxValue("4")))),
        containsString("is both static"));
    assertThat(
        refused(
            xgboost(
                "Random",
                "validation:auc",
                r ->
                    r.continuousParameterRanges(
                            c ->
                                c.name("subsample")
                                    .minValue("0.5")
                                    .maxValue("0.99")
                                    .scalingType("ReverseLogarithmic"))
                        .continuousParameterRanges(
                            c ->
                                c.name("colsample_bytree")
                                    .minValue("0.5")
                                    .maxValue("1")
                                    .scalingType("ReverseLogarithmic")))),
        containsString("0 <= x < 1.0"));

    CreateHyperParameterTuningJobRequest duplicate =
        tuning(
                "duplicate",
                "function",
                "Random",
                1,
                1,
                1,
                "objective",
                "Minimize",
                Map.of(),
                r -> r.integerParameterRanges(i -> i.name("n").minValue("1").maxValue("5")))
            .build();
    clients.sageMaker.createHyperParameterTuningJob(duplicate);
    ResourceInUseException inUse =
        assertThrows(
            ResourceInUseException.class,
            () -> clients.sageMaker.createHyperParameterTuningJob(duplicate));
    assertThat(
        inUse.awsErrorDetails().errorMessage(),
        is(
            "A hyperparameter tuning job with the name, duplicate, already exists. Choose a different name."));
  }

  @Test
  void aUserProgramsObjectiveMustBeAMetricDefinition() throws Exception {
    Path program = Files.createTempFile(dataDir, "program", ".sh");
    Files.writeString(program, "#!/bin/sh\necho loss=1\n");
    program.toFile().setExecutable(true);
    assertThat(
        refused(
            tuning(
                    "user-program",
                    "process:" + program,
                    "Random",
                    2,
                    1,
                    1,
                    "validation:loss",
                    "Minimize",
                    Map.of(),
                    r -> r.integerParameterRanges(i -> i.name("n").minValue("1").maxValue("5")))
                .build()),
        containsString(
            "A metric is required for this hyperparameter tuning job objective. Provide a metric"
                + " in the metric definitions."));
  }
}
