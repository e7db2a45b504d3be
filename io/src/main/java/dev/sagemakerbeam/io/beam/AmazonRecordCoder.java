package dev.sagemakerbeam.io.beam;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.Tensor;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Compact coder for a whole {@link AmazonRecord}, what {@link SageMakerRecordIO#read()} outputs:
 * the feature and label maps (count, then each key and tensor in the map's order), then uid,
 * metadata and configuration (each nullable). A tensor is its type, then for a numeric one its
 * values as doubles and its keys and shape as varints, for a bytes one its byte strings and content
 * type. Java serialization, the alternative, writes class descriptors with every record and costs
 * several times as much wherever a runner materializes elements.
 */
public final class AmazonRecordCoder extends AtomicCoder<AmazonRecord> {
  private static final long serialVersionUID = 1L;
  private static final AmazonRecordCoder INSTANCE = new AmazonRecordCoder();
  private static final Tensor.Type[] TYPES = Tensor.Type.values();
  private static final NullableCoder<String> NULLABLE_STRING =
      NullableCoder.of(StringUtf8Coder.of());

  /** More entries than this in one array or map are refused on decode: a corrupt count. */
  private static final int MAX_COUNT = 1 << 26;

  private AmazonRecordCoder() {}

  public static AmazonRecordCoder of() {
    return INSTANCE;
  }

  /**
   * For a pipeline's {@code CoderRegistry} ({@code registerCoderProvider}), so a {@code
   * PCollection} of records made by a user's own transform gets this coder too: {@link
   * AmazonRecord} lives in the Beam-free core and carries no {@code @DefaultCoder}.
   */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(AmazonRecord.class), INSTANCE);
  }

  @Override
  public void encode(AmazonRecord value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null AmazonRecord");
    }
    encodeTensors(value.features(), out);
    encodeTensors(value.label(), out);
    NULLABLE_STRING.encode(value.uid(), out);
    NULLABLE_STRING.encode(value.metadata(), out);
    NULLABLE_STRING.encode(value.configuration(), out);
  }

  @Override
  public AmazonRecord decode(InputStream in) throws IOException {
    Map<String, Tensor> features = decodeTensors(in);
    Map<String, Tensor> label = decodeTensors(in);
    String uid = NULLABLE_STRING.decode(in);
    String metadata = NULLABLE_STRING.decode(in);
    return new AmazonRecord(features, label, uid, metadata, NULLABLE_STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    throw new NonDeterministicException(
        this, "equal AmazonRecords can hold their tensor maps' keys in different orders");
  }

  private static void encodeTensors(Map<String, Tensor> tensors, OutputStream out)
      throws IOException {
    VarInt.encode(tensors.size(), out);
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      StringUtf8Coder.of().encode(e.getKey(), out);
      encodeTensor(e.getValue(), out);
    }
  }

  private static Map<String, Tensor> decodeTensors(InputStream in) throws IOException {
    int size = count(in, "tensors");
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      tensors.put(StringUtf8Coder.of().decode(in), decodeTensor(in));
    }
    return tensors;
  }

  private static void encodeTensor(Tensor t, OutputStream out) throws IOException {
    out.write(t.type().ordinal());
    if (t.type() == Tensor.Type.BYTES) {
      VarInt.encode(t.bytes().size(), out);
      for (byte[] b : t.bytes()) {
        ByteArrayCoder.of().encode(b, out);
      }
      NULLABLE_STRING.encode(t.contentType(), out);
      return;
    }
    double[] values = t.values();
    VarInt.encode(values.length, out);
    DataOutputStream data = new DataOutputStream(out);
    for (double v : values) {
      data.writeDouble(v);
    }
    encodeLongs(t.keys(), out);
    encodeLongs(t.shape(), out);
  }

  private static Tensor decodeTensor(InputStream in) throws IOException {
    int type = in.read();
    if (type < 0 || type >= TYPES.length) {
      throw new CoderException("corrupt AmazonRecord: tensor type " + type);
    }
    if (TYPES[type] == Tensor.Type.BYTES) {
      int n = count(in, "byte strings");
      List<byte[]> bytes = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        bytes.add(ByteArrayCoder.of().decode(in));
      }
      return Tensor.bytes(bytes, NULLABLE_STRING.decode(in));
    }
    int n = count(in, "values");
    DataInputStream data = new DataInputStream(in);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = data.readDouble();
    }
    long[] keys = decodeLongs(in);
    return Tensor.numeric(TYPES[type], values, keys, decodeLongs(in));
  }

  private static void encodeLongs(long[] values, OutputStream out) throws IOException {
    VarInt.encode(values.length, out);
    for (long v : values) {
      VarInt.encode(v, out);
    }
  }

  private static long[] decodeLongs(InputStream in) throws IOException {
    long[] values = new long[count(in, "keys or shape")];
    for (int i = 0; i < values.length; i++) {
      values[i] = VarInt.decodeLong(in);
    }
    return values;
  }

  private static int count(InputStream in, String what) throws IOException {
    int n = VarInt.decodeInt(in);
    if (n < 0 || n > MAX_COUNT) {
      throw new CoderException("corrupt AmazonRecord: " + n + " " + what);
    }
    return n;
  }
}
