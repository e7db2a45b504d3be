package dev.sagemakerbeam.local.algorithm.builtin;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoWriter;
import dev.sagemakerbeam.io.protobuf.AmazonRecordProtos;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading training channels: every format, and every kind of bad data failing with its reason. */
class TrainingDataTest {
  private static final Map<String, String> KMEANS = Map.of("k", "2", "feature_dim", "3");
  private final Algorithm kmeans = BuiltInAlgorithms.all().get("kmeans");
  private final Algorithm pca = BuiltInAlgorithms.all().get("pca");

  @TempDir Path dir;

  // ---------- good data ----------

  @Test
  void readsEveryFileUnderTheChannelRecursivelyInEveryFormat() throws Exception {
    // two tight clusters around (0,0,0) and (10,10,10), spread over files and directories
    TestJob csv = new TestJob(dir.resolve("csv"));
    Path c = csv.channel("train", "text/csv", null);
    write(c.resolve("a.csv"), "0,0,0\n0.5,0,0\n\n");
    Files.createDirectories(c.resolve("sub/deeper"));
    write(c.resolve("sub/deeper/b.csv"), "10,10,10\n10,10.5,10\n0,0.5,0\n10,10,10.5\n");
    Files.writeString(c.resolve(".hidden"), "not,data\n");
    kmeans.train(csv.context(KMEANS));
    assertTwoClusters(csv);

    TestJob libsvm = new TestJob(dir.resolve("libsvm"));
    Path l = libsvm.channel("train", "text/x-libsvm", "Gzip");
    gzip(l.resolve("a.gz"), "1 1:0.5\n0\n# a comment line\n");
    gzip(l.resolve("b.gz"), "1 1:10 2:10 3:10\n2 1:10 2:10.5 3:10\n1 2:0.5\n1 1:10 2:10 3:10.5\n");
    kmeans.train(libsvm.context(KMEANS));
    assertTwoClusters(libsvm);

    TestJob records = new TestJob(dir.resolve("recordio"));
    Path r = records.channel("train", "application/x-recordio-protobuf", "None");
    AmazonRecordEncoder encoder = new AmazonRecordEncoder();
    try (RecordIoWriter w = new RecordIoWriter(Files.newOutputStream(r.resolve("part")))) {
      for (double[] row : new double[][] {{0, 0, 0}, {0.5, 0, 0}, {0, 0.5, 0}}) {
        w.write(encoder.toByteArray(FeatureVector.dense(row)));
      }
      w.write(
          encoder.toByteArray(
              FeatureVector.sparse(3, new int[] {0, 1, 2}, new double[] {10, 10, 10})));
      // sparse without a shape: feature_dim gives the size
      w.write(record(new long[] {0, 1, 2}, new float[] {10, 10.5f, 10}, null));
      w.write(record(new long[] {0, 1, 2}, new float[] {10, 10, 10.5f}, new long[] {3}));
    }
    kmeans.train(records.context(KMEANS));
    assertTwoClusters(records);
    // same data, same hyperparameters: the same model
    assertThat(
        KMeansModel.load(records.modelDir()).centers(),
        equalTo(KMeansModel.load(csv.modelDir()).centers()));
  }

  @Test
  void csvLabelSizeSkipsLeadingLabelColumns() throws Exception {
    TestJob job = new TestJob(dir);
    write(
        job.channel("train", "text/csv;label_size=1", null).resolve("d.csv"),
        "7,0,0,0\n7,0.5,0,0\n7,0,0.5,0\n3,10,10,10\n3,10,10.5,10\n3,10,10,10.5\n");
    kmeans.train(job.context(KMEANS));
    assertTwoClusters(job);
  }

  @Test
  void sameDataTrainsTheSameModelTwice() throws Exception {
    TestJob a = new TestJob(dir.resolve("a"));
    TestJob b = new TestJob(dir.resolve("b"));
    String data = "0,0,0\n0.5,0,0\n0,0.5,0\n10,10,10\n10,10.5,10\n10,10,10.5\n3,3,3\n";
    write(a.channel("train", "text/csv", null).resolve("d.csv"), data);
    write(b.channel("train", "text/csv", null).resolve("d.csv"), data);
    Map<String, String> hp = new HashMap<>(KMEANS);
    hp.put("init_method", "kmeans++");
    hp.put("mini_batch_size", "3");
    kmeans.train(a.context(hp));
    kmeans.train(b.context(hp));
    assertThat(
        KMeansModel.load(a.modelDir()).centers(),
        equalTo(KMeansModel.load(b.modelDir()).centers()));
  }

  @Test
  void pcaWithConstantFeaturesStillGivesOrthonormalComponents() throws Exception {
    // feature 2 never varies; features 1 and 3 vary along (1, 0, 1) mostly
    TestJob job = new TestJob(dir);
    write(
        job.channel("train", "text/csv", null).resolve("d.csv"),
        "0,5,0\n1,5,1\n2,5,2.1\n3,5,2.9\n4,5,4\n");
    pca.train(
        job.context(Map.of("num_components", "3", "feature_dim", "3", "mini_batch_size", "2")));
    PcaModel model = PcaModel.load(job.modelDir());
    double[][] c = model.components();
    assertThat(model.eigenvalues()[0], is(0.0));
    assertThat("the constant feature is the zero-variance component", c[0][1], is(1.0));
    assertThat(Math.abs(c[2][0]), closeTo(Math.sqrt(0.5), 0.01));
    assertThat(Math.abs(c[2][2]), closeTo(Math.sqrt(0.5), 0.01));
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        double dot = c[a][0] * c[b][0] + c[a][1] * c[b][1] + c[a][2] * c[b][2];
        assertThat(dot, closeTo(a == b ? 1 : 0, 1e-9));
      }
    }
    assertThat(model.explainedVarianceRatio(), closeTo(1.0, 1e-9));
  }

  // ---------- bad data: the reason names the file, the row and the problem ----------

  @Test
  void csvWithTooManyColumnsNamesFileLineAndLabelSizeFix() throws Exception {
    String reason = failKMeans("text/csv", null, "data.csv", "1,2,3\n1,2,3,4\n");
    assertThat(reason, containsString("File train/data.csv line 2 (csv)"));
    assertThat(
        reason, containsString("the row has 4 columns; expected 3 feature columns (feature_dim)"));
    assertThat(reason, containsString("text/csv;label_size=1"));
  }

  @Test
  void csvWithTooFewColumns() throws Exception {
    String reason = failKMeans("text/csv", null, "data.csv", "1,2,3\n4,5,6\n7,8\n");
    assertThat(reason, containsString("File train/data.csv line 3 (csv): the row has 2 columns"));
  }

  @Test
  void csvWithANonNumber() throws Exception {
    String reason = failKMeans("text/csv", null, "data.csv", "1,2,3\n4,abc,6\n");
    assertThat(reason, containsString("line 2 (csv): column 2 \"abc\" is not a number"));
  }

  @Test
  void csvWithNaN() throws Exception {
    String reason = failKMeans("text/csv", null, "data.csv", "1,2,3\n4,NaN,6\n");
    assertThat(reason, containsString("line 2 (csv): column 2 is NaN; features must be finite"));
  }

  @Test
  void csvWithBadLabelSize() throws Exception {
    String reason = failKMeans("text/csv;label_size=x", null, "data.csv", "1,2,3\n");
    assertThat(reason, containsString("label_size \"x\" is not a non-negative integer"));
  }

  @Test
  void libsvmIndexZeroIsOutsideTheOneBasedRange() throws Exception {
    String reason = failKMeans("text/libsvm", null, "d.libsvm", "1 1:1 2:2\n0 0:1\n");
    assertThat(
        reason, containsString("File train/d.libsvm line 2 (libsvm): index 0 is outside 1..3"));
  }

  @Test
  void libsvmIndexAboveFeatureDim() throws Exception {
    String reason = failKMeans("libsvm", null, "d.libsvm", "1 1:1 4:2\n");
    assertThat(reason, containsString("line 1 (libsvm): index 4 is outside 1..3"));
    assertThat(reason, containsString("at most feature_dim"));
  }

  @Test
  void libsvmIndicesOutOfOrder() throws Exception {
    String reason = failKMeans("text/libsvm", null, "d.libsvm", "1 2:1 1:2\n");
    assertThat(
        reason,
        containsString("index 1 follows index 2; LibSVM indices must be strictly increasing"));
  }

  @Test
  void libsvmTokenWithoutColon() throws Exception {
    String reason = failKMeans("text/libsvm", null, "d.libsvm", "1 1:1\n1 2\n");
    assertThat(reason, containsString("line 2 (libsvm): token \"2\" is not index:value"));
  }

  @Test
  void libsvmBadValueAndLabel() throws Exception {
    assertThat(
        failKMeans("text/libsvm", null, "d.libsvm", "1 1:x\n"),
        containsString("the value of index 1 \"x\" is not a number"));
    assertThat(
        failKMeans("text/libsvm", null, "e.libsvm", "one 1:1\n"),
        containsString("the label \"one\" is not a number"));
  }

  @Test
  void recordIoWithBrokenFraming() throws Exception {
    byte[] good =
        RecordIoWriter.frame(
            new AmazonRecordEncoder().toByteArray(FeatureVector.dense(new double[] {1, 2, 3})));
    byte[] data = Arrays.copyOf(good, good.length * 2);
    System.arraycopy(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, data, good.length, 8);
    String reason = failKMeans("application/x-recordio-protobuf", null, "part.rec", data);
    assertThat(reason, containsString("File train/part.rec is not valid RecordIO after record 1"));
    assertThat(reason, containsString("magic"));
  }

  @Test
  void recordIoTruncated() throws Exception {
    byte[] good =
        RecordIoWriter.frame(
            new AmazonRecordEncoder().toByteArray(FeatureVector.dense(new double[] {1, 2, 3})));
    String reason =
        failKMeans(
            "application/x-recordio-protobuf",
            null,
            "part.rec",
            Arrays.copyOf(good, good.length - 6));
    assertThat(reason, containsString("File train/part.rec is not valid RecordIO after record 0"));
    assertThat(reason, containsString("truncated"));
  }

  @Test
  void recordIoPayloadThatIsNotAnAmazonRecord() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (RecordIoWriter w = new RecordIoWriter(out)) {
      w.write(new AmazonRecordEncoder().toByteArray(FeatureVector.dense(new double[] {1, 2, 3})));
      w.write(new byte[] {(byte) 0x0A, (byte) 0x7F, 1, 2});
    }
    String reason =
        failKMeans("application/x-recordio-protobuf", null, "part.rec", out.toByteArray());
    assertThat(
        reason,
        containsString(
            "File train/part.rec record 2 (at byte 36) is not an Amazon Record protobuf"));
  }

  @Test
  void recordIoWithWrongFeatureCount() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (RecordIoWriter w = new RecordIoWriter(out)) {
      w.write(
          new AmazonRecordEncoder().toByteArray(FeatureVector.dense(new double[] {1, 2, 3, 4})));
    }
    String reason = failKMeans(null, null, "part.rec", out.toByteArray());
    assertThat(
        reason,
        containsString(
            "record 1 (at byte 0): the row has 4 features (dense values);"
                + " expected feature_dim = 3"));
  }

  @Test
  void recordIoSparseKeyBeyondFeatureDimAndMissingFeatures() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (RecordIoWriter w = new RecordIoWriter(out)) {
      w.write(record(new long[] {1, 7}, new float[] {1, 1}, null));
    }
    assertThat(
        failKMeans(null, null, "a.rec", out.toByteArray()),
        containsString("the row has feature key 7 outside 0..2 (feature_dim = 3)"));
    ByteArrayOutputStream labelOnly = new ByteArrayOutputStream();
    try (RecordIoWriter w = new RecordIoWriter(labelOnly)) {
      w.write(
          AmazonRecordProtos.Record.newBuilder()
              .putLabel("values", value(new float[] {1}))
              .build()
              .toByteArray());
    }
    assertThat(
        failKMeans(null, null, "b.rec", labelOnly.toByteArray()),
        containsString("record 1 (at byte 0): the row has no features[\"values\"] tensor"));
  }

  @Test
  void gzipDeclaredButFileIsPlain() throws Exception {
    String reason = failKMeans("text/csv", "Gzip", "data.csv", "1,2,3\n");
    assertThat(reason, containsString("File train/data.csv is not valid gzip data"));
    assertThat(reason, containsString("CompressionType Gzip"));
  }

  @Test
  void truncatedGzip() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      for (int i = 0; i < 2000; i++) {
        gz.write((i + "," + (i * 7 % 13) + "," + (i % 5) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] bytes = out.toByteArray();
    String reason =
        failKMeans("text/csv", "Gzip", "data.csv.gz", Arrays.copyOf(bytes, bytes.length / 2));
    assertThat(reason, containsString("File train/data.csv.gz ends early (truncated gzip data)"));
  }

  @Test
  void unsupportedContentTypeAndCompression() throws Exception {
    assertThat(
        failKMeans("application/x-parquet", null, "d", "x"),
        containsString(
            "Channel train has ContentType \"application/x-parquet\", which this"
                + " algorithm cannot read; use application/x-recordio-protobuf, text/csv or text/libsvm"));
    assertThat(
        failKMeans("text/csv", "Zip", "e", "1,2,3\n"),
        containsString("Channel train has CompressionType \"Zip\"; use None or Gzip"));
  }

  @Test
  void emptyOrMissingChannel() throws Exception {
    TestJob empty = new TestJob(dir.resolve("empty"));
    empty.channel("train", "text/csv", null);
    assertThat(
        assertThrows(AlgorithmException.class, () -> kmeans.train(empty.context(KMEANS)))
            .getMessage(),
        containsString("Channel train has no data files"));
    TestJob none = new TestJob(dir.resolve("none"));
    none.channel("validation", "text/csv", null);
    assertThat(
        assertThrows(
                AlgorithmException.class,
                () ->
                    pca.train(
                        none.context(
                            Map.of(
                                "num_components",
                                "1",
                                "feature_dim",
                                "3",
                                "mini_batch_size",
                                "10"))))
            .getMessage(),
        containsString("PCA needs a channel named train; the job has [validation]"));
  }

  @Test
  void tooFewRows() throws Exception {
    assertThat(
        failKMeans("text/csv", null, "d.csv", "1,2,3\n"),
        containsString("The train channel has 1 rows, fewer than k = 2"));
    TestJob job = new TestJob(dir.resolve("pca"));
    write(job.channel("train", "text/csv", null).resolve("d.csv"), "1,2,3\n");
    assertThat(
        assertThrows(
                AlgorithmException.class,
                () ->
                    pca.train(
                        job.context(
                            Map.of(
                                "num_components",
                                "1",
                                "feature_dim",
                                "3",
                                "mini_batch_size",
                                "10"))))
            .getMessage(),
        containsString("The train channel has 1 row; PCA needs at least 2 rows"));
  }

  @Test
  void badHyperparametersFailTrainingToo() throws Exception {
    TestJob job = new TestJob(dir);
    write(job.channel("train", "text/csv", null).resolve("d.csv"), "1,2,3\n4,5,6\n");
    assertThat(
        assertThrows(AlgorithmException.class, () -> kmeans.train(job.context(Map.of("k", "2"))))
            .getMessage(),
        containsString("K-Means hyperparameter feature_dim is required but not set"));
  }

  // ---------- helpers ----------

  private String failKMeans(String contentType, String compression, String file, String text)
      throws Exception {
    return failKMeans(contentType, compression, file, text.getBytes(StandardCharsets.UTF_8));
  }

  private String failKMeans(String contentType, String compression, String file, byte[] bytes)
      throws Exception {
    TestJob job = new TestJob(dir.resolve("job-" + file));
    Files.write(job.channel("train", contentType, compression).resolve(file), bytes);
    AlgorithmException e =
        assertThrows(AlgorithmException.class, () -> kmeans.train(job.context(KMEANS)));
    assertThat(Files.exists(job.modelDir().resolve(ModelFile.NAME)), is(false));
    return e.getMessage();
  }

  private static void assertTwoClusters(TestJob job) throws Exception {
    double[][] centers = KMeansModel.load(job.modelDir()).centers();
    Arrays.sort(centers, (a, b) -> Double.compare(a[0], b[0]));
    assertThat(centers[0][0] + centers[0][1] + centers[0][2], closeTo(1.0 / 3, 1e-9));
    assertThat(centers[1][0] + centers[1][1] + centers[1][2], closeTo(30 + 1.0 / 3, 1e-6));
  }

  private static byte[] record(long[] keys, float[] values, long[] shape) {
    AmazonRecordProtos.Float32Tensor.Builder t = AmazonRecordProtos.Float32Tensor.newBuilder();
    for (long k : keys) {
      t.addKeys(k);
    }
    for (float v : values) {
      t.addValues(v);
    }
    if (shape != null) {
      for (long s : shape) {
        t.addShape(s);
      }
    }
    return AmazonRecordProtos.Record.newBuilder()
        .putFeatures("values", AmazonRecordProtos.Value.newBuilder().setFloat32Tensor(t).build())
        .build()
        .toByteArray();
  }

  private static AmazonRecordProtos.Value value(float[] values) {
    AmazonRecordProtos.Float32Tensor.Builder t = AmazonRecordProtos.Float32Tensor.newBuilder();
    for (float v : values) {
      t.addValues(v);
    }
    return AmazonRecordProtos.Value.newBuilder().setFloat32Tensor(t).build();
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text);
  }

  private static void gzip(Path file, String text) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
