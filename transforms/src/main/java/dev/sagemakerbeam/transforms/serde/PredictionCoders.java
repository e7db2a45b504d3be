package dev.sagemakerbeam.transforms.serde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The Beam coders of the built-in algorithms' predictions ({@link KMeansPrediction}, {@link
 * PcaPrediction}, {@link LdaPrediction}, {@link ScoredPrediction}, {@link LabelValues}): their
 * doubles as 8 bytes each (IEEE 754, big-endian, as Beam's {@code DoubleCoder}), arrays and maps
 * preceded by their length as a VarInt. Each prediction class names its coder with
 * {@code @DefaultCoder}, so a {@code PCollection} of predictions gets it without {@code setCoder}.
 *
 * <p>Java serialization, what {@code SerializableCoder} does, writes the class descriptor with
 * every element and costs several times the encoding itself: on Beam's Spark runner, whose
 * serialized storage levels encode every element of a cached {@code PCollection}, it was the
 * largest share of an InvokeEndpoint pipeline's CPU.
 */
public final class PredictionCoders {
  private PredictionCoders() {}

  /** Arrays longer than this are refused on decode: a corrupt length, not a prediction. */
  private static final int MAX_LENGTH = 1 << 24;

  static void writeDoubles(double[] values, OutputStream out) throws IOException {
    VarInt.encode(values.length, out);
    DataOutputStream data = new DataOutputStream(out);
    for (double v : values) {
      data.writeDouble(v);
    }
  }

  static double[] readDoubles(InputStream in) throws IOException {
    int length = VarInt.decodeInt(in);
    if (length < 0 || length > MAX_LENGTH) {
      throw new CoderException("invalid length of a double array: " + length);
    }
    DataInputStream data = new DataInputStream(in);
    double[] values = new double[length];
    for (int i = 0; i < length; i++) {
      values[i] = data.readDouble();
    }
    return values;
  }

  private static <T> CoderProvider provider(Class<T> type, AtomicCoder<T> coder) {
    return CoderProviders.forCoder(TypeDescriptor.of(type), coder);
  }

  /** {@link KMeansPrediction}: closest cluster, then distance. */
  public static final class KMeansPredictionCoder extends AtomicCoder<KMeansPrediction> {
    private static final long serialVersionUID = 1L;
    private static final KMeansPredictionCoder INSTANCE = new KMeansPredictionCoder();

    public static KMeansPredictionCoder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return provider(KMeansPrediction.class, INSTANCE);
    }

    @Override
    public void encode(KMeansPrediction value, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeDouble(value.closestCluster());
      data.writeDouble(value.distanceToCluster());
    }

    @Override
    public KMeansPrediction decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      double cluster = data.readDouble();
      return new KMeansPrediction(cluster, data.readDouble());
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** {@link PcaPrediction}: the projection. */
  public static final class PcaPredictionCoder extends AtomicCoder<PcaPrediction> {
    private static final long serialVersionUID = 1L;
    private static final PcaPredictionCoder INSTANCE = new PcaPredictionCoder();

    public static PcaPredictionCoder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return provider(PcaPrediction.class, INSTANCE);
    }

    @Override
    public void encode(PcaPrediction value, OutputStream out) throws IOException {
      writeDoubles(value.projection(), out);
    }

    @Override
    public PcaPrediction decode(InputStream in) throws IOException {
      return new PcaPrediction(readDoubles(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** {@link LdaPrediction}: the topic mixture. */
  public static final class LdaPredictionCoder extends AtomicCoder<LdaPrediction> {
    private static final long serialVersionUID = 1L;
    private static final LdaPredictionCoder INSTANCE = new LdaPredictionCoder();

    public static LdaPredictionCoder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return provider(LdaPrediction.class, INSTANCE);
    }

    @Override
    public void encode(LdaPrediction value, OutputStream out) throws IOException {
      writeDoubles(value.topicMixture(), out);
    }

    @Override
    public LdaPrediction decode(InputStream in) throws IOException {
      return new LdaPrediction(readDoubles(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** {@link ScoredPrediction}: the scores, then the predicted label (NaN for a regressor). */
  public static final class ScoredPredictionCoder extends AtomicCoder<ScoredPrediction> {
    private static final long serialVersionUID = 1L;
    private static final ScoredPredictionCoder INSTANCE = new ScoredPredictionCoder();

    public static ScoredPredictionCoder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return provider(ScoredPrediction.class, INSTANCE);
    }

    @Override
    public void encode(ScoredPrediction value, OutputStream out) throws IOException {
      writeDoubles(value.scores(), out);
      DataOutputStream data = new DataOutputStream(out);
      data.writeDouble(value.predictedLabel());
    }

    @Override
    public ScoredPrediction decode(InputStream in) throws IOException {
      double[] scores = readDoubles(in);
      return new ScoredPrediction(scores, new DataInputStream(in).readDouble());
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** {@link LabelValues}: the number of keys, then each key and its values, in the map's order. */
  public static final class LabelValuesCoder extends AtomicCoder<LabelValues> {
    private static final long serialVersionUID = 1L;
    private static final LabelValuesCoder INSTANCE = new LabelValuesCoder();

    public static LabelValuesCoder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return provider(LabelValues.class, INSTANCE);
    }

    @Override
    public void encode(LabelValues value, OutputStream out) throws IOException {
      Map<String, double[]> values = value.asMap();
      VarInt.encode(values.size(), out);
      for (Map.Entry<String, double[]> e : values.entrySet()) {
        StringUtf8Coder.of().encode(e.getKey(), out);
        writeDoubles(e.getValue(), out);
      }
    }

    @Override
    public LabelValues decode(InputStream in) throws IOException {
      int size = VarInt.decodeInt(in);
      if (size < 0 || size > MAX_LENGTH) {
        throw new CoderException("invalid number of label keys: " + size);
      }
      Map<String, double[]> values = new LinkedHashMap<>();
      for (int i = 0; i < size; i++) {
        values.put(StringUtf8Coder.of().decode(in), readDoubles(in));
      }
      return new LabelValues(values);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      throw new NonDeterministicException(
          this, "equal LabelValues can hold their keys in different orders");
    }
  }
}
