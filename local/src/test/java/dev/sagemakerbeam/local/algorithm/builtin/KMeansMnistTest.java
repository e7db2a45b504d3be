package dev.sagemakerbeam.local.algorithm.builtin;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.AmazonRecordDecoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoReader;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.ModelWorker.Invocation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** K-Means on the MNIST sample, trained from each input format and invoked in each format. */
class KMeansMnistTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> HYPERPARAMETERS =
      Map.of("k", "10", "feature_dim", "784", "epochs", "3", "eval_metrics", "[\"msd\",\"ssd\"]");

  @TempDir static Path dir;
  static Mnist train;
  static Mnist test;
  static Algorithm kmeans;
  static TestJob libsvmJob;
  static Map<String, Double> libsvmMetrics;
  static ModelWorker worker;

  @BeforeAll
  static void trainOnLibSvm() throws Exception {
    train = Mnist.train();
    test = Mnist.test();
    kmeans = BuiltInAlgorithms.all().get("kmeans");
    libsvmJob = new TestJob(dir.resolve("libsvm"));
    Path channel = libsvmJob.channel("train", "text/libsvm", "Gzip");
    Files.copy(Mnist.trainFile(), channel.resolve("mnist-train.libsvm.gz"));
    Path testChannel = libsvmJob.channel("test", "text/x-libsvm", "Gzip");
    Files.copy(Mnist.dataDir().resolve("mnist-test.libsvm.gz"), testChannel.resolve("t.gz"));
    kmeans.validateHyperparameters(HYPERPARAMETERS);
    libsvmMetrics = kmeans.train(libsvmJob.context(HYPERPARAMETERS));
    worker = kmeans.load(libsvmJob.modelDir(), Map.of());
    System.out.println(
        "K-Means on MNIST LibSVM: " + libsvmMetrics + "\n" + String.join("\n", libsvmJob.log));
  }

  @Test
  void clustersTestDigitsWithReferencePurityAndDistanceScale() throws Exception {
    Invocation response =
        worker.invoke(
            test.recordIo(false),
            "application/x-recordio-protobuf",
            "application/x-recordio-protobuf");
    assertThat(response.contentType(), is("application/x-recordio-protobuf"));
    List<AmazonRecord> records = records(response.body());
    assertThat(records.size(), is(test.rows.size()));
    int[] clusters = new int[records.size()];
    double distanceSum = 0;
    for (int i = 0; i < records.size(); i++) {
      AmazonRecord r = records.get(i);
      assertThat(r.features().isEmpty(), is(true));
      double cluster = r.label("closest_cluster").values()[0];
      assertThat(cluster, allOf(greaterThanOrEqualTo(0.0), lessThan(10.0)));
      assertThat(cluster, is(Math.rint(cluster)));
      clusters[i] = (int) cluster;
      distanceSum += r.label("distance_to_cluster").values()[0];
    }
    double purity = purity(clusters, test.labels, 10);
    double rootMsd = Math.sqrt(libsvmMetrics.get("train:msd"));
    System.out.printf(
        "K-Means MNIST: test purity %.3f, sqrt(train msd) %.0f, mean test distance"
            + " %.0f (reference: purity 0.573, 1593)%n",
        purity, rootMsd, distanceSum / clusters.length);
    assertThat(purity, greaterThanOrEqualTo(0.55));
    assertThat(rootMsd, closeTo(1593, 160)); // within 10% of Spark's k-means cost on the same data
    assertThat(distanceSum / clusters.length, closeTo(1593, 250));
    assertThat(
        libsvmMetrics.get("train:ssd"),
        closeTo(
            libsvmMetrics.get("train:msd") * train.rows.size(),
            1e-6 * libsvmMetrics.get("train:ssd")));
    assertThat(libsvmMetrics, hasKey("test:msd"));
    assertThat(libsvmMetrics, hasKey("test:ssd"));
    assertThat(libsvmMetrics.get("train:progress"), is(100.0));
    assertThat(String.join("\n", libsvmJob.log), containsString("#quality_metric"));
  }

  @Test
  void distancesAreExactEuclideanDistancesToTheNearestCenter() throws Exception {
    KMeansModel model = KMeansModel.load(libsvmJob.modelDir());
    double[][] centers = model.centers();
    assertThat(centers.length, is(10));
    Invocation response =
        worker.invoke(
            test.csv(0, 50).getBytes(StandardCharsets.UTF_8), "text/csv", "application/json");
    JsonNode predictions = JSON.readTree(response.body()).get("predictions");
    assertThat(predictions.size(), is(50));
    for (int i = 0; i < 50; i++) {
      double[] x = test.rows.get(i).toDenseArray();
      int best = 0;
      double bestDistance = Double.MAX_VALUE;
      for (int c = 0; c < centers.length; c++) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
          s += (x[j] - centers[c][j]) * (x[j] - centers[c][j]);
        }
        if (s < bestDistance) {
          bestDistance = s;
          best = c;
        }
      }
      JsonNode p = predictions.get(i);
      assertThat(p.get("closest_cluster").doubleValue(), is((double) best));
      assertThat(
          p.get("distance_to_cluster").doubleValue(),
          closeTo(Math.sqrt(bestDistance), 1e-3 * Math.sqrt(bestDistance)));
    }
  }

  @Test
  void jsonCsvAndProtobufRequestsGiveTheSameAnswers() throws Exception {
    int n = 20;
    byte[] protobuf = new byte[0];
    {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      test.writeRecordIo(out, false, n);
      protobuf = out.toByteArray();
    }
    List<AmazonRecord> fromProtobuf =
        records(
            worker
                .invoke(
                    protobuf, "application/x-recordio-protobuf", "application/x-recordio-protobuf")
                .body());

    StringBuilder instances = new StringBuilder("{\"instances\":[");
    StringBuilder sparse = new StringBuilder("{\"instances\":[");
    for (int i = 0; i < n; i++) {
      FeatureVector v = test.rows.get(i);
      instances
          .append(i > 0 ? "," : "")
          .append("{\"features\":")
          .append(JSON.writeValueAsString(v.toDenseArray()))
          .append('}');
      long[] keys = new long[v.indices().length];
      for (int j = 0; j < keys.length; j++) {
        keys[j] = v.indices()[j];
      }
      sparse
          .append(i > 0 ? "," : "")
          .append("{\"data\":{\"features\":{\"keys\":")
          .append(JSON.writeValueAsString(keys))
          .append(",\"values\":")
          .append(JSON.writeValueAsString(v.values()))
          .append(",\"shape\":[784]}}}");
    }
    instances.append("]}");
    sparse.append("]}");
    Invocation dense =
        worker.invoke(
            instances.toString().getBytes(StandardCharsets.UTF_8), "application/json", null);
    assertThat("JSON is the default Accept", dense.contentType(), is("application/json"));
    JsonNode denseJson = JSON.readTree(dense.body()).get("predictions");
    JsonNode sparseJson =
        JSON.readTree(
                worker
                    .invoke(
                        sparse.toString().getBytes(StandardCharsets.UTF_8),
                        "application/json; charset=utf-8",
                        "application/json")
                    .body())
            .get("predictions");
    String csvOut =
        new String(
            worker
                .invoke(test.csv(0, n).getBytes(StandardCharsets.UTF_8), "text/csv", "text/csv")
                .body(),
            StandardCharsets.UTF_8);
    String[] csvLines = csvOut.split("\n");
    assertThat(csvLines.length, is(n));
    for (int i = 0; i < n; i++) {
      double cluster = fromProtobuf.get(i).label("closest_cluster").values()[0];
      double distance = fromProtobuf.get(i).label("distance_to_cluster").values()[0];
      assertThat(denseJson.get(i).get("closest_cluster").doubleValue(), is(cluster));
      assertThat(
          (float) denseJson.get(i).get("distance_to_cluster").doubleValue(), is((float) distance));
      assertThat(sparseJson.get(i).get("closest_cluster").doubleValue(), is(cluster));
      assertThat(
          (float) sparseJson.get(i).get("distance_to_cluster").doubleValue(), is((float) distance));
      String[] fields = csvLines[i].split(",");
      assertThat(Double.parseDouble(fields[0]), is(cluster));
      assertThat(Double.parseDouble(fields[1]), closeTo(distance, 1e-3));
    }
  }

  @Test
  void trainsFromRecordIoProtobuf() throws Exception {
    TestJob job = new TestJob(dir.resolve("recordio"));
    Path channel = job.channel("train", "application/x-recordio-protobuf", null);
    // two files in nested directories: sparse records, then dense ones
    Files.createDirectories(channel.resolve("a"));
    Files.createDirectories(channel.resolve("b"));
    int half = train.rows.size() / 2;
    try (OutputStream out = Files.newOutputStream(channel.resolve("a/part-0.rec"))) {
      train.writeRecordIo(out, false, half);
    }
    Mnist rest = Mnist.train();
    rest.rows.subList(0, half).clear();
    int[] restLabels = java.util.Arrays.copyOfRange(train.labels, half, train.labels.length);
    try (OutputStream out = Files.newOutputStream(channel.resolve("b/part-1.rec"))) {
      new MnistSlice(rest.rows, restLabels).write(out);
    }
    Map<String, Double> metrics = kmeans.train(job.context(HYPERPARAMETERS));
    assertThat(purityOf(kmeans.load(job.modelDir(), Map.of())), greaterThanOrEqualTo(0.55));
    assertThat(Math.sqrt(metrics.get("train:msd")), closeTo(1593, 160));
  }

  @Test
  void trainsFromGzippedCsvWithEveryColumnAFeature() throws Exception {
    TestJob job = new TestJob(dir.resolve("csv"));
    Path channel = job.channel("train", "text/csv", "Gzip");
    try (Writer w =
        new java.io.OutputStreamWriter(
            new GZIPOutputStream(Files.newOutputStream(channel.resolve("train.csv.gz"))),
            StandardCharsets.UTF_8)) {
      train.writeCsv(w, 0, train.rows.size());
    }
    Map<String, Double> metrics = kmeans.train(job.context(HYPERPARAMETERS));
    assertThat(purityOf(kmeans.load(job.modelDir(), Map.of())), greaterThanOrEqualTo(0.55));
    // the same rows in the same order as the LibSVM job: the same model
    assertThat(
        metrics.get("train:msd"),
        closeTo(libsvmMetrics.get("train:msd"), 1e-6 * libsvmMetrics.get("train:msd")));
    assertThat(
        KMeansModel.load(job.modelDir()).centers(),
        equalTo(KMeansModel.load(libsvmJob.modelDir()).centers()));
  }

  @Test
  void kmeansPlusPlusInitWithDecayAndRandomLloydInitAlsoClusters() throws Exception {
    TestJob job = new TestJob(dir.resolve("pp"));
    Path channel = job.channel("train", "libsvm", "Gzip");
    Files.copy(Mnist.trainFile(), channel.resolve("train.gz"));
    Map<String, String> hp = new HashMap<>(HYPERPARAMETERS);
    hp.put("init_method", "kmeans++");
    hp.put("mini_batch_size", "500");
    hp.put("extra_center_factor", "5");
    hp.put("half_life_time_size", "2000");
    hp.put("local_lloyd_init_method", "random");
    hp.put("local_lloyd_num_trials", "3");
    hp.put("epochs", "2");
    Map<String, Double> metrics = kmeans.train(job.context(hp));
    assertThat(purityOf(kmeans.load(job.modelDir(), Map.of())), greaterThan(0.5));
    assertThat(Math.sqrt(metrics.get("train:msd")), closeTo(1593, 250));
    assertThat(job.log.stream().filter(l -> l.startsWith("local Lloyd trial")).count(), is(3L));
  }

  @Test
  void stopRequestEndsTrainingAtTheNextMiniBatchWithoutAModel() throws Exception {
    TestJob job = new TestJob(dir.resolve("stop"));
    Path channel = job.channel("train", "text/libsvm", "Gzip");
    Files.copy(Mnist.trainFile(), channel.resolve("train.gz"));
    Map<String, String> hp = new HashMap<>(HYPERPARAMETERS);
    hp.put("mini_batch_size", "200");
    hp.put("epochs", "50");
    AtomicInteger checks = new AtomicInteger();
    TrainingStoppedException stopped =
        assertThrows(
            TrainingStoppedException.class,
            () -> kmeans.train(job.context(hp, () -> checks.incrementAndGet() > 3)));
    assertThat(stopped.getMessage(), containsString("stopped on request"));
    assertThat("asked 3 times, stopped on the 4th", checks.get(), is(4));
    assertThat(Files.exists(job.modelDir().resolve(ModelFile.NAME)), is(false));
  }

  private static double purityOf(ModelWorker w) throws Exception {
    List<AmazonRecord> records =
        records(
            w.invoke(
                    test.recordIo(true),
                    "application/x-recordio-protobuf",
                    "application/x-recordio-protobuf")
                .body());
    int[] clusters = new int[records.size()];
    for (int i = 0; i < clusters.length; i++) {
      clusters[i] = (int) records.get(i).label("closest_cluster").values()[0];
    }
    double purity = purity(clusters, test.labels, 10);
    System.out.printf("K-Means MNIST test purity %.3f%n", purity);
    return purity;
  }

  static double purity(int[] clusters, int[] labels, int k) {
    int[][] counts = new int[k][10];
    for (int i = 0; i < clusters.length; i++) {
      counts[clusters[i]][labels[i]]++;
    }
    int majority = 0;
    for (int[] c : counts) {
      int max = 0;
      for (int v : c) {
        max = Math.max(max, v);
      }
      majority += max;
    }
    return (double) majority / clusters.length;
  }

  static List<AmazonRecord> records(byte[] body) throws IOException {
    List<AmazonRecord> out = new ArrayList<>();
    RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(body));
    while (reader.next()) {
      out.add(AmazonRecordDecoder.decode(reader.buffer(), 0, reader.length()));
    }
    return out;
  }

  /** Dense records of some rows. */
  private record MnistSlice(List<FeatureVector> rows, int[] labels) {
    void write(OutputStream out) throws IOException {
      dev.sagemakerbeam.io.AmazonRecordEncoder encoder =
          new dev.sagemakerbeam.io.AmazonRecordEncoder();
      try (dev.sagemakerbeam.io.RecordIoWriter writer =
          new dev.sagemakerbeam.io.RecordIoWriter(out)) {
        for (int i = 0; i < rows.size(); i++) {
          int length = encoder.encode(FeatureVector.dense(rows.get(i).toDenseArray()), labels[i]);
          writer.write(encoder.buffer(), 0, length);
        }
      }
    }
  }
}
