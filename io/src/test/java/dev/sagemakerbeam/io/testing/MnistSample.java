package dev.sagemakerbeam.io.testing;

import dev.sagemakerbeam.io.FeatureVector;
import java.nio.file.Path;
import java.util.List;

/**
 * The MNIST sample shipped in {@code data/mnist} at the repository root (see its README), read with
 * a parser of its own so tests do not check the code under test against itself. Shared by the
 * modules' tests through io's test jar.
 */
public final class MnistSample {
  public static final int FEATURES = 784;

  private final List<FeatureVector> rows;
  private final int[] labels;

  private MnistSample(List<FeatureVector> rows, int[] labels) {
    this.rows = rows;
    this.labels = labels;
  }

  /** The 7,000 training digits. */
  public static MnistSample train() {
    return read(dataDirectory().resolve("mnist-train.libsvm.gz"));
  }

  /** The 1,000 test digits. */
  public static MnistSample test() {
    return read(dataDirectory().resolve("mnist-test.libsvm.gz"));
  }

  /** {@code data/mnist}, found from the working directory (a module directory or the root). */
  public static Path dataDirectory() {
    return LibSvmData.dataDirectory("mnist");
  }

  /** Sparse 784-d pixel vectors, intensities 0..255. */
  public List<FeatureVector> rows() {
    return rows;
  }

  /** The digit of each row. */
  public int[] labels() {
    return labels;
  }

  public int size() {
    return rows.size();
  }

  /** Cluster purity: the share of rows whose cluster's most common digit is their own. */
  public static double purity(int[] clusters, int[] digits) {
    int k = 0;
    for (int c : clusters) {
      k = Math.max(k, c + 1);
    }
    int[][] counts = new int[k][10];
    for (int i = 0; i < clusters.length; i++) {
      counts[clusters[i]][digits[i]]++;
    }
    int majority = 0;
    for (int[] row : counts) {
      int best = 0;
      for (int count : row) {
        best = Math.max(best, count);
      }
      majority += best;
    }
    return (double) majority / clusters.length;
  }

  private static MnistSample read(Path file) {
    LibSvmData data = LibSvmData.read(file, FEATURES);
    int[] labels = new int[data.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (int) data.labels()[i];
    }
    return new MnistSample(data.rows(), labels);
  }
}
