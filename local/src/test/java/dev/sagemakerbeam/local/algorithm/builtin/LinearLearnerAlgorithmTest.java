package dev.sagemakerbeam.local.algorithm.builtin;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoWriter;
import dev.sagemakerbeam.io.testing.LibSvmData;
import dev.sagemakerbeam.io.testing.MnistSample;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SageMaker Local's Linear Learner on real data (the repository's breast-cancer, diabetes and MNIST
 * sets, whose READMEs give Spark MLlib's figures on the same files): quality against those figures,
 * model selection among num_models, every loss and optimizer, serving in SageMaker's response
 * format, and bad input refused naming the value and the fix.
 */
class LinearLearnerAlgorithmTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Algorithm LL = BuiltInAlgorithms.all().get("linear-learner");

  @TempDir static Path dir;

  static void writeCsv(Path file, List<FeatureVector> rows, double[] labels) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      sb.append(labels[i]);
      for (double v : rows.get(i).toDenseArray()) {
        sb.append(',').append(v);
      }
      sb.append('\n');
    }
    Files.writeString(file, sb);
  }

  static void writeProtobuf(Path file, List<FeatureVector> rows, double[] labels)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        RecordIoWriter writer = new RecordIoWriter(out)) {
      AmazonRecordEncoder encoder = new AmazonRecordEncoder();
      for (int i = 0; i < rows.size(); i++) {
        int n = encoder.encode(rows.get(i), labels[i]);
        writer.write(encoder.buffer(), 0, n);
      }
    }
  }

  static byte[] protobufRequest(List<FeatureVector> rows) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (RecordIoWriter writer = new RecordIoWriter(out)) {
      AmazonRecordEncoder encoder = new AmazonRecordEncoder();
      for (FeatureVector v : rows) {
        int n = encoder.encode(v, 0);
        writer.write(encoder.buffer(), 0, n);
      }
    }
    return out.toByteArray();
  }

  private static double[] labels(MnistSample s) {
    double[] out = new double[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.labels()[i];
    }
    return out;
  }

  private static TestJob breastCancerJob(String name, boolean validation) throws IOException {
    LibSvmData train = LibSvmData.breastCancerTrain();
    LibSvmData test = LibSvmData.breastCancerTest();
    TestJob job = new TestJob(dir.resolve(name));
    writeCsv(
        job.channel("train", "text/csv", "None").resolve("train.csv"),
        train.rows(),
        train.labels());
    writeCsv(
        job.channel("test", "text/csv", "None").resolve("test.csv"), test.rows(), test.labels());
    if (validation) {
      writeCsv(
          job.channel("validation", "text/csv", "None").resolve("validation.csv"),
          test.rows(),
          test.labels());
    }
    return job;
  }

  private static TestJob diabetesJob(String name) throws IOException {
    LibSvmData train = LibSvmData.diabetesTrain();
    LibSvmData test = LibSvmData.diabetesTest();
    TestJob job = new TestJob(dir.resolve(name));
    writeProtobuf(
        job.channel("train", "application/x-recordio-protobuf", "None").resolve("train.pbr"),
        train.rows(),
        train.labels());
    writeProtobuf(
        job.channel("test", "application/x-recordio-protobuf", "None").resolve("test.pbr"),
        test.rows(),
        test.labels());
    return job;
  }

  private static Map<String, String> hyperparameters(String type, int featureDim) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("predictor_type", type);
    h.put("feature_dim", Integer.toString(featureDim));
    return h;
  }

  @Test
  void breastCancerBinaryClassifierReachesMllibsAccuracyAndServesSageMakersFormat()
      throws Exception {
    TestJob job = breastCancerJob("breast-cancer", false);
    Map<String, String> h = hyperparameters("binary_classifier", 30);
    h.put("mini_batch_size", "50");
    Map<String, Double> metrics = LL.train(job.context(h));
    System.out.println("Linear Learner " + h.get("predictor_type") + ": " + metrics);
    assertThat(
        metrics.toString(),
        metrics.get("test:binary_classification_accuracy"),
        greaterThanOrEqualTo(0.95));
    assertThat(metrics, hasKey("train:objective_loss"));
    assertThat(metrics, hasKey("test:binary_f_beta"));
    assertThat(metrics, hasKey("test:precision"));
    assertThat(metrics, hasKey("test:recall"));

    // served: JSON answers with score and predicted_label, agreeing with the test metric
    LibSvmData test = LibSvmData.breastCancerTest();
    try (ModelWorker worker = LL.load(job.modelDir(), Map.of())) {
      ModelWorker.Invocation answer =
          worker.invoke(
              protobufRequest(test.rows()), "application/x-recordio-protobuf", "application/json");
      JsonNode predictions = JSON.readTree(answer.body()).get("predictions");
      assertThat(predictions.size(), is(100));
      int right = 0;
      for (int i = 0; i < 100; i++) {
        JsonNode p = predictions.get(i);
        double score = p.get("score").asDouble();
        assertThat(score, greaterThanOrEqualTo(0.0));
        assertThat(score, lessThanOrEqualTo(1.0));
        right += p.get("predicted_label").asDouble() == test.labels()[i] ? 1 : 0;
      }
      assertThat(right / 100.0, closeTo(metrics.get("test:binary_classification_accuracy"), 1e-9));
      // CSV in, CSV out: score,predicted_label per line
      String csv =
          new String(
              worker
                  .invoke(
                      (String.join(",", java.util.Collections.nCopies(30, "1.0")) + "\n")
                          .getBytes(StandardCharsets.UTF_8),
                      "text/csv",
                      "text/csv")
                  .body(),
              StandardCharsets.UTF_8);
      assertThat(csv.trim().split(",").length, is(2));
    }
  }

  @Test
  void diabetesRegressorComesWithinFivePercentOfMllibsRmse() throws Exception {
    TestJob job = diabetesJob("diabetes");
    Map<String, String> h = hyperparameters("regressor", 10);
    h.put("mini_batch_size", "20");
    h.put("epochs", "30");
    Map<String, Double> metrics = LL.train(job.context(h));
    System.out.println("Linear Learner " + h.get("predictor_type") + ": " + metrics);
    // Spark MLlib's LinearRegression: 55.8 (data/diabetes/README.md)
    assertThat(metrics.toString(), metrics.get("test:rmse"), lessThanOrEqualTo(55.8 * 1.05));
    assertThat(metrics.get("test:mse"), closeTo(Math.pow(metrics.get("test:rmse"), 2), 1e-6));
    assertThat(metrics, hasKey("test:absolute_loss"));
    try (ModelWorker worker = LL.load(job.modelDir(), Map.of())) {
      JsonNode p =
          JSON.readTree(
                  worker
                      .invoke(
                          protobufRequest(LibSvmData.diabetesTest().rows().subList(0, 3)),
                          "application/x-recordio-protobuf",
                          "application/json")
                      .body())
              .get("predictions");
      assertThat(p.size(), is(3));
      assertThat(p.get(0).size(), is(1)); // a regressor answers a score only
      assertThat(p.get(0).get("score").asDouble(), greaterThan(25.0));
    }
  }

  @Test
  void mnistMulticlassComesWithinTwoPointsOfMllibsLogisticRegression() throws Exception {
    MnistSample train = MnistSample.train();
    MnistSample test = MnistSample.test();
    TestJob job = new TestJob(dir.resolve("mnist"));
    writeProtobuf(
        job.channel("train", "application/x-recordio-protobuf", "None").resolve("train.pbr"),
        train.rows(),
        labels(train));
    writeProtobuf(
        job.channel("test", "application/x-recordio-protobuf", "None").resolve("test.pbr"),
        test.rows(),
        labels(test));
    Map<String, String> h = hyperparameters("multiclass_classifier", 784);
    h.put("num_classes", "10"); // SageMaker's defaults otherwise: 4 models, 15 epochs of 1000
    Map<String, Double> metrics = LL.train(job.context(h));
    System.out.println("Linear Learner " + h.get("predictor_type") + ": " + metrics);
    // Spark MLlib's multinomial LogisticRegression: 0.892 (data/mnist/README.md)
    assertThat(
        metrics.toString(), metrics.get("test:multiclass_accuracy"), greaterThanOrEqualTo(0.872));
    assertThat(
        metrics.get("test:multiclass_top_k_accuracy"),
        greaterThanOrEqualTo(metrics.get("test:multiclass_accuracy")));
    try (ModelWorker worker = LL.load(job.modelDir(), Map.of())) {
      JsonNode p =
          JSON.readTree(
                  worker
                      .invoke(
                          protobufRequest(test.rows().subList(0, 2)),
                          "application/x-recordio-protobuf",
                          "application/json")
                      .body())
              .get("predictions")
              .get(0);
      assertThat(p.get("score").size(), is(10));
      double sum = 0;
      int argmax = 0;
      for (int c = 0; c < 10; c++) {
        sum += p.get("score").get(c).asDouble();
        if (p.get("score").get(c).asDouble() > p.get("score").get(argmax).asDouble()) {
          argmax = c;
        }
      }
      assertThat(sum, closeTo(1.0, 1e-4));
      assertThat(p.get("predicted_label").asDouble(), is((double) argmax));
    }
  }

  @Test
  void theModelKeptIsTheBestOnValidationByTheCriterion() throws Exception {
    // five models at learning rates 0.1 x (1, 0.3, 3, 0.1, 10), three epochs each: on this data
    // the third (0.3) has the lowest validation loss, so keeping the first or the last fails here
    TestJob job = breastCancerJob("selection", true);
    Map<String, String> h = hyperparameters("binary_classifier", 30);
    h.put("num_models", "5");
    h.put("epochs", "3");
    h.put("mini_batch_size", "100");
    h.put("learning_rate", "0.1");
    h.put("binary_classifier_model_selection_criteria", "loss_function");
    LL.train(job.context(h));
    JsonNode model = JSON.readTree(job.modelDir().resolve("model.json").toFile());
    JsonNode models = model.get("models");
    assertThat(models.size(), is(5));
    int best = 0;
    for (int i = 0; i < models.size(); i++) {
      assertThat(models.get(i).get("criterion").asText(), is("loss_function"));
      if (models.get(i).get("selection_value").asDouble()
          > models.get(best).get("selection_value").asDouble()) {
        best = i;
      }
    }
    for (int i = 0; i < models.size(); i++) {
      if (i != best) { // a strict best
        assertThat(
            models.get(i).get("selection_value").asDouble(),
            lessThan(models.get(best).get("selection_value").asDouble()));
      }
    }
    assertThat(model.get("selected").asInt(), is(best));
    assertThat(best, is(2));
    assertThat(
        String.join("\n", job.log),
        containsString("Selected model 2 of 5 by loss_function on validation data"));
    // the kept model's validation loss is the one reported
    assertThat(
        models.get(best).get("value").asDouble(),
        closeTo(-models.get(best).get("selection_value").asDouble(), 1e-12));
  }

  @Test
  void everyLossAndOptimizerTrains() throws Exception {
    for (String loss :
        List.of(
            "absolute_loss",
            "eps_insensitive_squared_loss",
            "eps_insensitive_absolute_loss",
            "quantile_loss",
            "huber_loss")) {
      TestJob job = diabetesJob("loss-" + loss);
      Map<String, String> h = hyperparameters("regressor", 10);
      h.put("loss", loss);
      h.put("mini_batch_size", "20");
      h.put("num_models", "1");
      h.put("learning_rate", "0.05");
      h.put("huber_delta", "30");
      h.put("loss_insensitivity", "5");
      Map<String, Double> m = LL.train(job.context(h));
      // a model that learned something: well under the label's spread (77)
      assertThat(loss + " " + m, m.get("test:rmse"), lessThan(65.0));
    }
    for (String optimizer : List.of("sgd", "rmsprop", "adam")) {
      TestJob job = breastCancerJob("optimizer-" + optimizer, false);
      Map<String, String> h = hyperparameters("binary_classifier", 30);
      h.put("optimizer", optimizer);
      h.put("mini_batch_size", "50");
      h.put("num_models", "1");
      Map<String, Double> m = LL.train(job.context(h));
      assertThat(
          optimizer + " " + m, m.get("test:binary_classification_accuracy"), greaterThan(0.9));
    }
    TestJob job = breastCancerJob("hinge", false);
    Map<String, String> h = hyperparameters("binary_classifier", 30);
    h.put("loss", "hinge_loss");
    h.put("mini_batch_size", "50");
    h.put("num_models", "1");
    Map<String, Double> m = LL.train(job.context(h));
    assertThat("hinge " + m, m.get("test:binary_classification_accuracy"), greaterThan(0.9));
  }

  @Test
  void badInputIsRefusedNamingTheValueAndTheFix() throws Exception {
    AlgorithmException noClasses =
        assertThrows(
            AlgorithmException.class,
            () -> LL.validateHyperparameters(hyperparameters("multiclass_classifier", 30)));
    assertThat(
        noClasses.getMessage(),
        containsString("num_classes is required by predictor_type = multiclass_classifier"));

    AlgorithmException wrongLoss =
        assertThrows(
            AlgorithmException.class,
            () -> {
              Map<String, String> h = hyperparameters("regressor", 30);
              h.put("loss", "logistic");
              LL.validateHyperparameters(h);
            });
    assertThat(wrongLoss.getMessage(), containsString("loss = logistic"));
    assertThat(wrongLoss.getMessage(), containsString("with predictor_type = regressor"));

    // a diabetes label (e.g. 151) for the binary classifier
    TestJob regression = new TestJob(dir.resolve("bad-binary"));
    LibSvmData diabetes = LibSvmData.diabetesTrain();
    writeCsv(
        regression.channel("train", "text/csv", "None").resolve("t.csv"),
        diabetes.rows(),
        diabetes.labels());
    AlgorithmException notBinary =
        assertThrows(
            AlgorithmException.class,
            () -> LL.train(regression.context(hyperparameters("binary_classifier", 10))));
    assertThat(
        notBinary.getMessage(),
        containsString("Channel train row 1 has label " + diabetes.labels()[0]));
    assertThat(notBinary.getMessage(), containsString("binary_classifier takes labels 0 and 1"));

    Map<String, String> multi = hyperparameters("multiclass_classifier", 10);
    multi.put("num_classes", "3");
    AlgorithmException outside =
        assertThrows(AlgorithmException.class, () -> LL.train(regression.context(multi)));
    assertThat(
        outside.getMessage(),
        containsString("takes labels 0 .. 2; relabel the data or raise num_classes"));

    AlgorithmException width =
        assertThrows(
            AlgorithmException.class,
            () -> LL.train(regression.context(hyperparameters("regressor", 12))));
    assertThat(
        width.getMessage(),
        containsString(
            "row 1 has 10 features but feature_dim is 12: set feature_dim = 10 or fix the data"));

    TestJob libsvm = new TestJob(dir.resolve("libsvm"));
    Files.writeString(
        libsvm.channel("train", "text/libsvm", "None").resolve("t.libsvm"), "1 1:2\n");
    AlgorithmException format =
        assertThrows(
            AlgorithmException.class,
            () -> LL.train(libsvm.context(hyperparameters("regressor", 1))));
    assertThat(
        format.getMessage(),
        containsString("Linear Learner reads application/x-recordio-protobuf or text/csv"));
  }
}
