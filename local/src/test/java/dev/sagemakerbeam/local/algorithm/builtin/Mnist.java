package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The MNIST sample shipped in data/mnist at the repository root, read independently of the code under test. */
final class Mnist {
  static final int FEATURES = 784;

  final List<FeatureVector> rows;
  final int[] labels;

  private Mnist(List<FeatureVector> rows, int[] labels) {
    this.rows = rows;
    this.labels = labels;
  }

  static Path dataDir() {
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

  static Path trainFile() {
    return dataDir().resolve("mnist-train.libsvm.gz");
  }

  static Mnist train() {
    return read(trainFile());
  }

  static Mnist test() {
    return read(dataDir().resolve("mnist-test.libsvm.gz"));
  }

  private static Mnist read(Path file) {
    List<FeatureVector> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
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
    return new Mnist(rows, labels.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The rows as RecordIO-framed Amazon Records, dense or sparse, with labels. */
  byte[] recordIo(boolean dense) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    writeRecordIo(out, dense, rows.size());
    return out.toByteArray();
  }

  void writeRecordIo(OutputStream out, boolean dense, int count) {
    AmazonRecordEncoder encoder = new AmazonRecordEncoder();
    try (RecordIoWriter writer = new RecordIoWriter(out)) {
      for (int i = 0; i < count; i++) {
        FeatureVector v = dense ? FeatureVector.dense(rows.get(i).toDenseArray()) : rows.get(i);
        int length = encoder.encode(v, labels[i]);
        writer.write(encoder.buffer(), 0, length);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rows as CSV lines without labels, every column a feature. */
  String csv(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      double[] d = rows.get(i).toDenseArray();
      for (int j = 0; j < d.length; j++) {
        if (j > 0) {
          sb.append(',');
        }
        sb.append((int) d[j]);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  void writeCsv(Writer w, int from, int to) throws IOException {
    w.write(csv(from, to));
  }
}
