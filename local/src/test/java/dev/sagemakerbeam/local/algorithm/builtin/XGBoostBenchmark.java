package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * SageMaker Local's XGBoost training time on the MNIST sample (7,000 x 784, multi:softmax, 50
 * rounds, max_depth 6, eta 0.3, hist) beside xgboost4j called directly with the same parameters on
 * the same file in the same run (its own LibSVM parser, one train watch as Local evaluates), then
 * the rows per second the hosted model's worker scores. Not a test: run it by hand, for example
 *
 * <pre>
 * mvn -B -q -pl local -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp local/target/test-classes:local/target/classes:io/target/classes:$(cat /tmp/cp.txt) \
 *     dev.sagemakerbeam.local.algorithm.builtin.XGBoostBenchmark [repetitions]
 * </pre>
 */
public final class XGBoostBenchmark {
  private XGBoostBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path dir = Files.createTempDirectory("xgboost-bench");
    Path plain = dir.resolve("mnist-train.libsvm");
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(Mnist.trainFile()))) {
      Files.copy(in, plain);
    }
    Map<String, String> hyperparameters = new LinkedHashMap<>();
    hyperparameters.put("objective", "multi:softmax");
    hyperparameters.put("num_class", "10");
    hyperparameters.put("num_round", "50");
    hyperparameters.put("max_depth", "6");
    hyperparameters.put("eta", "0.3");
    hyperparameters.put("tree_method", "hist");
    Algorithm local = BuiltInAlgorithms.all().get("sagemaker-xgboost");
    double localBest = Double.MAX_VALUE;
    double directBest = Double.MAX_VALUE;
    TestJob last = null;
    for (int r = 1; r <= repetitions; r++) {
      // xgboost4j directly: parse the file, train with a train watch, as Local does
      long start = System.nanoTime();
      DMatrix train = new DMatrix(plain + "?format=libsvm");
      Map<String, Object> params = new HashMap<>(hyperparameters);
      params.remove("num_round");
      Booster b = XGBoost.train(train, params, 50, Map.of("train", train), null, null);
      double direct = (System.nanoTime() - start) / 1e9;
      b.dispose();
      train.dispose();

      TestJob job = new TestJob(dir.resolve("local-" + r));
      Files.copy(plain, job.channel("train", "text/libsvm", "None").resolve("train.libsvm"));
      start = System.nanoTime();
      Map<String, Double> metrics = local.train(job.context(hyperparameters));
      double trained = (System.nanoTime() - start) / 1e9;
      last = job;
      localBest = Math.min(localBest, trained);
      directBest = Math.min(directBest, direct);
      System.out.printf(
          "run %d: SageMaker Local %6.2f s, xgboost4j %6.2f s, ratio %.2f  %s%n",
          r, trained, direct, trained / direct, metrics);
    }
    System.out.printf(
        "best of %d: SageMaker Local %.2f s, xgboost4j %.2f s, ratio %.2f (target <= 1.2)%n",
        repetitions, localBest, directBest, localBest / directBest);

    ModelWorker worker = local.load(last.modelDir(), Map.of());
    byte[] test;
    try (var in =
        new java.util.zip.GZIPInputStream(
            Files.newInputStream(Mnist.dataDir().resolve("mnist-test.libsvm.gz")))) {
      test = in.readAllBytes();
    }
    // the model's features: 0 (unused by 1-based LibSVM, an empty column), then the pixels up to
    // the largest index the training rows used
    int features = ((XGBoostModel) worker).numFeatures();
    StringBuilder lines = new StringBuilder();
    for (dev.sagemakerbeam.io.FeatureVector v : Mnist.test().rows) {
      double[] d = v.toDenseArray();
      for (int j = 0; j < features - 1; j++) {
        lines.append(',').append((int) d[j]);
      }
      lines.append('\n');
    }
    byte[] csv = lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (String[] format : new String[][] {{"text/libsvm", "libsvm"}, {"text/csv", "csv"}}) {
      byte[] body = format[0].equals("text/csv") ? csv : test;
      int rows = 0;
      long start = System.nanoTime();
      while (System.nanoTime() - start < 3e9) {
        worker.invoke(body, format[0], "text/csv");
        rows += 1000;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "scoring %s requests of 1,000 rows: %.0f rows/s%n", format[1], rows / seconds);
    }
    worker.close();
  }
}
