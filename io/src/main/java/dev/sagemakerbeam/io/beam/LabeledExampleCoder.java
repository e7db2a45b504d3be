package dev.sagemakerbeam.io.beam;

import dev.sagemakerbeam.io.FeatureVector;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Compact, deterministic coder for {@link LabeledExample}: a flags byte (sparse, labelled), the
 * size and number of stored values as varints, the indices as varints, the values as doubles and
 * the label. Doubles are kept exactly (no float32 narrowing until a record is encoded).
 */
public final class LabeledExampleCoder extends CustomCoder<LabeledExample> {
  private static final long serialVersionUID = 1L;
  private static final int FLAG_SPARSE = 1;
  private static final int FLAG_LABEL = 2;
  private static final LabeledExampleCoder INSTANCE = new LabeledExampleCoder();

  private LabeledExampleCoder() {}

  public static LabeledExampleCoder of() {
    return INSTANCE;
  }

  /**
   * What Beam's {@code @DefaultCoder} looks for: without it the annotation on {@link
   * LabeledExample} is ignored and Beam falls back to {@code SerializableCoder} for any {@code
   * PCollection} of them whose coder it infers (e.g. after {@code MapElements.into(...)}), silently
   * and much slower.
   */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(LabeledExample.class), INSTANCE);
  }

  @Override
  public void encode(LabeledExample value, OutputStream outStream) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null LabeledExample");
    }
    FeatureVector features = value.features();
    int[] indices = features.indices();
    double[] values = features.values();
    outStream.write((indices != null ? FLAG_SPARSE : 0) | (value.hasLabel() ? FLAG_LABEL : 0));
    VarInt.encode(features.size(), outStream);
    VarInt.encode(values.length, outStream);
    if (indices != null) {
      for (int index : indices) {
        VarInt.encode(index, outStream);
      }
    }
    DataOutputStream data = new DataOutputStream(outStream);
    for (double v : values) {
      data.writeDouble(v);
    }
    if (value.hasLabel()) {
      data.writeDouble(value.labelValue());
    }
  }

  @Override
  public LabeledExample decode(InputStream inStream) throws IOException {
    int flags = inStream.read();
    if (flags < 0) {
      throw new CoderException("stream ended before a LabeledExample");
    }
    int size = VarInt.decodeInt(inStream);
    int stored = VarInt.decodeInt(inStream);
    if (stored < 0 || size < 0 || ((flags & FLAG_SPARSE) == 0 && stored != size)) {
      throw new CoderException("corrupt LabeledExample: size " + size + ", stored " + stored);
    }
    int[] indices = null;
    if ((flags & FLAG_SPARSE) != 0) {
      indices = new int[stored];
      for (int i = 0; i < stored; i++) {
        indices[i] = VarInt.decodeInt(inStream);
      }
    }
    DataInputStream data = new DataInputStream(inStream);
    double[] values = new double[stored];
    for (int i = 0; i < stored; i++) {
      values[i] = data.readDouble();
    }
    FeatureVector features =
        indices == null ? FeatureVector.dense(values) : FeatureVector.sparse(size, indices, values);
    return (flags & FLAG_LABEL) != 0
        ? LabeledExample.of(data.readDouble(), features)
        : LabeledExample.unlabeled(features);
  }

  @Override
  public void verifyDeterministic() {
    // fixed-width doubles and varints: equal values always encode to equal bytes
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
