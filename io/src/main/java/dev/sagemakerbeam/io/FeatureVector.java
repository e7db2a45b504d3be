package dev.sagemakerbeam.io;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A feature vector, dense or sparse, with double values: the common currency between Spark ML
 * vectors, Beam rows and the Amazon Record encoding (which narrows the values to float32).
 *
 * <p>Instances are immutable by contract: the arrays passed in are owned by the vector afterwards
 * and the arrays returned are not copied, so that the encoding hot path allocates nothing.
 */
public final class FeatureVector implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int size;
  private final int[] indices; // null when dense
  private final double[] values;

  private FeatureVector(int size, int[] indices, double[] values) {
    this.size = size;
    this.indices = indices;
    this.values = values;
  }

  /** A dense vector holding {@code values} (not copied). */
  public static FeatureVector dense(double[] values) {
    if (values == null) {
      throw new IllegalArgumentException(
          "values must not be null; use new double[0] for an empty vector");
    }
    return new FeatureVector(values.length, null, values);
  }

  /** A dense vector of the float values, widened to double. */
  public static FeatureVector dense(float[] values) {
    double[] widened = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      widened[i] = values[i];
    }
    return new FeatureVector(values.length, null, widened);
  }

  /**
   * A sparse vector of {@code size} dimensions with {@code values[i]} at {@code indices[i]} (arrays
   * not copied). Indices must be strictly increasing and in {@code [0, size)}.
   */
  public static FeatureVector sparse(int size, int[] indices, double[] values) {
    if (size < 0) {
      throw new IllegalArgumentException("sparse vector size must be >= 0, got " + size);
    }
    if (indices == null || values == null) {
      throw new IllegalArgumentException("sparse vector needs non-null indices and values");
    }
    if (indices.length != values.length) {
      throw new IllegalArgumentException(
          "sparse vector has "
              + indices.length
              + " indices but "
              + values.length
              + " values; give one value per index");
    }
    int previous = -1;
    for (int i = 0; i < indices.length; i++) {
      int index = indices[i];
      if (index <= previous || index >= size) {
        throw new IllegalArgumentException(
            "sparse vector index "
                + index
                + " at position "
                + i
                + " must be greater than "
                + previous
                + " and less than the size "
                + size
                + "; indices must be strictly increasing and within the vector");
      }
      previous = index;
    }
    return new FeatureVector(size, indices, values);
  }

  public int size() {
    return size;
  }

  public boolean isSparse() {
    return indices != null;
  }

  /** Number of stored values: {@link #size()} when dense, the number of non-zeros when sparse. */
  public int numStored() {
    return values.length;
  }

  /** The indices of a sparse vector (not copied); null for a dense vector. */
  public int[] indices() {
    return indices;
  }

  /** The stored values (not copied). */
  public double[] values() {
    return values;
  }

  /** Value at dimension {@code i}. */
  public double get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("index " + i + " outside a vector of size " + size);
    }
    if (indices == null) {
      return values[i];
    }
    int at = Arrays.binarySearch(indices, i);
    return at >= 0 ? values[at] : 0.0;
  }

  /** A dense copy of the values. */
  public double[] toDenseArray() {
    if (indices == null) {
      return values.clone();
    }
    double[] dense = new double[size];
    for (int i = 0; i < indices.length; i++) {
      dense[indices[i]] = values[i];
    }
    return dense;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FeatureVector)) {
      return false;
    }
    FeatureVector other = (FeatureVector) o;
    return size == other.size
        && Arrays.equals(indices, other.indices)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * size + Arrays.hashCode(indices)) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    if (indices == null) {
      return "FeatureVector(dense, size=" + size + ", " + abbreviate(values) + ")";
    }
    return "FeatureVector(sparse, size="
        + size
        + ", nnz="
        + values.length
        + ", indices="
        + abbreviate(indices)
        + ", values="
        + abbreviate(values)
        + ")";
  }

  private static String abbreviate(double[] a) {
    return a.length <= 8 ? Arrays.toString(a) : Arrays.toString(Arrays.copyOf(a, 8)) + "...";
  }

  private static String abbreviate(int[] a) {
    return a.length <= 8 ? Arrays.toString(a) : Arrays.toString(Arrays.copyOf(a, 8)) + "...";
  }
}
