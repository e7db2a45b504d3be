package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoWriter;
import dev.sagemakerbeam.io.testing.MnistSample;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/** The MNIST sample ({@link MnistSample}) in the shapes these tests feed the algorithms. */
final class Mnist {
  static final int FEATURES = MnistSample.FEATURES;

  final List<FeatureVector> rows;
  final int[] labels;

  private Mnist(MnistSample sample) {
    this.rows = sample.rows();
    this.labels = sample.labels();
  }

  static Path dataDir() {
    return MnistSample.dataDirectory();
  }

  static Path trainFile() {
    return dataDir().resolve("mnist-train.libsvm.gz");
  }

  static Mnist train() {
    return new Mnist(MnistSample.train());
  }

  static Mnist test() {
    return new Mnist(MnistSample.test());
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
