package dev.sagemakerbeam.io;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One decoded {@code aialgs.data.Value}: a float32, float64 or int32 tensor (values widened to
 * double, with its optional sparse keys and shape), or a list of byte strings.
 */
public final class Tensor implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long[] NO_LONGS = new long[0];

  /** Which member of the {@code Value} oneof the tensor came from. */
  public enum Type {
    FLOAT32,
    FLOAT64,
    INT32,
    BYTES
  }

  private final Type type;
  private final double[] values;
  private final long[] keys;
  private final long[] shape;
  private final List<byte[]> bytes;
  private final String contentType;

  Tensor(
      Type type,
      double[] values,
      long[] keys,
      long[] shape,
      List<byte[]> bytes,
      String contentType) {
    this.type = type;
    this.values = values;
    this.keys = keys == null ? NO_LONGS : keys;
    this.shape = shape == null ? NO_LONGS : shape;
    this.bytes = bytes == null ? Collections.emptyList() : bytes;
    this.contentType = contentType;
  }

  /** A numeric tensor of {@code type} (not {@link Type#BYTES}). */
  public static Tensor numeric(Type type, double[] values, long[] keys, long[] shape) {
    if (type == Type.BYTES) {
      throw new IllegalArgumentException("use Tensor.bytes(...) for a bytes value");
    }
    return new Tensor(type, values, keys, shape, null, null);
  }

  public static Tensor bytes(List<byte[]> bytes, String contentType) {
    return new Tensor(Type.BYTES, new double[0], null, null, bytes, contentType);
  }

  public Type type() {
    return type;
  }

  /** The values, widened to double (not copied). Empty for a bytes value. */
  public double[] values() {
    return values;
  }

  /** Sparse keys (not copied); empty for a dense tensor. */
  public long[] keys() {
    return keys;
  }

  /** Shape (not copied); often empty for a dense tensor. */
  public long[] shape() {
    return shape;
  }

  public List<byte[]> bytes() {
    return bytes;
  }

  /** Content type of a bytes value, or null. */
  public String contentType() {
    return contentType;
  }

  public boolean isSparse() {
    return keys.length > 0 || (shape.length > 0 && values.length == 0 && shape[0] > 0);
  }

  /**
   * This tensor as a feature vector: sparse when it has keys (size {@code shape[0]}), dense
   * otherwise.
   *
   * @throws MalformedRecordException if keys and values disagree, keys exceed the shape or an int
   */
  public FeatureVector toFeatureVector() {
    if (type == Type.BYTES) {
      throw new MalformedRecordException("a bytes value cannot be read as a feature vector");
    }
    if (!isSparse()) {
      return FeatureVector.dense(values);
    }
    if (keys.length != values.length) {
      throw new MalformedRecordException(
          "sparse tensor has " + keys.length + " keys but " + values.length + " values");
    }
    long size;
    if (shape.length > 0) {
      size = shape[0];
    } else {
      size = keys.length == 0 ? 0 : keys[keys.length - 1] + 1;
    }
    if (size < 0 || size > Integer.MAX_VALUE) {
      throw new MalformedRecordException(
          "sparse tensor size " + size + " does not fit a feature vector");
    }
    int[] indices = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] < 0 || keys[i] >= size) {
        throw new MalformedRecordException(
            "sparse tensor key "
                + Long.toUnsignedString(keys[i])
                + " is outside its shape ["
                + size
                + "]");
      }
      indices[i] = (int) keys[i];
    }
    try {
      return FeatureVector.sparse((int) size, indices, values);
    } catch (IllegalArgumentException e) {
      throw new MalformedRecordException("sparse tensor: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Tensor)) {
      return false;
    }
    Tensor t = (Tensor) o;
    if (bytes.size() != t.bytes.size()) {
      return false;
    }
    for (int i = 0; i < bytes.size(); i++) {
      if (!Arrays.equals(bytes.get(i), t.bytes.get(i))) {
        return false;
      }
    }
    return type == t.type
        && Arrays.equals(values, t.values)
        && Arrays.equals(keys, t.keys)
        && Arrays.equals(shape, t.shape)
        && java.util.Objects.equals(contentType, t.contentType);
  }

  @Override
  public int hashCode() {
    return (type.hashCode() * 31 + Arrays.hashCode(values)) * 31 + Arrays.hashCode(keys);
  }

  @Override
  public String toString() {
    if (type == Type.BYTES) {
      return "Tensor(BYTES, " + bytes.size() + " values, contentType=" + contentType + ")";
    }
    double[] shown = values.length <= 8 ? values : Arrays.copyOf(values, 8);
    return "Tensor("
        + type
        + ", values="
        + Arrays.toString(shown)
        + (values.length > 8 ? "..." : "")
        + (keys.length > 0 ? ", nnz=" + keys.length : "")
        + (shape.length > 0 ? ", shape=" + Arrays.toString(shape) : "")
        + ")";
  }
}
