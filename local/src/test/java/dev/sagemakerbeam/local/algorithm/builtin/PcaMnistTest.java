package dev.sagemakerbeam.local.algorithm.builtin;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PCA on the MNIST sample against an exact answer computed here from the full covariance matrix.
 */
class PcaMnistTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int COMPONENTS = 50;

  @TempDir static Path dir;
  static Mnist train;
  static Algorithm pca;

  /**
   * Exact: share of variance of the top 50 principal components, and all eigenvalues (descending).
   */
  static double exactRatio;

  static double[] exactEigenvalues;
  static double[] trainMean;

  @BeforeAll
  static void exactDecomposition() {
    train = Mnist.train();
    pca = BuiltInAlgorithms.all().get("pca");
    int n = train.rows.size();
    int d = Mnist.FEATURES;
    // columns of the centred data, then their inner products: the covariance, straightforwardly
    double[][] columns = new double[d][n];
    for (int i = 0; i < n; i++) {
      double[] x = train.rows.get(i).toDenseArray();
      for (int j = 0; j < d; j++) {
        columns[j][i] = x[j];
      }
    }
    trainMean = new double[d];
    for (int j = 0; j < d; j++) {
      double mean = Arrays.stream(columns[j]).sum() / n;
      trainMean[j] = mean;
      for (int i = 0; i < n; i++) {
        columns[j][i] -= mean;
      }
    }
    double[][] covariance = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        double s = 0;
        double[] ca = columns[a];
        double[] cb = columns[b];
        for (int i = 0; i < n; i++) {
          s += ca[i] * cb[i];
        }
        covariance[a][b] = s / (n - 1);
        covariance[b][a] = s / (n - 1);
      }
    }
    long t0 = System.nanoTime();
    double[] eigenvalues =
        new EigenDecomposition(new Array2DRowRealMatrix(covariance, false))
            .getRealEigenvalues()
            .clone();
    Arrays.sort(eigenvalues);
    exactEigenvalues = new double[d];
    for (int i = 0; i < d; i++) {
      exactEigenvalues[i] = eigenvalues[d - 1 - i];
    }
    double total = Arrays.stream(exactEigenvalues).sum();
    double top = Arrays.stream(exactEigenvalues, 0, COMPONENTS).sum();
    exactRatio = top / total;
    System.out.printf(
        "PCA MNIST exact: top %d components explain %.4f of the variance"
            + " (eigen decomposition %.1f s)%n",
        COMPONENTS, exactRatio, (System.nanoTime() - t0) / 1e9);
  }

  @Test
  void regularModeMatchesTheExactDecompositionAndProjects() throws Exception {
    TestJob job = new TestJob(dir.resolve("regular"));
    Files.copy(Mnist.trainFile(), job.channel("train", "text/libsvm", "Gzip").resolve("t.gz"));
    Map<String, Double> metrics =
        pca.train(
            job.context(
                Map.of("num_components", "50", "feature_dim", "784", "mini_batch_size", "500")));
    PcaModel model = PcaModel.load(job.modelDir());
    double captured = capturedVarianceRatio(model);
    System.out.println(String.join("\n", job.log));
    System.out.printf(
        "PCA regular: model captures %.4f (exact %.4f), reports %.4f%n",
        captured, exactRatio, metrics.get("train:explained_variance_ratio"));
    assertThat(captured, closeTo(exactRatio, 0.01 * exactRatio));
    assertThat(metrics.get("train:explained_variance_ratio"), closeTo(exactRatio, 1e-6));
    assertOrthonormal(model.components());
    // increasing variance, as SageMaker orders components; the last is the first principal one
    double[] eigenvalues = model.eigenvalues();
    for (int j = 0; j < COMPONENTS; j++) {
      assertThat(
          eigenvalues[j],
          closeTo(exactEigenvalues[COMPONENTS - 1 - j], 1e-6 * exactEigenvalues[0]));
    }
    for (int j = 0; j < Mnist.FEATURES; j++) {
      assertThat(model.mean()[j], closeTo(trainMean[j], 1e-9));
    }
    assertProjections(pca.load(job.modelDir(), Map.of()), model);
  }

  @Test
  void randomizedModeIsCloseToExact() throws Exception {
    TestJob job = new TestJob(dir.resolve("randomized"));
    Path channel = job.channel("train", "application/x-recordio-protobuf", null);
    try (OutputStream out = Files.newOutputStream(channel.resolve("train.rec"))) {
      train.writeRecordIo(out, true, train.rows.size());
    }
    Map<String, Double> metrics =
        pca.train(
            job.context(
                Map.of(
                    "num_components",
                    "50",
                    "feature_dim",
                    "784",
                    "mini_batch_size",
                    "500",
                    "algorithm_mode",
                    "randomized")));
    PcaModel model = PcaModel.load(job.modelDir());
    double captured = capturedVarianceRatio(model);
    System.out.println(String.join("\n", job.log));
    System.out.printf(
        "PCA randomized: model captures %.4f (exact %.4f), reports %.4f%n",
        captured, exactRatio, metrics.get("train:explained_variance_ratio"));
    assertThat(captured, closeTo(exactRatio, 0.01 * exactRatio));
    assertThat(captured, lessThanOrEqualTo(exactRatio + 1e-9)); // nothing beats the exact answer
    assertThat(metrics.get("train:explained_variance_ratio"), closeTo(captured, 0.001));
    assertOrthonormal(model.components());
    // the first principal component is found accurately
    assertThat(
        model.eigenvalues()[COMPONENTS - 1],
        closeTo(exactEigenvalues[0], 1e-3 * exactEigenvalues[0]));
  }

  @Test
  void withoutMeanSubtractionProjectsRawRows() throws Exception {
    TestJob job = new TestJob(dir.resolve("nomean"));
    Files.copy(Mnist.trainFile(), job.channel("train", "libsvm", "Gzip").resolve("t.gz"));
    pca.train(
        job.context(
            Map.of(
                "num_components",
                "5",
                "feature_dim",
                "784",
                "mini_batch_size",
                "1000",
                "subtract_mean",
                "False")));
    PcaModel model = PcaModel.load(job.modelDir());
    assertThat(Arrays.stream(model.mean()).allMatch(m -> m == 0), is(true));
    assertOrthonormal(model.components());
    // uncentred, the top direction is close to the mean image
    double[] top = model.components()[4];
    double cos = dot(top, trainMean) / Math.sqrt(dot(trainMean, trainMean));
    assertThat(Math.abs(cos), greaterThanOrEqualTo(0.9));
    assertProjections(pca.load(job.modelDir(), Map.of()), model);
  }

  @Test
  void stopRequestEndsTrainingWithoutAModel() throws Exception {
    TestJob job = new TestJob(dir.resolve("stop"));
    Files.copy(Mnist.trainFile(), job.channel("train", "text/libsvm", "Gzip").resolve("t.gz"));
    AtomicInteger checks = new AtomicInteger();
    assertThrows(
        TrainingStoppedException.class,
        () ->
            pca.train(
                job.context(
                    Map.of(
                        "num_components",
                        "50",
                        "feature_dim",
                        "784",
                        "mini_batch_size",
                        "100",
                        "algorithm_mode",
                        "randomized"),
                    () -> checks.incrementAndGet() > 2)));
    assertThat(checks.get(), is(3));
    assertThat(Files.exists(job.modelDir().resolve(ModelFile.NAME)), is(false));
  }

  /** Projections in protobuf, JSON and CSV agree with (x - mean) . component computed here. */
  private static void assertProjections(ModelWorker worker, PcaModel model) throws Exception {
    Mnist test = Mnist.test();
    int n = 10;
    java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
    test.writeRecordIo(request, false, n);
    List<AmazonRecord> records =
        KMeansMnistTest.records(
            worker
                .invoke(
                    request.toByteArray(),
                    "application/x-recordio-protobuf",
                    "application/x-recordio-protobuf")
                .body());
    StringBuilder json = new StringBuilder("{\"instances\":[");
    for (int i = 0; i < n; i++) {
      json.append(i > 0 ? "," : "")
          .append("{\"features\":")
          .append(JSON.writeValueAsString(test.rows.get(i).toDenseArray()))
          .append('}');
    }
    JsonNode fromJson =
        JSON.readTree(
                worker
                    .invoke(
                        json.append("]}").toString().getBytes(StandardCharsets.UTF_8),
                        "application/json",
                        "application/json")
                    .body())
            .get("projections");
    JsonNode fromCsv =
        JSON.readTree(
                worker
                    .invoke(
                        test.csv(0, n).getBytes(StandardCharsets.UTF_8),
                        "text/csv",
                        "application/json")
                    .body())
            .get("projections");
    assertThat(records.size(), is(n));
    assertThat(fromJson.size(), is(n));
    double[][] components = model.components();
    for (int i = 0; i < n; i++) {
      double[] x = test.rows.get(i).toDenseArray();
      double[] projection = records.get(i).label("projection").values();
      assertThat(projection.length, is(components.length));
      assertThat(fromJson.get(i).get("projection").size(), is(components.length));
      for (int j = 0; j < components.length; j++) {
        double expected = 0;
        for (int f = 0; f < x.length; f++) {
          expected += (x[f] - model.mean()[f]) * components[j][f];
        }
        double tolerance = 1e-3 + 1e-5 * Math.abs(expected);
        assertThat(projection[j], closeTo(expected, tolerance));
        assertThat(
            fromJson.get(i).get("projection").get(j).doubleValue(), closeTo(expected, tolerance));
        assertThat(
            fromCsv.get(i).get("projection").get(j).doubleValue(), closeTo(expected, tolerance));
      }
    }
  }

  /** Variance of the training rows along the model's components over their total variance. */
  private static double capturedVarianceRatio(PcaModel model) {
    double[][] components = model.components();
    double captured = 0;
    double total = 0;
    for (FeatureVector row : train.rows) {
      double[] x = row.toDenseArray();
      for (int f = 0; f < x.length; f++) {
        x[f] -= trainMean[f];
        total += x[f] * x[f];
      }
      for (double[] c : components) {
        double p = dot(x, c);
        captured += p * p;
      }
    }
    return captured / total;
  }

  private static void assertOrthonormal(double[][] components) {
    for (int a = 0; a < components.length; a++) {
      for (int b = a; b < components.length; b++) {
        assertThat(dot(components[a], components[b]), closeTo(a == b ? 1 : 0, 1e-6));
      }
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
