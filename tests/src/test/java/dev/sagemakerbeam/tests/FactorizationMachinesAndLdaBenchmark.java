package dev.sagemakerbeam.tests;

import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoWriter;
import dev.sagemakerbeam.io.testing.BarsCorpus;
import dev.sagemakerbeam.io.testing.InteractionData;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext.Channel;
import dev.sagemakerbeam.local.algorithm.builtin.BuiltInAlgorithms;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.classification.FMClassifier;
import org.apache.spark.ml.clustering.LDA;
import org.apache.spark.ml.clustering.LDAModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * SageMaker Local's Factorization Machines beside Spark MLlib's FMClassifier on one-hot pairs whose
 * label only their interaction predicts (8,000 rows, 400 features, 4 factors, 20 epochs or
 * iterations), and SageMaker Local's LDA beside MLlib's LDA (online optimizer, 100 iterations) on
 * the bars corpus (2,000 documents, 10 topics): time and quality of each, best of the repetitions,
 * in one JVM and run on {@code local[2]}. Not a test: run it by hand as LinearLearnerBenchmark's
 * comment shows, with this class's name.
 */
public final class FactorizationMachinesAndLdaBenchmark {
  private FactorizationMachinesAndLdaBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("FactorizationMachinesAndLdaBenchmark")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Path dir = Files.createTempDirectory("fm-lda-bench");
    Map<String, Algorithm> local = BuiltInAlgorithms.all();

    InteractionData train = InteractionData.generate(8000, 200, 1);
    InteractionData test = InteractionData.generate(2000, 200, 2);
    Path fmTrain = write(dir.resolve("fm/train"), train.rows(), train.labels());
    Path fmTest = write(dir.resolve("fm/test"), test.rows(), test.labels());
    Dataset<Row> sparkTrain = frame(spark, train.rows(), train.labels()).cache();
    Dataset<Row> sparkTest = frame(spark, test.rows(), test.labels()).cache();
    sparkTrain.count();
    sparkTest.count();
    Map<String, String> fm = new LinkedHashMap<>();
    fm.put("predictor_type", "binary_classifier");
    fm.put("feature_dim", "400");
    fm.put("num_factors", "4");
    fm.put("epochs", "20");
    fm.put("mini_batch_size", "100");
    fm.put("linear_lr", "0.01");
    fm.put("factors_lr", "0.05");
    fm.put("factors_init_sigma", "0.1");
    double fmLocal = Double.MAX_VALUE;
    double fmMllib = Double.MAX_VALUE;
    double localAccuracy = 0;
    double mllibAccuracy = 0;
    for (int r = 1; r <= repetitions; r++) {
      long start = System.nanoTime();
      Map<String, Double> m =
          local
              .get("factorization-machines")
              .train(job(dir.resolve("fm-job-" + r), fm, fmTrain, fmTest));
      fmLocal = Math.min(fmLocal, (System.nanoTime() - start) / 1e9);
      localAccuracy = m.get("test:binary_classification_accuracy");
      start = System.nanoTime();
      var model =
          new FMClassifier().setFactorSize(4).setMaxIter(20).setStepSize(0.1).fit(sparkTrain);
      fmMllib = Math.min(fmMllib, (System.nanoTime() - start) / 1e9);
      mllibAccuracy =
          model
                  .transform(sparkTest)
                  .filter(functions.col("prediction").equalTo(functions.col("label")))
                  .count()
              / (double) sparkTest.count();
    }
    System.out.printf(
        Locale.ROOT,
        "Factorization Machines, interaction data: Local %.2f s (accuracy %.3f), MLlib FMClassifier"
            + " %.2f s (accuracy %.3f), ratio %.2f%n",
        fmLocal,
        localAccuracy,
        fmMllib,
        mllibAccuracy,
        fmLocal / fmMllib);

    BarsCorpus corpus = BarsCorpus.generate(2000, 100, 1.0, 3);
    Path ldaTrain = write(dir.resolve("lda/train"), corpus.documents(), new double[2000]);
    Dataset<Row> docs = frame(spark, corpus.documents(), new double[2000]).cache();
    docs.count();
    Map<String, String> lda = new LinkedHashMap<>();
    lda.put("num_topics", "10");
    lda.put("feature_dim", "25");
    lda.put("mini_batch_size", "2000");
    lda.put("alpha0", "10");
    lda.put("max_restarts", "3");
    lda.put("max_iterations", "200");
    lda.put("tol", "1e-6");
    double ldaLocal = Double.MAX_VALUE;
    double ldaMllib = Double.MAX_VALUE;
    int localFound = 0;
    int mllibFound = 0;
    for (int r = 1; r <= repetitions; r++) {
      Path root = dir.resolve("lda-job-" + r);
      long start = System.nanoTime();
      local.get("lda").train(job(root, lda, ldaTrain, null));
      ldaLocal = Math.min(ldaLocal, (System.nanoTime() - start) / 1e9);
      localFound = found(topicsOfArtifact(root.resolve("model")));
      start = System.nanoTime();
      LDAModel model =
          new LDA().setK(10).setMaxIter(100).setOptimizer("online").setSeed(r).fit(docs);
      ldaMllib = Math.min(ldaMllib, (System.nanoTime() - start) / 1e9);
      Matrix m = model.topicsMatrix(); // words x topics
      double[][] topics = new double[10][25];
      for (int t = 0; t < 10; t++) {
        double sum = 0;
        for (int w = 0; w < 25; w++) {
          sum += m.apply(w, t);
        }
        for (int w = 0; w < 25; w++) {
          topics[t][w] = m.apply(w, t) / sum;
        }
      }
      mllibFound = found(topics);
    }
    System.out.printf(
        Locale.ROOT,
        "LDA, bars: Local %.2f s (%d of 10 bars recovered at cosine >= 0.9), MLlib LDA (online, 100"
            + " iterations) %.2f s (%d of 10), ratio %.2f%n",
        ldaLocal,
        localFound,
        ldaMllib,
        mllibFound,
        ldaLocal / ldaMllib);
    spark.stop();
  }

  private static int found(double[][] topics) {
    int[] match = BarsCorpus.match(topics, 0.9);
    return (int) java.util.Arrays.stream(match).filter(m -> m >= 0).distinct().count();
  }

  private static double[][] topicsOfArtifact(Path modelDir) throws IOException {
    var root =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(modelDir.resolve("model.json").toFile());
    double[][] out = new double[10][25];
    for (int t = 0; t < 10; t++) {
      for (int w = 0; w < 25; w++) {
        out[t][w] = root.get("topics").get(t).get(w).asDouble();
      }
    }
    return out;
  }

  private static TrainingJobContext job(Path root, Map<String, String> h, Path train, Path test)
      throws IOException {
    Map<String, Channel> channels = new LinkedHashMap<>();
    channels.put("train", new Channel("train", train, "application/x-recordio-protobuf", "None"));
    if (test != null) {
      channels.put("test", new Channel("test", test, "application/x-recordio-protobuf", "None"));
    }
    return new TrainingJobContext(
        root, h, channels, Files.createDirectories(root.resolve("model")), line -> {}, () -> false);
  }

  private static Path write(Path dir, List<FeatureVector> rows, double[] labels)
      throws IOException {
    Files.createDirectories(dir);
    try (OutputStream out = Files.newOutputStream(dir.resolve("data.pbr"));
        RecordIoWriter writer = new RecordIoWriter(out)) {
      AmazonRecordEncoder encoder = new AmazonRecordEncoder();
      for (int i = 0; i < rows.size(); i++) {
        int n = encoder.encode(rows.get(i), labels[i]);
        writer.write(encoder.buffer(), 0, n);
      }
    }
    return dir;
  }

  private static Dataset<Row> frame(SparkSession spark, List<FeatureVector> rows, double[] labels) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      FeatureVector v = rows.get(i);
      out.add(
          RowFactory.create(
              labels[i],
              v.isSparse()
                  ? Vectors.sparse(v.size(), v.indices(), v.values())
                  : Vectors.dense(v.values())));
    }
    return spark.createDataFrame(
        out,
        new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("features", SQLDataTypes.VectorType(), false));
  }
}
