package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext.Channel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * SageMaker's PCA, in its two modes ("How PCA Works"):
 *
 * <ul>
 *   <li>{@code regular}: one pass accumulates {@code sum x^T x} and {@code sum x}; the covariance
 *       {@code (sum x^T x - n mean^T mean) / (n - 1)} is decomposed exactly (commons-math symmetric
 *       eigen decomposition) and its top {@code num_components} eigenvectors are the model. Needs
 *       feature_dim^2 doubles, so it is for moderate feature_dim.
 *   <li>{@code randomized}: a randomized range finder (Halko, Martinsson and Tropp, 2011) that
 *       streams the data: pass 1 sums a Gaussian sketch {@code G^T X} of {@code num_components +
 *       extra_components} columns (mini-batch by mini-batch, as SageMaker describes), pass 2 is one
 *       power iteration {@code C Q}, pass 3 projects the covariance on the refined basis ({@code
 *       Q^T C Q}, small) and decomposes that exactly. Memory is feature_dim times the sketch size.
 * </ul>
 *
 * With {@code subtract_mean=false} the mean is neither subtracted in training nor at inference.
 * Randomness comes from a fixed seed. Training checks for a stop every mini-batch and ends with a
 * {@link TrainingStoppedException}.
 */
public final class PcaAlgorithm implements Algorithm {
  static final long SEED = 20171129L;

  /** Largest feature_dim^2 regular mode accepts (512 MB of doubles). */
  private static final long MAX_REGULAR_CELLS = 1L << 26;

  @Override
  public void validateHyperparameters(Map<String, String> hyperparameters)
      throws AlgorithmException {
    PcaConfig.parse(hyperparameters);
  }

  @Override
  public Map<String, Double> train(TrainingJobContext job)
      throws AlgorithmException, InterruptedException {
    PcaConfig config = PcaConfig.parse(job.hyperparameters());
    Channel trainChannel = job.channels().get("train");
    if (trainChannel == null) {
      throw new AlgorithmException(
          "PCA needs a channel named train; the job has " + job.channels().keySet());
    }
    TrainingDataReader train = TrainingDataReader.open(trainChannel, config.featureDim());
    long started = System.nanoTime();
    PcaModel model =
        config.randomized() ? randomized(config, train, job) : regular(config, train, job);
    model.save(job.modelDir());
    double ratio = model.explainedVarianceRatio();
    job.log()
        .accept(
            String.format(
                Locale.ROOT,
                "PCA (%s) done in %.1f s: %d of %d components explain %.4f of the variance",
                config.randomized() ? "randomized" : "regular",
                (System.nanoTime() - started) / 1e9,
                config.numComponents(),
                config.featureDim(),
                ratio));
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("train:explained_variance_ratio", ratio);
    metrics.put("train:progress", 100.0);
    return metrics;
  }

  @Override
  public ModelWorker load(Path modelDir, Map<String, String> environment)
      throws AlgorithmException {
    return PcaModel.load(modelDir);
  }

  private static PcaModel regular(
      PcaConfig config, TrainingDataReader train, TrainingJobContext job)
      throws AlgorithmException, InterruptedException {
    int d = config.featureDim();
    if ((long) d * d > MAX_REGULAR_CELLS) {
      throw new AlgorithmException(
          "feature_dim "
              + d
              + " is too large for algorithm_mode=regular, which keeps a"
              + " feature_dim x feature_dim matrix; use algorithm_mode=randomized");
    }
    long started = System.nanoTime();
    double[] scatter = new double[d * d]; // upper triangle of sum x^T x, row-major
    double[] sum = new double[d];
    int[] nzIndex = new int[d];
    double[] nzValue = new double[d];
    long[] count = new long[1];
    train.forEachRow(
        x -> {
          int nnz = nonZeros(x, nzIndex, nzValue);
          for (int a = 0; a < nnz; a++) {
            int base = nzIndex[a] * d;
            double va = nzValue[a];
            sum[nzIndex[a]] += va;
            for (int b = a; b < nnz; b++) {
              scatter[base + nzIndex[b]] += va * nzValue[b];
            }
          }
          if (++count[0] % config.miniBatchSize() == 0) {
            KMeansAlgorithm.checkStop(job, "accumulating the covariance");
          }
        });
    long n = count[0];
    requireRows(n);
    job.log()
        .accept(
            String.format(
                Locale.ROOT,
                "PCA (regular): accumulated %d rows in %.1f s; decomposing the %d x %d covariance",
                n,
                (System.nanoTime() - started) / 1e9,
                d,
                d));
    double[] mean = mean(sum, n, config.subtractMean());
    // Features that never vary (MNIST's border pixels) have zero rows and columns in the
    // covariance: they are eigenvectors of eigenvalue 0 already. Decomposing only the others is
    // exact and, the decomposition being cubic, markedly faster.
    double[] diagonal = new double[d];
    double totalVariance = 0;
    for (int a = 0; a < d; a++) {
      diagonal[a] = (scatter[a * d + a] - n * mean[a] * mean[a]) / (n - 1);
      totalVariance += diagonal[a];
    }
    int[] active = IntStream.range(0, d).filter(a -> diagonal[a] > 0).toArray();
    int m = Math.max(1, active.length);
    if (active.length == 0) {
      active = new int[] {0};
    }
    double[][] covariance = new double[m][m];
    for (int i = 0; i < m; i++) {
      int a = active[i];
      for (int j = i; j < m; j++) {
        int b = active[j];
        double v = (scatter[a * d + b] - n * mean[a] * mean[b]) / (n - 1);
        covariance[i][j] = v;
        covariance[j][i] = v;
      }
    }
    KMeansAlgorithm.checkStop(job, "the eigen decomposition");
    long decomposing = System.nanoTime();
    EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(covariance, false));
    job.log()
        .accept(
            String.format(
                Locale.ROOT,
                "PCA (regular): decomposed the covariance of the %d varying features in %.1f s",
                m,
                (System.nanoTime() - decomposing) / 1e9));
    return topComponents(config, eigen, null, active, mean, totalVariance);
  }

  private static PcaModel randomized(
      PcaConfig config, TrainingDataReader train, TrainingJobContext job)
      throws AlgorithmException, InterruptedException {
    int d = config.featureDim();
    int l = config.sketchSize();
    Random random = new Random(SEED);
    // pass 1: sketch^T = X^T G (d x l), one Gaussian row of G per data row
    double[][] sketch = new double[d][l];
    double[] gaussianSum = new double[l];
    double[] sum = new double[d];
    double[] g = new double[l];
    double[] squaredNormSum = new double[1];
    long[] count = new long[1];
    train.forEachRow(
        x -> {
          for (int r = 0; r < l; r++) {
            g[r] = random.nextGaussian();
            gaussianSum[r] += g[r];
          }
          forEachValue(
              x,
              (i, v) -> {
                sum[i] += v;
                squaredNormSum[0] += v * v;
                double[] row = sketch[i];
                for (int r = 0; r < l; r++) {
                  row[r] += v * g[r];
                }
              });
          if (++count[0] % config.miniBatchSize() == 0) {
            KMeansAlgorithm.checkStop(job, "the randomized sketch");
          }
        });
    long n = count[0];
    requireRows(n);
    double[] mean = mean(sum, n, config.subtractMean());
    // centring: (X - 1 mean)^T G = X^T G - mean (1^T G)
    for (int i = 0; i < d; i++) {
      for (int r = 0; r < l; r++) {
        sketch[i][r] -= mean[i] * gaussianSum[r];
      }
    }
    double meanSquaredNorm = 0;
    for (double m : mean) {
      meanSquaredNorm += m * m;
    }
    double totalVariance = (squaredNormSum[0] - n * meanSquaredNorm) / (n - 1);
    double[][] basis = orthonormalColumns(sketch, l);
    job.log().accept("PCA (randomized): sketched " + n + " rows into " + l + " columns");

    // pass 2: one power iteration sharpens the basis towards the top of the spectrum
    double[][] product = covarianceTimes(basis, mean, n, config, train, job);
    basis = orthonormalColumns(product, l);
    job.log().accept("PCA (randomized): power iteration done");

    // pass 3: Rayleigh-Ritz on the refined basis, B = Q^T C Q (l x l)
    product = covarianceTimes(basis, mean, n, config, train, job);
    double[][] small = new double[l][l];
    for (int i = 0; i < d; i++) {
      double[] q = basis[i];
      double[] y = product[i];
      for (int a = 0; a < l; a++) {
        double qa = q[a];
        for (int b = 0; b < l; b++) {
          small[a][b] += qa * y[b];
        }
      }
    }
    for (int a = 0; a < l; a++) { // symmetrise away rounding
      for (int b = a + 1; b < l; b++) {
        double v = 0.5 * (small[a][b] + small[b][a]);
        small[a][b] = v;
        small[b][a] = v;
      }
    }
    EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(small, false));
    return topComponents(config, eigen, basis, null, mean, totalVariance);
  }

  /** {@code C Q} (d x l) for the covariance C of the data, in one pass. */
  private static double[][] covarianceTimes(
      double[][] basis,
      double[] mean,
      long n,
      PcaConfig config,
      TrainingDataReader train,
      TrainingJobContext job)
      throws AlgorithmException, InterruptedException {
    int d = basis.length;
    int l = basis[0].length;
    double[][] product = new double[d][l];
    double[] t = new double[l];
    long[] count = new long[1];
    train.forEachRow(
        x -> {
          Arrays.fill(t, 0);
          forEachValue(
              x,
              (i, v) -> {
                double[] q = basis[i];
                for (int r = 0; r < l; r++) {
                  t[r] += v * q[r];
                }
              });
          forEachValue(
              x,
              (i, v) -> {
                double[] y = product[i];
                for (int r = 0; r < l; r++) {
                  y[r] += v * t[r];
                }
              });
          if (++count[0] % config.miniBatchSize() == 0) {
            KMeansAlgorithm.checkStop(job, "a randomized PCA pass");
          }
        });
    if (count[0] != n) {
      throw new AlgorithmException(
          "The train channel changed during training: "
              + n
              + " rows in the first pass, "
              + count[0]
              + " in a later one");
    }
    // centring: (X^T X - n mean mean^T) Q / (n - 1)
    double[] meanBasis = new double[l];
    for (int i = 0; i < d; i++) {
      for (int r = 0; r < l; r++) {
        meanBasis[r] += mean[i] * basis[i][r];
      }
    }
    for (int i = 0; i < d; i++) {
      for (int r = 0; r < l; r++) {
        product[i][r] = (product[i][r] - n * mean[i] * meanBasis[r]) / (n - 1);
      }
    }
    return product;
  }

  /** An orthonormal basis (d x l) of the column space of {@code m} (d x l), by QR. */
  private static double[][] orthonormalColumns(double[][] m, int l) {
    RealMatrix q = new QRDecomposition(new Array2DRowRealMatrix(m, false)).getQ();
    return q.getSubMatrix(0, m.length - 1, 0, l - 1).getData();
  }

  /**
   * The top num_components eigenpairs as a model, ordered by increasing eigenvalue. Eigenvectors
   * are mapped through {@code basis} (d x l) when the decomposition was of a projected matrix, or
   * spread over the {@code active} features when it was of their sub-matrix; when there are fewer
   * of those than components, unit vectors of constant features (eigenvalue 0) fill in.
   */
  private static PcaModel topComponents(
      PcaConfig config,
      EigenDecomposition eigen,
      double[][] basis,
      int[] active,
      double[] mean,
      double totalVariance) {
    double[] values = eigen.getRealEigenvalues();
    Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> values[i]).reversed());
    int nc = config.numComponents();
    int d = config.featureDim();
    double[][] components = new double[nc][];
    double[] eigenvalues = new double[nc];
    boolean[] used = new boolean[d];
    if (active != null) {
      for (int a : active) {
        used[a] = true;
      }
    }
    int nextUnused = 0;
    for (int j = 0; j < nc; j++) {
      int rank = nc - 1 - j; // increasing variance, as SageMaker orders them
      if (rank >= values.length) {
        while (used[nextUnused]) {
          nextUnused++;
        }
        used[nextUnused] = true;
        components[j] = new double[d];
        components[j][nextUnused] = 1;
        eigenvalues[j] = 0;
        continue;
      }
      int source = order[rank];
      double[] v = eigen.getEigenvector(source).toArray();
      double[] component;
      if (basis == null && active == null) {
        component = v;
      } else if (basis == null) {
        component = new double[d];
        for (int i = 0; i < active.length; i++) {
          component[active[i]] = v[i];
        }
      } else {
        component = new double[d];
        for (int i = 0; i < d; i++) {
          double s = 0;
          for (int r = 0; r < v.length; r++) {
            s += basis[i][r] * v[r];
          }
          component[i] = s;
        }
      }
      components[j] = normalizeSign(component);
      eigenvalues[j] = Math.max(0, values[source]);
    }
    return new PcaModel(d, config.subtractMean(), mean, components, eigenvalues, totalVariance);
  }

  /** Eigenvectors have no sign; fix one (largest entry positive) so models are reproducible. */
  private static double[] normalizeSign(double[] v) {
    int largest = 0;
    for (int i = 1; i < v.length; i++) {
      if (Math.abs(v[i]) > Math.abs(v[largest])) {
        largest = i;
      }
    }
    if (v[largest] < 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = -v[i];
      }
    }
    return v;
  }

  private static double[] mean(double[] sum, long n, boolean subtractMean) {
    double[] mean = new double[sum.length];
    if (subtractMean) {
      for (int i = 0; i < sum.length; i++) {
        mean[i] = sum[i] / n;
      }
    }
    return mean;
  }

  private static void requireRows(long n) throws AlgorithmException {
    if (n < 2) {
      throw new AlgorithmException(
          "The train channel has "
              + n
              + " row"
              + (n == 1 ? "" : "s")
              + "; PCA needs at least 2 rows");
    }
  }

  /** The non-zero entries of {@code x}, by increasing index; returns their number. */
  private static int nonZeros(FeatureVector x, int[] index, double[] value) {
    double[] values = x.values();
    int[] indices = x.indices();
    int n = 0;
    for (int i = 0; i < values.length; i++) {
      if (values[i] != 0) {
        index[n] = indices == null ? i : indices[i];
        value[n] = values[i];
        n++;
      }
    }
    return n;
  }

  private interface IndexedValue {
    void accept(int index, double value);
  }

  private static void forEachValue(FeatureVector x, IndexedValue f) {
    double[] values = x.values();
    int[] indices = x.indices();
    for (int i = 0; i < values.length; i++) {
      if (values[i] != 0) {
        f.accept(indices == null ? i : indices[i], values[i]);
      }
    }
  }
}
