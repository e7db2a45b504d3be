package dev.sagemakerbeam.io.testing;

import dev.sagemakerbeam.io.FeatureVector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
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
 * A LibSVM data set shipped under {@code data/} at the repository root (each with its README and
 * attribution), read with a parser of its own so tests do not check the code under test against
 * itself. Shared by the modules' tests through io's test jar.
 */
public final class LibSvmData {
  private final List<FeatureVector> rows;
  private final double[] labels;

  private LibSvmData(List<FeatureVector> rows, double[] labels) {
    this.rows = rows;
    this.labels = labels;
  }

  /** The breast-cancer training rows (369, 30 features, labels 0/1). */
  public static LibSvmData breastCancerTrain() {
    return read(dataDirectory("breast-cancer").resolve("breast-cancer-train.libsvm"), 30);
  }

  /** The breast-cancer test rows (100). */
  public static LibSvmData breastCancerTest() {
    return read(dataDirectory("breast-cancer").resolve("breast-cancer-test.libsvm"), 30);
  }

  /** The diabetes training rows (280, 10 features, a real-valued label). */
  public static LibSvmData diabetesTrain() {
    return read(dataDirectory("diabetes").resolve("diabetes-train.libsvm"), 10);
  }

  /** The diabetes test rows (80). */
  public static LibSvmData diabetesTest() {
    return read(dataDirectory("diabetes").resolve("diabetes-test.libsvm"), 10);
  }

  /**
   * These rows standardized with the mean and standard deviation of {@code reference}'s features
   * (dense; a constant feature is only centred), as Spark's StandardScaler with mean does.
   */
  public LibSvmData standardizedBy(LibSvmData reference) {
    int d = reference.rows.get(0).size();
    double[] mean = new double[d];
    double[] sq = new double[d];
    for (FeatureVector v : reference.rows) {
      double[] x = v.toDenseArray();
      for (int j = 0; j < d; j++) {
        mean[j] += x[j];
        sq[j] += x[j] * x[j];
      }
    }
    int n = reference.rows.size();
    double[] std = new double[d];
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
      std[j] = Math.sqrt(Math.max(0, sq[j] / n - mean[j] * mean[j]) * n / Math.max(1, n - 1));
    }
    List<FeatureVector> out = new ArrayList<>(rows.size());
    for (FeatureVector v : rows) {
      double[] x = v.toDenseArray();
      for (int j = 0; j < d; j++) {
        x[j] = std[j] > 0 ? (x[j] - mean[j]) / std[j] : x[j] - mean[j];
      }
      out.add(FeatureVector.dense(x));
    }
    return new LibSvmData(out, labels.clone());
  }

  /** {@code data/<name>}, found from the working directory (a module directory or the root). */
  public static Path dataDirectory(String name) {
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("data").resolve(name);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "data/" + name + " not found above " + Paths.get("").toAbsolutePath());
  }

  /** Reads {@code file} (gzip when it ends in .gz): 1-based indices, {@code features} wide. */
  public static LibSvmData read(Path file, int features) {
    List<FeatureVector> rows = new ArrayList<>();
    List<Double> labels = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file);
        BufferedReader r =
            new BufferedReader(
                new InputStreamReader(
                    file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw,
                    StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] t = line.trim().split("\\s+");
        labels.add(Double.parseDouble(t[0]));
        int[] idx = new int[t.length - 1];
        double[] val = new double[t.length - 1];
        for (int i = 1; i < t.length; i++) {
          int c = t[i].indexOf(':');
          idx[i - 1] = Integer.parseInt(t[i].substring(0, c)) - 1;
          val[i - 1] = Double.parseDouble(t[i].substring(c + 1));
        }
        rows.add(FeatureVector.sparse(features, idx, val));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new LibSvmData(rows, labels.stream().mapToDouble(Double::doubleValue).toArray());
  }

  public List<FeatureVector> rows() {
    return rows;
  }

  public double[] labels() {
    return labels;
  }

  public int size() {
    return rows.size();
  }

  /** The rows as LibSVM text, labels first. */
  public String libsvm() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      sb.append(labels[i] == Math.rint(labels[i]) ? Long.toString((long) labels[i]) : labels[i]);
      FeatureVector v = rows.get(i);
      for (int j = 0; j < v.numStored(); j++) {
        double x = v.values()[j];
        sb.append(' ').append(v.indices()[j] + 1).append(':');
        sb.append(x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
