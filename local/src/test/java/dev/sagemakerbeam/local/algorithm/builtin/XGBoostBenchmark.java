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
    throughTheRuntime(last.modelDir(), test);
  }

  /**
   * Hosts the model on a SageMaker Local endpoint and scores 1,000-row LibSVM requests through the
   * real SageMakerRuntimeClient from 4 threads for 10 s.
   */
  private static void throughTheRuntime(Path modelDir, byte[] body) throws Exception {
    Path dataDir = Files.createTempDirectory("xgboost-bench-local");
    Path archive = dataDir.resolve("model.tar.gz");
    dev.sagemakerbeam.local.training.ModelArchive.pack(modelDir, archive);
    try (dev.sagemakerbeam.local.SageMakerLocal local =
            dev.sagemakerbeam.local.SageMakerLocal.builder().dataDirectory(dataDir).build();
        dev.sagemakerbeam.local.LocalClients clients =
            new dev.sagemakerbeam.local.LocalClients(local)) {
      clients.s3.createBucket(r -> r.bucket("bench"));
      clients.s3.putObject(
          r -> r.bucket("bench").key("model.tar.gz"),
          software.amazon.awssdk.core.sync.RequestBody.fromFile(archive));
      String role = "arn:aws:iam::" + dev.sagemakerbeam.local.SageMakerLocal.ACCOUNT_ID + ":role/R";
      clients.sageMaker.createModel(
          r ->
              r.modelName("xgb")
                  .executionRoleArn(role)
                  .primaryContainer(
                      c ->
                          c.image("sagemaker-xgboost:1.7-1")
                              .modelDataUrl("s3://bench/model.tar.gz")));
      clients.sageMaker.createEndpointConfig(
          r ->
              r.endpointConfigName("xgb")
                  .productionVariants(
                      v ->
                          v.variantName("AllTraffic")
                              .modelName("xgb")
                              .instanceType("ml.m5.large")
                              .initialInstanceCount(1)));
      clients.sageMaker.createEndpoint(r -> r.endpointName("xgb").endpointConfigName("xgb"));
      while (!clients
          .sageMaker
          .describeEndpoint(r -> r.endpointName("xgb"))
          .endpointStatusAsString()
          .equals("InService")) {
        Thread.sleep(100);
      }
      software.amazon.awssdk.core.SdkBytes request =
          software.amazon.awssdk.core.SdkBytes.fromByteArray(body);
      java.util.concurrent.atomic.AtomicLong rows = new java.util.concurrent.atomic.AtomicLong();
      long end = System.nanoTime() + 10_000_000_000L;
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(4);
      long start = System.nanoTime();
      for (int t = 0; t < 4; t++) {
        pool.submit(
            () -> {
              while (System.nanoTime() < end) {
                clients.runtime.invokeEndpoint(
                    r ->
                        r.endpointName("xgb")
                            .contentType("text/libsvm")
                            .accept("text/csv")
                            .body(request));
                rows.addAndGet(1000);
              }
              return null;
            });
      }
      pool.shutdown();
      pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
      System.out.printf(
          "scoring libsvm through the runtime (4 clients, 1,000-row requests): %.0f rows/s%n",
          rows.get() / ((System.nanoTime() - start) / 1e9));
      clients.sageMaker.deleteEndpoint(r -> r.endpointName("xgb"));
    }
  }
}
