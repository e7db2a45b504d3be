package dev.sagemakerbeam.local.algorithm.builtin;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.testing.BarsCorpus;
import dev.sagemakerbeam.io.testing.InteractionData;
import dev.sagemakerbeam.io.testing.LibSvmData;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SageMaker Local's Factorization Machines and LDA on real and generated data: FM on breast-cancer
 * (MLlib FMClassifier 0.960) and diabetes (MLlib LinearRegression 55.8), FM on one-hot pairs whose
 * label only their interaction predicts (where Linear Learner stays near chance), LDA on Griffiths
 * and Steyvers' bars (every true topic recovered, mixtures close to the generating ones), serving,
 * and bad input.
 */
class FactorizationMachinesAndLdaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Algorithm FM = BuiltInAlgorithms.all().get("factorization-machines");
  private static final Algorithm LDA = BuiltInAlgorithms.all().get("lda");
  private static final Algorithm LL = BuiltInAlgorithms.all().get("linear-learner");
  private static final String PROTOBUF = "application/x-recordio-protobuf";

  @TempDir static Path dir;

  private static TestJob job(
      String name,
      List<FeatureVector> train,
      double[] trainLabels,
      List<FeatureVector> test,
      double[] testLabels)
      throws Exception {
    TestJob job = new TestJob(dir.resolve(name));
    LinearLearnerAlgorithmTest.writeProtobuf(
        job.channel("train", PROTOBUF, "None").resolve("train.pbr"), train, trainLabels);
    if (test != null) {
      LinearLearnerAlgorithmTest.writeProtobuf(
          job.channel("test", PROTOBUF, "None").resolve("test.pbr"), test, testLabels);
    }
    return job;
  }

  private static Map<String, String> fm(String type, int featureDim, int factors) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("predictor_type", type);
    h.put("feature_dim", Integer.toString(featureDim));
    h.put("num_factors", Integer.toString(factors));
    return h;
  }

  @Test
  void factorizationMachineOnBreastCancerComesCloseToMllibsFmClassifier() throws Exception {
    LibSvmData train = LibSvmData.breastCancerTrain();
    LibSvmData trainStd = train.standardizedBy(train);
    LibSvmData testStd = LibSvmData.breastCancerTest().standardizedBy(train);
    TestJob job =
        job("fm-cancer", trainStd.rows(), trainStd.labels(), testStd.rows(), testStd.labels());
    Map<String, String> h = fm("binary_classifier", 30, 4);
    h.put("epochs", "30");
    h.put("mini_batch_size", "50");
    h.put("linear_lr", "0.01");
    h.put("factors_lr", "0.01");
    Map<String, Double> metrics = FM.train(job.context(h));
    System.out.println("Factorization Machines breast-cancer: " + metrics);
    // MLlib FMClassifier (factorSize 4, standardized): 0.960 (data/breast-cancer/README.md)
    assertThat(metrics.get("test:binary_classification_accuracy"), greaterThanOrEqualTo(0.94));
    assertThat(metrics.get("test:binary_classification_cross_entropy"), lessThan(0.3));
    try (ModelWorker worker = FM.load(job.modelDir(), Map.of())) {
      JsonNode p =
          JSON.readTree(
                  worker
                      .invoke(
                          LinearLearnerAlgorithmTest.protobufRequest(testStd.rows().subList(0, 5)),
                          PROTOBUF,
                          "application/json")
                      .body())
              .get("predictions");
      assertThat(p.size(), is(5));
      double score = p.get(0).get("score").asDouble();
      assertThat(p.get(0).get("predicted_label").asDouble(), is(score > 0.5 ? 1.0 : 0.0));
      // JSON requests too; CSV is refused, as SageMaker's FM refuses it
      String json =
          "{\"instances\":[{\"features\":"
              + java.util.Arrays.toString(testStd.rows().get(0).toDenseArray())
              + "}]}";
      JsonNode fromJson =
          JSON.readTree(
                  worker
                      .invoke(
                          json.getBytes(StandardCharsets.UTF_8),
                          "application/json",
                          "application/json")
                      .body())
              .get("predictions");
      assertThat(fromJson.get(0).get("score").asDouble(), closeTo(score, 1e-6));
      ModelWorker.ModelError csv =
          assertThrows(
              ModelWorker.ModelError.class,
              () -> worker.invoke("1,2\n".getBytes(StandardCharsets.UTF_8), "text/csv", null));
      assertThat(csv.statusCode(), is(415));
    }
  }

  @Test
  void factorizationMachineRegressorOnDiabetes() throws Exception {
    LibSvmData train = LibSvmData.diabetesTrain();
    LibSvmData trainStd = train.standardizedBy(train);
    LibSvmData testStd = LibSvmData.diabetesTest().standardizedBy(train);
    double mean = java.util.Arrays.stream(train.labels()).average().orElse(0);
    double std =
        Math.sqrt(
            java.util.Arrays.stream(train.labels()).map(y -> (y - mean) * (y - mean)).sum()
                / train.size());
    double[] y = java.util.Arrays.stream(train.labels()).map(v -> (v - mean) / std).toArray();
    double[] yTest = java.util.Arrays.stream(testStd.labels()).map(v -> (v - mean) / std).toArray();
    TestJob job = job("fm-diabetes", trainStd.rows(), y, testStd.rows(), yTest);
    Map<String, String> h = fm("regressor", 10, 2);
    h.put("epochs", "40");
    h.put("mini_batch_size", "20");
    h.put("linear_lr", "0.01");
    h.put("factors_lr", "0.001");
    Map<String, Double> metrics = FM.train(job.context(h));
    double rmse = metrics.get("test:rmse") * std; // in the label's units
    System.out.println("Factorization Machines diabetes: " + metrics + ", RMSE " + rmse);
    // MLlib LinearRegression: 55.8 (data/diabetes/README.md)
    assertThat(rmse, lessThanOrEqualTo(55.8 * 1.10));
  }

  @Test
  void thePairwiseTermLearnsAnInteractionALinearModelCannot() throws Exception {
    InteractionData train = InteractionData.generate(8000, 200, 1);
    InteractionData test = InteractionData.generate(2000, 200, 2);
    TestJob job = job("fm-pairs", train.rows(), train.labels(), test.rows(), test.labels());
    Map<String, String> h = fm("binary_classifier", 400, 4);
    h.put("epochs", "20");
    h.put("mini_batch_size", "100");
    h.put("linear_lr", "0.01");
    h.put("factors_lr", "0.05");
    h.put("factors_init_sigma", "0.1");
    Map<String, Double> fm = FM.train(job.context(h));

    TestJob linear = job("ll-pairs", train.rows(), train.labels(), test.rows(), test.labels());
    Map<String, String> l = new LinkedHashMap<>();
    l.put("predictor_type", "binary_classifier");
    l.put("feature_dim", "400");
    Map<String, Double> ll = LL.train(linear.context(l));
    System.out.println("Interaction data: FM " + fm + "; Linear Learner " + ll);
    assertThat(fm.get("test:binary_classification_accuracy"), greaterThanOrEqualTo(0.9));
    assertThat(ll.get("test:binary_classification_accuracy"), lessThan(0.6));
  }

  @Test
  void ldaRecoversTheBarsAndTheirMixtures() throws Exception {
    BarsCorpus corpus = BarsCorpus.generate(2000, 100, 1.0, 3);
    // held-out documents are longer, so that their mixtures can be told from the words
    BarsCorpus held = BarsCorpus.generate(200, 400, 1.0, 4);
    TestJob job = new TestJob(dir.resolve("lda-bars"));
    LinearLearnerAlgorithmTest.writeProtobuf(
        job.channel("train", PROTOBUF, "None").resolve("train.pbr"),
        corpus.documents(),
        new double[corpus.documents().size()]);
    LinearLearnerAlgorithmTest.writeProtobuf(
        job.channel("test", PROTOBUF, "None").resolve("test.pbr"),
        held.documents(),
        new double[held.documents().size()]);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("num_topics", "10");
    h.put("feature_dim", "25");
    h.put("mini_batch_size", "2000");
    h.put("alpha0", "10");
    h.put("max_restarts", "3");
    h.put("max_iterations", "200");
    h.put("tol", "1e-6");
    long started = System.nanoTime();
    Map<String, Double> metrics = LDA.train(job.context(h));
    System.out.printf("LDA bars: %s in %.2f s%n", metrics, (System.nanoTime() - started) / 1e9);

    LdaModel model = LdaModel.load(job.modelDir());
    int[] match = BarsCorpus.match(model.topics, 0.9);
    for (int t = 0; t < match.length; t++) {
      assertThat("true topic " + t + " recovered", match[t] >= 0, is(true));
    }
    assertThat(
        "each true topic has its own learned topic",
        java.util.Arrays.stream(match).distinct().count(),
        is(10L));
    // served mixtures sum to 1 and are close to the generating ones (mean total variation)
    try (ModelWorker worker = LDA.load(job.modelDir(), Map.of())) {
      JsonNode p =
          JSON.readTree(
                  worker
                      .invoke(
                          LinearLearnerAlgorithmTest.protobufRequest(held.documents()),
                          PROTOBUF,
                          "application/json")
                      .body())
              .get("predictions");
      double distance = 0;
      for (int d = 0; d < held.documents().size(); d++) {
        JsonNode mixture = p.get(d).get("topic_mixture");
        double sum = 0;
        double tv = 0;
        for (int t = 0; t < 10; t++) {
          sum += mixture.get(match[t]).asDouble();
          tv += Math.abs(mixture.get(match[t]).asDouble() - held.mixtures()[d][t]);
        }
        assertThat(sum, closeTo(1.0, 1e-4));
        distance += tv / 2;
      }
      distance /= held.documents().size();
      System.out.println("LDA bars: mean total variation to the generating mixtures " + distance);
      assertThat(distance, lessThan(0.12)); // 0.095 when this was written
    }
    assertThat(metrics.get("test:pwll"), lessThan(0.0));
    // the true topics' per-word log-likelihood bounds what any model can reach on average
    assertThat(metrics.get("test:pwll"), greaterThanOrEqualTo(-Math.log(25)));
  }

  @Test
  void digammaIsExact() {
    double euler = 0.5772156649015329;
    assertThat(LdaModel.digamma(1), closeTo(-euler, 1e-10));
    assertThat(LdaModel.digamma(0.5), closeTo(-euler - 2 * Math.log(2), 1e-10));
    assertThat(LdaModel.digamma(2), closeTo(1 - euler, 1e-10));
    assertThat(LdaModel.digamma(10), closeTo(2.251752589066721, 1e-10));
    for (double x : new double[] {1e-3, 0.1, 2.5, 5.9, 6, 123.4, 1e6}) {
      assertThat(
          LdaModel.digamma(x), closeTo(org.apache.commons.math3.special.Gamma.digamma(x), 1e-8));
    }
  }

  @Test
  void badInputIsRefusedNamingTheValueAndTheFix() throws Exception {
    AlgorithmException noFactors =
        assertThrows(
            AlgorithmException.class,
            () ->
                FM.validateHyperparameters(
                    Map.of("feature_dim", "3", "predictor_type", "regressor")));
    assertThat(noFactors.getMessage(), containsString("num_factors"));

    LibSvmData diabetes = LibSvmData.diabetesTest();
    TestJob width = job("fm-width", diabetes.rows(), diabetes.labels(), null, null);
    AlgorithmException wrongWidth =
        assertThrows(
            AlgorithmException.class, () -> FM.train(width.context(fm("regressor", 12, 2))));
    assertThat(
        wrongWidth.getMessage(),
        containsString("has 10 features but feature_dim is 12: set feature_dim = 10"));
    AlgorithmException notBinary =
        assertThrows(
            AlgorithmException.class,
            () -> FM.train(width.context(fm("binary_classifier", 10, 2))));
    assertThat(notBinary.getMessage(), containsString("binary_classifier takes labels 0 and 1"));

    TestJob csv = new TestJob(dir.resolve("fm-csv"));
    Files.writeString(csv.channel("train", "text/csv", "None").resolve("t.csv"), "1,2,3\n");
    AlgorithmException format =
        assertThrows(AlgorithmException.class, () -> FM.train(csv.context(fm("regressor", 2, 2))));
    assertThat(
        format.getMessage(),
        containsString("Factorization Machines reads application/x-recordio-protobuf only"));

    TestJob negative = new TestJob(dir.resolve("lda-negative"));
    Files.writeString(
        negative.channel("train", "text/csv", "None").resolve("d.csv"), "1,2,0\n0,-1,3\n");
    Map<String, String> lda = new LinkedHashMap<>();
    lda.put("num_topics", "2");
    lda.put("feature_dim", "3");
    lda.put("mini_batch_size", "2");
    AlgorithmException counts =
        assertThrows(AlgorithmException.class, () -> LDA.train(negative.context(lda)));
    assertThat(
        counts.getMessage(),
        containsString(
            "document 2 has count -1.0 for word 1: LDA takes word counts, which are non-negative"));
    lda.put("feature_dim", "4");
    AlgorithmException ldaWidth =
        assertThrows(AlgorithmException.class, () -> LDA.train(negative.context(lda)));
    assertThat(ldaWidth.getMessage(), containsString("feature_dim"));
  }
}
