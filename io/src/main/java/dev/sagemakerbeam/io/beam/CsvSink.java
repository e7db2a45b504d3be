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
 * A {@link FileIO.Sink} writing examples as CSV without a header, as SageMaker algorithms read it:
 * the label first, then every feature (sparse vectors written out densely). Unlabelled examples
 * (for unsupervised algorithms such as K-Means) are written as features only; one file holds either
 * kind, not both, so that its columns mean one thing. Numbers are printed with {@link
 * Double#toString(double)}.
 */
public final class CsvSink implements FileIO.Sink<LabeledExample> {
  private static final long serialVersionUID = 1L;

  private transient Writer out;
  private transient StringBuilder line;
  private transient Boolean labelled; // decided by the first example of the file

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    out =
        new BufferedWriter(
            new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8),
            1 << 16);
    line = new StringBuilder(256);
    labelled = null;
  }

  @Override
  public void write(LabeledExample element) throws IOException {
    if (labelled == null) {
      labelled = element.hasLabel();
    } else if (labelled != element.hasLabel()) {
      throw new IllegalArgumentException(
          "CSV file mixes labelled and unlabelled examples (this one "
              + (element.hasLabel() ? "has" : "has no")
              + " label): "
              + element
              + ". Give every example a label, or none");
    }
    line.setLength(0);
    boolean first = true;
    if (element.hasLabel()) {
      line.append(element.labelValue());
      first = false;
    }
    FeatureVector features = element.features();
    int[] indices = features.indices();
    double[] values = features.values();
    int next = 0; // next stored value of a sparse vector
    for (int i = 0; i < features.size(); i++) {
      if (!first) {
        line.append(',');
      }
      first = false;
      if (indices == null) {
        line.append(values[i]);
      } else if (next < indices.length && indices[next] == i) {
        line.append(values[next++]);
      } else {
        line.append("0.0");
      }
    }
    line.append('\n');
    out.append(line);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }
}
