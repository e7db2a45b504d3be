package dev.sagemakerbeam.io.beam;

import dev.sagemakerbeam.io.FeatureVector;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileIO;

/**
 * A {@link FileIO.Sink} writing labelled examples as LibSVM text, one per line: {@code label
 * index:value ...} with 1-based indices in increasing order. Every stored value is written (a dense
 * vector's zeros too, as Spark's {@code libsvm} writer does, since XGBoost reads an absent entry as
 * missing rather than zero). Numbers are printed with {@link Double#toString(double)}.
 */
public final class LibSvmSink implements FileIO.Sink<LabeledExample> {
  private static final long serialVersionUID = 1L;

  private transient Writer out;
  private transient StringBuilder line;

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    out =
        new BufferedWriter(
            new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8),
            1 << 16);
    line = new StringBuilder(256);
  }

  @Override
  public void write(LabeledExample element) throws IOException {
    if (!element.hasLabel()) {
      throw new IllegalArgumentException(
          "LibSVM training data needs a label on every example; "
              + element
              + " has none. Give the examples labels or write RECORDIO_PROTOBUF or CSV instead");
    }
    line.setLength(0);
    line.append(element.labelValue());
    FeatureVector features = element.features();
    int[] indices = features.indices();
    double[] values = features.values();
    for (int i = 0; i < values.length; i++) {
      line.append(' ').append((indices == null ? i : indices[i]) + 1).append(':').append(values[i]);
    }
    line.append('\n');
    out.append(line);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }
}
