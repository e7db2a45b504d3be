package dev.sagemakerbeam.local.algorithm.builtin;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoWriter;
import dev.sagemakerbeam.io.testing.LibSvmData;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.ModelWorker.ModelError;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SageMaker Local's XGBoost against XGBoost itself: the same data and hyperparameters give the same
 * model (predictions equal to XGBoost's own, trained from the LibSVM file by XGBoost's parser), the
 * container's channels and formats, its metrics and logs, a model written by plain XGBoost served,
 * the artifact read by XGBoost 1.7 (the 1.7-1 image's version) in a JVM of its own, and bad input.
 */
class XGBoostAlgorithmTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Algorithm XGB = BuiltInAlgorithms.all().get("sagemaker-xgboost");

  @TempDir static Path dir;
  static Path trainFile;
  static Path testFile;
  static LibSvmData test;

  static Map<String, String> breastCancerHyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("objective", "binary:logistic");
    h.put("num_round", "100");
    h.put("max_depth", "4");
    h.put("eta", "0.1");
    h.put("tree_method", "hist");
    h.put("eval_metric", "error,auc");
    return h;
  }

  @BeforeAll
  static void data() {
    trainFile = LibSvmData.dataDirectory("breast-cancer").resolve("breast-cancer-train.libsvm");
    testFile = LibSvmData.dataDirectory("breast-cancer").resolve("breast-cancer-test.libsvm");
    test = LibSvmData.breastCancerTest();
  }

  private static TestJob libsvmJob(String name, boolean withValidation) throws Exception {
    TestJob job = new TestJob(dir.resolve(name));
    Files.copy(trainFile, job.channel("train", "text/libsvm", "None").resolve("train.libsvm"));
    if (withValidation) {
      Files.copy(testFile, job.channel("validation", "text/libsvm", "None").resolve("test.libsvm"));
    }
    return job;
  }

  /** XGBoost run directly on the files, with XGBoost's own LibSVM parser. */
  private static float[] reference(Map<String, String> hyperparameters) throws Exception {
    DMatrix train = new DMatrix(trainFile + "?format=libsvm");
    DMatrix testMatrix = new DMatrix(testFile + "?format=libsvm");
    Map<String, Object> params = new HashMap<>(hyperparameters);
    int rounds = Integer.parseInt((String) params.remove("num_round"));
    params.remove("eval_metric");
    Booster b = XGBoost.train(train, params, rounds, Map.of(), null, null);
    float[][] p = b.predict(testMatrix);
    float[] out = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = p[i][0];
    }
    b.dispose();
    train.dispose();
    testMatrix.dispose();
    return out;
  }

  private static float[] csvPredictions(byte[] body) {
    String[] lines = new String(body, StandardCharsets.UTF_8).trim().split("\n");
    float[] out = new float[lines.length];
    for (int i = 0; i < lines.length; i++) {
      out[i] = Float.parseFloat(lines[i]);
    }
    return out;
  }

  private static double accuracy(float[] probabilities, double[] labels) {
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      right += (probabilities[i] > 0.5 ? 1 : 0) == (int) labels[i] ? 1 : 0;
    }
    return (double) right / labels.length;
  }

  /**
   * The test rows as CSV: XGBoost feature 0 (unused by LibSVM-trained models) and the features a
   * LibSVM row leaves out as empty fields, which XGBoost reads as missing, as LibSVM's absences.
   */
  private static String csvWithEmptyFeatureZero() {
    StringBuilder sb = new StringBuilder();
    for (FeatureVector v : test.rows()) {
      String[] fields = new String[30];
      java.util.Arrays.fill(fields, "");
      for (int j = 0; j < v.numStored(); j++) {
        fields[v.indices()[j]] = Double.toString(v.values()[j]);
      }
      sb.append(',').append(String.join(",", fields)).append('\n');
    }
    return sb.toString();
  }

  @Test
  void breastCancerModelIsXGBoostsOwnWithMetricsAndRoundLogs() throws Exception {
    TestJob job = libsvmJob("bc", true);
    Map<String, Double> metrics = XGB.train(job.context(breastCancerHyperparameters()));

    assertThat(metrics.keySet(), hasItem("train:auc"));
    assertThat(metrics.keySet(), hasItem("train:error"));
    assertThat(metrics.keySet(), hasItem("validation:auc"));
    assertThat(metrics.get("validation:auc"), greaterThanOrEqualTo(0.97));
    assertThat(job.log, hasItem(startsWith("[0]\ttrain-error:")));
    assertThat(job.log, hasItem(containsString("[99]\ttrain-error:")));
    assertThat(job.log.stream().anyMatch(l -> l.contains("validation-auc:")), is(true));
    Path model = job.modelDir().resolve("xgboost-model");
    assertThat(Files.isRegularFile(model), is(true));
    try (var files = Files.list(job.modelDir())) {
      assertThat(files.count(), is(1L));
    }

    ModelWorker worker = XGB.load(job.modelDir(), Map.of());
    float[] local =
        csvPredictions(
            worker.invoke(Files.readAllBytes(testFile), "text/libsvm", "text/csv").body());
    float[] direct = reference(breastCancerHyperparameters());
    assertThat(local.length, is(100));
    for (int i = 0; i < local.length; i++) {
      assertThat("row " + i, (double) local[i], closeTo(direct[i], 1e-5));
    }
    double accuracy = accuracy(local, test.labels());
    assertThat(accuracy, greaterThanOrEqualTo(0.95));
    // within 1 point of xgboost4j's figure on these files (README: 0.980)
    assertThat(Math.abs(accuracy - accuracy(direct, test.labels())), lessThan(0.01 + 1e-9));

    // CSV requests address the same features when they keep XGBoost's feature 0 (empty)
    float[] fromCsv =
        csvPredictions(
            worker
                .invoke(
                    csvWithEmptyFeatureZero().getBytes(StandardCharsets.UTF_8), "text/csv", null)
                .body());
    for (int i = 0; i < local.length; i++) {
      assertThat((double) fromCsv[i], closeTo(local[i], 1e-6));
    }
    // JSON answers: {"predictions": [{"score": ...}]}
    JsonNode json =
        JSON.readTree(
            worker.invoke(Files.readAllBytes(testFile), "text/libsvm", "application/json").body());
    assertThat(json.get("predictions").size(), is(100));
    assertThat(json.get("predictions").get(0).get("score").doubleValue(), closeTo(local[0], 1e-6));
    worker.close();
  }

  @Test
  void csvAndRecordIoChannelsGzippedAndSplitTrainTheSameModel() throws Exception {
    LibSvmData train = LibSvmData.breastCancerTrain();
    // CSV, label first, in two gzip files
    TestJob csv = new TestJob(dir.resolve("csv"));
    Path csvDir = csv.channel("train", "text/csv", "Gzip");
    for (int part = 0; part < 2; part++) {
      try (OutputStream out =
          new GZIPOutputStream(Files.newOutputStream(csvDir.resolve("part-" + part + ".csv.gz")))) {
        StringBuilder sb = new StringBuilder();
        for (int i = part; i < train.size(); i += 2) {
          sb.append((int) train.labels()[i]);
          for (double x : train.rows().get(i).toDenseArray()) {
            sb.append(',').append(x);
          }
          sb.append('\n');
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    XGB.train(csv.context(breastCancerHyperparameters()));
    // RecordIO-protobuf, dense, labels in the records
    TestJob recordIo = new TestJob(dir.resolve("recordio"));
    Path rioDir = recordIo.channel("train", "application/x-recordio-protobuf", "None");
    try (OutputStream out = Files.newOutputStream(rioDir.resolve("train.rec"));
        RecordIoWriter writer = new RecordIoWriter(out)) {
      AmazonRecordEncoder encoder = new AmazonRecordEncoder();
      for (int i = 0; i < train.size(); i++) {
        int n =
            encoder.encode(
                FeatureVector.dense(train.rows().get(i).toDenseArray()), train.labels()[i]);
        writer.write(encoder.buffer(), 0, n);
      }
    }
    XGB.train(recordIo.context(breastCancerHyperparameters()));

    ModelWorker fromCsv = XGB.load(csv.modelDir(), Map.of());
    ModelWorker fromRecordIo = XGB.load(recordIo.modelDir(), Map.of());
    assertThat(((XGBoostModel) fromCsv).numFeatures(), is(30));
    byte[] rows = denseCsv(test).getBytes(StandardCharsets.UTF_8);
    float[] a = csvPredictions(fromCsv.invoke(rows, "text/csv", "text/csv").body());
    float[] b = csvPredictions(fromRecordIo.invoke(rows, "text/csv", "text/csv").body());
    for (int i = 0; i < a.length; i++) {
      assertThat((double) a[i], closeTo(b[i], 1e-6));
    }
    assertThat(accuracy(a, test.labels()), greaterThanOrEqualTo(0.95));
    // protobuf requests too
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    try (RecordIoWriter writer = new RecordIoWriter(request)) {
      AmazonRecordEncoder encoder = new AmazonRecordEncoder();
      for (FeatureVector v : test.rows()) {
        int n = encoder.encode(FeatureVector.dense(v.toDenseArray()), 0);
        writer.write(encoder.buffer(), 0, n);
      }
    }
    float[] c =
        csvPredictions(
            fromRecordIo
                .invoke(request.toByteArray(), "application/x-recordio-protobuf", "text/csv")
                .body());
    for (int i = 0; i < a.length; i++) {
      assertThat((double) c[i], closeTo(b[i], 1e-6));
    }
    // JSON requests: {"instances": [{"features": [...]}]}
    StringBuilder json = new StringBuilder("{\"instances\": [");
    for (int i = 0; i < 3; i++) {
      json.append(i > 0 ? "," : "").append("{\"features\": [");
      json.append(
          java.util.Arrays.stream(test.rows().get(i).toDenseArray())
              .mapToObj(Double::toString)
              .collect(Collectors.joining(",")));
      json.append("]}");
    }
    json.append("]}");
    float[] d =
        csvPredictions(
            fromCsv
                .invoke(
                    json.toString().getBytes(StandardCharsets.UTF_8),
                    "application/json",
                    "text/csv")
                .body());
    assertThat(d.length, is(3));
    for (int i = 0; i < 3; i++) {
      assertThat((double) d[i], closeTo(a[i], 1e-6));
    }
  }

  /** Rows as dense CSV without labels. */
  private static String denseCsv(LibSvmData data) {
    return data.rows().stream()
            .map(
                v ->
                    java.util.Arrays.stream(v.toDenseArray())
                        .mapToObj(Double::toString)
                        .collect(Collectors.joining(",")))
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  @Test
  void multiSoftprobAnswersAListPerRowAndEarlyStoppingStops() throws Exception {
    TestJob job = libsvmJob("softprob", true);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("objective", "multi:softprob");
    h.put("num_class", "2");
    h.put("num_round", "500");
    h.put("eta", "0.3");
    h.put("early_stopping_rounds", "5");
    Map<String, Double> metrics = XGB.train(job.context(h));
    assertThat(metrics.keySet(), hasItem("validation:mlogloss"));
    assertThat(job.log, hasItem(startsWith("Stopping. Best iteration:")));
    assertThat(job.log.stream().noneMatch(l -> l.startsWith("[499]")), is(true));

    ModelWorker worker = XGB.load(job.modelDir(), Map.of());
    byte[] body = Files.readAllBytes(testFile);
    String csv = new String(worker.invoke(body, "text/libsvm", "text/csv").body());
    String[] first = csv.split("\n")[0].split(",");
    assertThat(first.length, is(2));
    assertThat(Double.parseDouble(first[0]) + Double.parseDouble(first[1]), closeTo(1, 1e-5));
    JsonNode json = JSON.readTree(worker.invoke(body, "text/libsvm", "application/json").body());
    assertThat(json.get("predictions").get(0).get("score").isArray(), is(true));
    String lines = new String(worker.invoke(body, "text/libsvm", "application/jsonlines").body());
    assertThat(lines.split("\n").length, is(100));
    assertThat(JSON.readTree(lines.split("\n")[0]).get("score").size(), is(2));
  }

  @Test
  void aModelWrittenByPlainXGBoostIsServedWithItsOwnPredictions() throws Exception {
    DMatrix train = new DMatrix(trainFile + "?format=libsvm");
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "binary:logistic");
    params.put("max_depth", 3);
    Booster b = XGBoost.train(train, params, 20, Map.of(), null, null);
    DMatrix testMatrix = new DMatrix(testFile + "?format=libsvm");
    float[][] expected = b.predict(testMatrix);
    for (String format : List.of("json", "ubj", "deprecated")) {
      Path modelDir = dir.resolve("plain-" + format);
      Files.createDirectories(modelDir);
      Files.write(modelDir.resolve("xgboost-model"), b.toByteArray(format));
      ModelWorker worker = XGB.load(modelDir, Map.of());
      float[] served =
          csvPredictions(
              worker.invoke(Files.readAllBytes(testFile), "text/libsvm", "text/csv").body());
      for (int i = 0; i < served.length; i++) {
        assertThat(format + " row " + i, (double) served[i], closeTo(expected[i][0], 1e-6));
      }
      worker.close();
    }
    b.dispose();
    train.dispose();
    testMatrix.dispose();
  }

  @Test
  void theArtifactIsReadByXGBoost17InItsOwnJvm() throws Exception {
    TestJob job = libsvmJob("compat", false);
    XGB.train(job.context(breastCancerHyperparameters()));
    ModelWorker worker = XGB.load(job.modelDir(), Map.of());
    float[] local =
        csvPredictions(
            worker.invoke(Files.readAllBytes(testFile), "text/libsvm", "text/csv").body());

    // xgboost4j 1.7.6 and what it needs, copied by the build (maven-dependency-plugin)
    String classpath;
    try (var jars = Files.list(Path.of("target/xgboost17"))) {
      classpath =
          jars.map(Path::toString).sorted().collect(Collectors.joining(java.io.File.pathSeparator));
    }
    Path out = dir.resolve("xgboost17-predictions.txt");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath + java.io.File.pathSeparator + Path.of("target/test-classes"),
                XGBoost17Reader.class.getName(),
                job.modelDir().resolve("xgboost-model").toString(),
                testFile.toString(),
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("xgboost17.log").toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS), is(true));
    String log = Files.readString(dir.resolve("xgboost17.log"));
    assertThat(log, p.exitValue(), is(0));
    assertThat(log, containsString("XGBoost 1.7"));
    List<String> lines = Files.readAllLines(out);
    assertThat(lines.size(), is(local.length));
    for (int i = 0; i < local.length; i++) {
      assertThat((double) Float.parseFloat(lines.get(i)), closeTo(local[i], 1e-6));
    }
  }

  @Test
  void badInputFailsWithTheValueAndTheFix() throws Exception {
    Map<String, String> noRounds = new LinkedHashMap<>(breastCancerHyperparameters());
    noRounds.remove("num_round");
    AlgorithmException e =
        assertThrows(AlgorithmException.class, () -> XGB.validateHyperparameters(noRounds));
    assertThat(e.getMessage(), containsString("num_round is required"));

    Map<String, String> softmax = new LinkedHashMap<>(breastCancerHyperparameters());
    softmax.put("objective", "multi:softmax");
    e = assertThrows(AlgorithmException.class, () -> XGB.validateHyperparameters(softmax));
    assertThat(
        e.getMessage(), containsString("num_class is required by objective = multi:softmax"));

    Map<String, String> unknown = new LinkedHashMap<>(breastCancerHyperparameters());
    unknown.put("objective", "reg:linear");
    e = assertThrows(AlgorithmException.class, () -> XGB.validateHyperparameters(unknown));
    assertThat(e.getMessage(), containsString("objective = reg:linear is invalid"));
    assertThat(e.getMessage(), containsString("reg:squarederror"));

    // labels outside the objective's range: named with their row
    TestJob job = new TestJob(dir.resolve("badlabel"));
    Files.writeString(
        job.channel("train", "text/libsvm", "None").resolve("t.libsvm"), "0 1:1\n2 1:3\n");
    e =
        assertThrows(
            AlgorithmException.class, () -> XGB.train(job.context(breastCancerHyperparameters())));
    assertThat(e.getMessage(), containsString("Channel train row 2 has label 2.0"));

    // inference: a CSV row with the label still in it
    TestJob good = libsvmJob("badinference", false);
    Map<String, String> small = new LinkedHashMap<>(breastCancerHyperparameters());
    small.put("num_round", "3");
    XGB.train(good.context(small));
    ModelWorker worker = XGB.load(good.modelDir(), Map.of());
    String withLabel = "1," + csvWithEmptyFeatureZero().split("\n")[0];
    ModelError m =
        assertThrows(
            ModelError.class,
            () -> worker.invoke(withLabel.getBytes(StandardCharsets.UTF_8), "text/csv", null));
    assertThat(m.statusCode(), is(400));
    assertThat(m.getMessage(), containsString("the row has 32 columns but the model takes 31"));
    assertThat(m.getMessage(), containsString("drop the label column"));
    String thirty = String.join(",", java.util.Collections.nCopies(30, "1"));
    m =
        assertThrows(
            ModelError.class,
            () -> worker.invoke(thirty.getBytes(StandardCharsets.UTF_8), "text/csv", null));
    assertThat(m.getMessage(), containsString("unused feature 0"));
    m =
        assertThrows(
            ModelError.class,
            () -> worker.invoke("x".getBytes(StandardCharsets.UTF_8), "text/plain", null));
    assertThat(m.statusCode(), is(415));
  }
}
