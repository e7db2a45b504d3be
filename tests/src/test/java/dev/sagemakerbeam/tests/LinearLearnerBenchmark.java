package dev.sagemakerbeam.tests;

import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoWriter;
import dev.sagemakerbeam.io.testing.MnistSample;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext.Channel;
import dev.sagemakerbeam.transforms.serde.ScoredPrediction;
import dev.sagemakerbeam.transforms.serde.ScoredProtobufResponseDeserializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * SageMaker Local's Linear Learner (multiclass_classifier, SageMaker's defaults: 4 models in
 * parallel, 15 epochs of 1,000-row mini-batches, Adam) on the MNIST sample (7,000 x 784) beside
 * Spark MLlib's multinomial LogisticRegression (regParam 0.001, maxIter 100, the setting of
 * data/mnist/README.md) on the same rows, in the same JVM and run, on {@code local[2]}; both
 * accuracies on the 1,000 test digits; then the rows per second the hosted model's worker scores
 * from 1,000-row RecordIO-protobuf requests. Not a test: run it by hand, for example
 *
 * <pre>
 * mvn -B -q -pl tests -am install -DskipTests
 * mvn -B -q -pl tests test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * OPENS=$(sed -n 's:.*&lt;spark.java17.opens&gt;\(.*\)&lt;/spark.java17.opens&gt;.*:\1:p' pom.xml)
 * java $OPENS -cp tests/target/test-classes:$(cat /tmp/cp.txt) \
 *     dev.sagemakerbeam.tests.LinearLearnerBenchmark [repetitions]
 * </pre>
 */
public final class LinearLearnerBenchmark {
  private LinearLearnerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    MnistSample train = MnistSample.train();
    MnistSample test = MnistSample.test();
    Path dir = Files.createTempDirectory("linear-learner-bench");
    Path trainDir = Files.createDirectories(dir.resolve("input/data/train"));
    write(trainDir.resolve("train.pbr"), train.rows(), train.labels());
    Algorithm ll =
        dev.sagemakerbeam.local.algorithm.builtin.BuiltInAlgorithms.all().get("linear-learner");
    Map<String, String> h = new LinkedHashMap<>();
    h.put("predictor_type", "multiclass_classifier");
    h.put("feature_dim", "784");
    h.put("num_classes", "10");

    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("LinearLearnerBenchmark")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Dataset<Row> sparkTrain = libsvm(spark, "mnist-train.libsvm.gz").cache();
    Dataset<Row> sparkTest = libsvm(spark, "mnist-test.libsvm.gz").cache();
    sparkTrain.count();
    sparkTest.count();

    double localBest = Double.MAX_VALUE;
    double mllibBest = Double.MAX_VALUE;
    double localAccuracy = 0;
    double mllibAccuracy = 0;
    Path lastModel = null;
    for (int r = 1; r <= repetitions; r++) {
      long start = System.nanoTime();
      LogisticRegressionModel lr =
          new LogisticRegression()
              .setFamily("multinomial")
              .setRegParam(0.001)
              .setMaxIter(100)
              .fit(sparkTrain);
      double mllib = (System.nanoTime() - start) / 1e9;
      mllibAccuracy =
          lr.transform(sparkTest)
                  .filter(functions.col("prediction").equalTo(functions.col("label")))
                  .count()
              / (double) sparkTest.count();

      Path root = dir.resolve("job-" + r);
      Path model = Files.createDirectories(root.resolve("model"));
      TrainingJobContext job =
          new TrainingJobContext(
              root,
              h,
              Map.of(
                  "train",
                  new Channel("train", trainDir, "application/x-recordio-protobuf", "None")),
              model,
              line -> {},
              () -> false);
      start = System.nanoTime();
      ll.train(job);
      double local = (System.nanoTime() - start) / 1e9;
      localBest = Math.min(localBest, local);
      mllibBest = Math.min(mllibBest, mllib);
      lastModel = model;
      System.out.printf(
          Locale.ROOT,
          "run %d: Local Linear Learner %.2f s, MLlib LogisticRegression %.2f s (ratio %.2f)%n",
          r,
          local,
          mllib,
          local / mllib);
    }
    byte[] request = request(test.rows());
    try (ModelWorker worker = ll.load(lastModel, Map.of())) {
      ModelWorker.Invocation answer =
          worker.invoke(
              request, "application/x-recordio-protobuf", "application/x-recordio-protobuf");
      localAccuracy = accuracy(answer.body(), test.labels());
      int requests = 0;
      long start = System.nanoTime();
      while (System.nanoTime() - start < 3_000_000_000L) {
        worker.invoke(request, "application/x-recordio-protobuf", "application/json");
        requests++;
      }
      double rowsPerSecond = requests * test.size() / ((System.nanoTime() - start) / 1e9);
      System.out.printf(
          Locale.ROOT,
          "best of %d: Local %.2f s, MLlib %.2f s, ratio %.2f; accuracy Local %.3f, MLlib %.3f;"
              + " worker scores %.0f rows/s (1,000-row protobuf requests, JSON answers)%n",
          repetitions,
          localBest,
          mllibBest,
          localBest / mllibBest,
          localAccuracy,
          mllibAccuracy,
          rowsPerSecond);
    }
    spark.stop();
  }

  private static Dataset<Row> libsvm(SparkSession spark, String file) {
    return spark
        .read()
        .format("libsvm")
        .option("numFeatures", "784")
        .load(MnistSample.dataDirectory().resolve(file).toString());
  }

  private static void write(Path file, List<FeatureVector> rows, int[] labels) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        RecordIoWriter writer = new RecordIoWriter(out)) {
      AmazonRecordEncoder encoder = new AmazonRecordEncoder();
      for (int i = 0; i < rows.size(); i++) {
        int n = encoder.encode(rows.get(i), labels[i]);
        writer.write(encoder.buffer(), 0, n);
      }
    }
  }

  private static byte[] request(List<FeatureVector> rows) throws IOException {
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

  /** The share of protobuf answers whose predicted_label is the digit. */
  private static double accuracy(byte[] body, int[] labels) {
    List<ScoredPrediction> predictions = new ScoredProtobufResponseDeserializer().deserialize(body);
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      right += predictions.get(i).predictedLabel() == labels[i] ? 1 : 0;
    }
    return (double) right / labels.length;
  }
}
