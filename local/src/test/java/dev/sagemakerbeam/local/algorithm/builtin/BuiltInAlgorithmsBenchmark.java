package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Prints how long the built-in algorithms take on the MNIST sample (7000 x 784) and how fast their
 * workers score. Not a test: run it by hand, for example
 *
 * <pre>
 * mvn -B -q -pl local -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp local/target/test-classes:local/target/classes:io/target/classes:$(cat /tmp/cp.txt) \
 *     dev.sagemakerbeam.local.algorithm.builtin.BuiltInAlgorithmsBenchmark
 * </pre>
 */
public final class BuiltInAlgorithmsBenchmark {
  private BuiltInAlgorithmsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path dir = Files.createTempDirectory("builtin-bench");
    Map<String, Algorithm> algorithms = BuiltInAlgorithms.all();
    Map<String, Map<String, String>> runs =
        Map.of(
            "kmeans k=10 epochs=1", Map.of("k", "10", "feature_dim", "784"),
            "kmeans k=10 epochs=3", Map.of("k", "10", "feature_dim", "784", "epochs", "3"),
            "pca 50 regular",
                Map.of("num_components", "50", "feature_dim", "784", "mini_batch_size", "500"),
            "pca 50 randomized",
                Map.of(
                    "num_components",
                    "50",
                    "feature_dim",
                    "784",
                    "mini_batch_size",
                    "500",
                    "algorithm_mode",
                    "randomized"));
    ModelWorker kmeansWorker = null;
    for (Map.Entry<String, Map<String, String>> run : new java.util.TreeMap<>(runs).entrySet()) {
      Algorithm algorithm = algorithms.get(run.getKey().startsWith("kmeans") ? "kmeans" : "pca");
      for (int r = 1; r <= repetitions; r++) {
        TestJob job = new TestJob(dir.resolve(run.getKey().replace(' ', '_') + "-" + r));
        Files.copy(Mnist.trainFile(), job.channel("train", "text/libsvm", "Gzip").resolve("t.gz"));
        long start = System.nanoTime();
        Map<String, Double> metrics = algorithm.train(job.context(run.getValue()));
        System.out.printf(
            "%-22s run %d: %6.2f s  %s%n",
            run.getKey(), r, (System.nanoTime() - start) / 1e9, metrics);
        if (run.getKey().startsWith("kmeans") && kmeansWorker == null) {
          kmeansWorker = algorithm.load(job.modelDir(), Map.of());
        }
      }
    }
    Mnist test = Mnist.test();
    byte[] protobuf = test.recordIo(false);
    byte[] csv = test.csv(0, test.rows.size()).getBytes(StandardCharsets.UTF_8);
    for (String[] format :
        new String[][] {
          {"application/x-recordio-protobuf", "application/x-recordio-protobuf"},
          {"text/csv", "application/json"}
        }) {
      byte[] body = format[0].equals("text/csv") ? csv : protobuf;
      for (int warm = 0; warm < 20; warm++) {
        kmeansWorker.invoke(body, format[0], format[1]);
      }
      int requests = 100;
      long start = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        kmeansWorker.invoke(body, format[0], format[1]);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "kmeans invoke %s -> %s: %.0f rows/s (%.1f ms per 1000-row request)%n",
          format[0], format[1], requests * test.rows.size() / seconds, 1000 * seconds / requests);
    }
  }
}
