package dev.sagemakerbeam.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Encodes feature vectors (and an optional scalar label) as Amazon Record protobuf messages, the
 * way SageMaker's built-in algorithms expect them: features as a {@code Float32Tensor} under {@code
 * features["values"]} (a sparse vector sets {@code keys} and {@code shape=[size]}), the label as a
 * one-value {@code Float32Tensor} under {@code label["values"]}. Double values are narrowed to
 * float32.
 *
 * <p>This is the hot path of staging and inference: it writes the protobuf wire format straight
 * into a reused byte array, with no message objects per row. The output is byte-for-byte what the
 * generated {@code aialgs.data.Record} classes serialize (a test holds it to that).
 *
 * <p>Not thread-safe; use one encoder per thread. {@link #buffer()} is overwritten by the next
 * call.
 */
public final class AmazonRecordEncoder {
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /** Map key of the features and label tensors. */
  public static final String VALUES_KEY = "values";

  // Field tags (field number << 3 | wire type 2 = length-delimited).
  private static final int TAG_RECORD_FEATURES = (1 << 3) | 2;
  private static final int TAG_RECORD_LABEL = (2 << 3) | 2;
  private static final int TAG_ENTRY_KEY = (1 << 3) | 2;
  private static final int TAG_ENTRY_VALUE = (2 << 3) | 2;
  private static final int TAG_VALUE_FLOAT32 = (2 << 3) | 2;
  private static final int TAG_TENSOR_VALUES = (1 << 3) | 2;
  private static final int TAG_TENSOR_KEYS = (2 << 3) | 2;
  private static final int TAG_TENSOR_SHAPE = (3 << 3) | 2;

  /** The map-entry key field for "values": tag, length 6, the ASCII bytes. */
  private static final byte[] VALUES_KEY_FIELD = {TAG_ENTRY_KEY, 6, 'v', 'a', 'l', 'u', 'e', 's'};

  private byte[] buffer = new byte[1024];
  private int position;

  /** Encodes an unlabelled record; returns its length in {@link #buffer()}. */
  public int encode(FeatureVector features) {
    return encode(features, false, 0.0);
  }

  /** Encodes a record with a scalar label; returns its length in {@link #buffer()}. */
  public int encode(FeatureVector features, double label) {
    return encode(features, true, label);
  }

  /** Encodes into a new array. */
  public byte[] toByteArray(FeatureVector features) {
    int length = encode(features); // may replace the buffer: read it after
    return Arrays.copyOf(buffer, length);
  }

  /** Encodes into a new array. */
  public byte[] toByteArray(FeatureVector features, double label) {
    int length = encode(features, label); // may replace the buffer: read it after
    return Arrays.copyOf(buffer, length);
  }

  /** The encoded bytes of the last call, in {@code [0, length)}. */
  public byte[] buffer() {
    return buffer;
  }

  private int encode(FeatureVector features, boolean hasLabel, double label) {
    double[] values = features.values();
    int[] indices = features.indices();
    int nValues = values.length;

    int valuesBytes = 4 * nValues;
    int tensorSize = nValues == 0 ? 0 : 1 + varintSize(valuesBytes) + valuesBytes;
    int keysBytes = 0;
    if (indices != null) {
      for (int index : indices) {
        keysBytes += varintSize(index);
      }
      if (nValues > 0) {
        tensorSize += 1 + varintSize(keysBytes) + keysBytes;
      }
      int sizeBytes = varintSize(features.size());
      tensorSize += 1 + varintSize(sizeBytes) + sizeBytes;
    }
    int valueSize = 1 + varintSize(tensorSize) + tensorSize;
    int entrySize = VALUES_KEY_FIELD.length + 1 + varintSize(valueSize) + valueSize;
    int total = 1 + varintSize(entrySize) + entrySize;
    if (hasLabel) {
      total += LABEL_RECORD_FIELD_SIZE;
    }

    if (buffer.length < total) {
      buffer = new byte[Math.max(total, buffer.length * 2)];
    }
    position = 0;
    writeByte(TAG_RECORD_FEATURES);
    writeVarint(entrySize);
    writeBytes(VALUES_KEY_FIELD);
    writeByte(TAG_ENTRY_VALUE);
    writeVarint(valueSize);
    writeByte(TAG_VALUE_FLOAT32);
    writeVarint(tensorSize);
    if (nValues > 0) {
      writeByte(TAG_TENSOR_VALUES);
      writeVarint(valuesBytes);
      writeFloats(values);
    }
    if (indices != null) {
      if (nValues > 0) {
        writeByte(TAG_TENSOR_KEYS);
        writeVarint(keysBytes);
        for (int index : indices) {
          writeVarint(index);
        }
      }
      writeByte(TAG_TENSOR_SHAPE);
      writeVarint(varintSize(features.size()));
      writeVarint(features.size());
    }
    if (hasLabel) {
      writeLabel(label);
    }
    return position;
  }

  // label: Record.label entry {key "values", value Value{float32_tensor{values: [label]}}}
  // tensor = tag + len(4) + 4 bytes = 6; value = tag + len + 6 = 8; entry = 8 + tag + len + 8 = 18
  private static final int LABEL_RECORD_FIELD_SIZE = 1 + 1 + 18;

  private void writeLabel(double label) {
    writeByte(TAG_RECORD_LABEL);
    writeByte(18);
    writeBytes(VALUES_KEY_FIELD);
    writeByte(TAG_ENTRY_VALUE);
    writeByte(8);
    writeByte(TAG_VALUE_FLOAT32);
    writeByte(6);
    writeByte(TAG_TENSOR_VALUES);
    writeByte(4);
    INT_LE.set(buffer, position, Float.floatToRawIntBits((float) label));
    position += 4;
  }

  private void writeFloats(double[] values) {
    byte[] b = buffer;
    int p = position;
    for (double v : values) {
      INT_LE.set(b, p, Float.floatToRawIntBits((float) v));
      p += 4;
    }
    position = p;
  }

  private void writeByte(int v) {
    buffer[position++] = (byte) v;
  }

  private void writeBytes(byte[] bytes) {
    System.arraycopy(bytes, 0, buffer, position, bytes.length);
    position += bytes.length;
  }

  private void writeVarint(int v) {
    while ((v & ~0x7F) != 0) {
      buffer[position++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buffer[position++] = (byte) v;
  }

  /** Bytes of a non-negative int as a protobuf varint. */
  static int varintSize(int v) {
    if ((v & (~0 << 7)) == 0) {
      return 1;
    }
    if ((v & (~0 << 14)) == 0) {
      return 2;
    }
    if ((v & (~0 << 21)) == 0) {
      return 3;
    }
    if ((v & (~0 << 28)) == 0) {
      return 4;
    }
    return 5;
  }
}
