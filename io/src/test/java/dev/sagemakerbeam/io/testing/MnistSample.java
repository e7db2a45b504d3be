package dev.sagemakerbeam.io.testing;

import dev.sagemakerbeam.io.FeatureVector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

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
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("data/mnist");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("data/mnist not found above " + Paths.get("").toAbsolutePath());
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
    List<FeatureVector> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] t = line.trim().split(" ");
        labels.add((int) Double.parseDouble(t[0]));
        int[] idx = new int[t.length - 1];
        double[] val = new double[t.length - 1];
        for (int i = 1; i < t.length; i++) {
          int c = t[i].indexOf(':');
          idx[i - 1] = Integer.parseInt(t[i].substring(0, c)) - 1;
          val[i - 1] = Double.parseDouble(t[i].substring(c + 1));
        }
        rows.add(FeatureVector.sparse(FEATURES, idx, val));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new MnistSample(rows, labels.stream().mapToInt(Integer::intValue).toArray());
  }
}
