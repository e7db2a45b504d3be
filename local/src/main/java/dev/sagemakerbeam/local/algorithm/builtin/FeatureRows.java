package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.Tensor;
import java.util.Arrays;

/**
 * Turns one row of training or inference input (a CSV line, a LibSVM line, an Amazon Record) into a
 * {@link FeatureVector} of exactly {@code featureDim} dimensions. Problems raise {@link
 * IllegalArgumentException} with a message saying what is wrong with the row; callers add where the
 * row came from.
 */
final class FeatureRows {
  private FeatureRows() {}

  /** A CSV line: {@code labelColumns} leading columns are skipped, the rest are the features. */
  static FeatureVector csv(String line, int labelColumns, int featureDim) {
    int columns = 1;
    for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) {
      columns++;
    }
    if (columns != featureDim + labelColumns) {
      throw new IllegalArgumentException(
          "the row has "
              + columns
              + " columns; expected "
              + featureDim
              + " feature columns (feature_dim)"
              + (labelColumns > 0 ? " after " + labelColumns + " label column(s) (label_size)" : "")
              + (columns == featureDim + 1 && labelColumns == 0
                  ? "; if the first column is a label, give the channel ContentType"
                      + " text/csv;label_size=1"
                  : ""));
    }
    double[] values = new double[featureDim];
    int start = 0;
    for (int column = 0; column < columns; column++) {
      int comma = line.indexOf(',', start);
      int end = comma < 0 ? line.length() : comma;
      if (column >= labelColumns) {
        values[column - labelColumns] = number(line, start, end, "column ", column + 1);
      }
      start = end + 1;
    }
    return compact(values);
  }

  /**
   * A labelled CSV line as a dense row of every column after the first {@code labelColumns}, zeros
   * kept (a stored zero is a value, not a missing one).
   */
  static FeatureVector csvDense(String line, int labelColumns) {
    int columns = 1;
    for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) {
      columns++;
    }
    if (columns <= labelColumns) {
      throw new IllegalArgumentException(
          "the row has "
              + columns
              + " column(s); expected "
              + labelColumns
              + " label column(s) then the features");
    }
    double[] values = new double[columns - labelColumns];
    int start = 0;
    for (int column = 0; column < columns; column++) {
      int comma = line.indexOf(',', start);
      int end = comma < 0 ? line.length() : comma;
      if (column >= labelColumns) {
        values[column - labelColumns] = number(line, start, end, "column ", column + 1);
      }
      start = end + 1;
    }
    return FeatureVector.dense(values);
  }

  /** The first field of a line (the label of a LibSVM or labelled CSV row). */
  static double firstNumber(String line, char separator) {
    int start = skipSpace(line, 0);
    if (start == line.length()) {
      throw new IllegalArgumentException("the row is empty");
    }
    int end = separator == ' ' ? tokenEnd(line, start) : line.indexOf(separator, start);
    return number(line, start, end < 0 ? line.length() : end, "the label", -1);
  }

  /** The label of an Amazon Record: the first value of {@code label["values"]}. */
  static double label(AmazonRecord record) {
    Tensor t = record.label().get(AmazonRecordEncoder.VALUES_KEY);
    if (t == null || t.type() == Tensor.Type.BYTES || t.values().length == 0) {
      throw new IllegalArgumentException(
          "the row has no numeric label[\"values\"] (labels present: "
              + record.label().keySet()
              + "); this algorithm trains on labelled records");
    }
    double label = t.values()[0];
    if (!Double.isFinite(label)) {
      throw new IllegalArgumentException("the row's label is " + label + "; labels must be finite");
    }
    return label;
  }

  /**
   * A dense row as it is best kept: sparse when at most half of it is non-zero (MNIST pixels,
   * one-hot columns), so that every later pass costs the non-zeros only.
   */
  static FeatureVector compact(double[] values) {
    int nonZeros = 0;
    for (double v : values) {
      if (v != 0) {
        nonZeros++;
      }
    }
    if (nonZeros * 2 > values.length) {
      return FeatureVector.dense(values);
    }
    int[] indices = new int[nonZeros];
    double[] stored = new double[nonZeros];
    int n = 0;
    for (int i = 0; i < values.length; i++) {
      if (values[i] != 0) {
        indices[n] = i;
        stored[n++] = values[i];
      }
    }
    return FeatureVector.sparse(values.length, indices, stored);
  }

  /** A LibSVM line {@code label idx:value ...} with 1-based, increasing indices. */
  static FeatureVector libsvm(String line, int featureDim) {
    return libsvm(line, featureDim, true);
  }

  /**
   * A LibSVM line; {@code oneBased}: indices 1..featureDim become features 0..featureDim-1 (the
   * first-party algorithms' reading), otherwise index i is feature i, from 0 (XGBoost's reading).
   */
  static FeatureVector libsvm(String line, int featureDim, boolean oneBased) {
    int base = oneBased ? 1 : 0;
    int length = line.length();
    int pos = skipSpace(line, 0);
    if (pos == length) {
      throw new IllegalArgumentException("the row is empty; expected \"label index:value ...\"");
    }
    int tokenEnd = tokenEnd(line, pos);
    number(line, pos, tokenEnd, "the label", -1);
    int capacity = 16;
    int[] indices = new int[capacity];
    double[] values = new double[capacity];
    int n = 0;
    int previous = 0;
    pos = skipSpace(line, tokenEnd);
    while (pos < length) {
      tokenEnd = tokenEnd(line, pos);
      int colon = line.indexOf(':', pos);
      if (colon <= pos || colon >= tokenEnd - 1) {
        throw new IllegalArgumentException(
            "token \""
                + line.substring(pos, tokenEnd)
                + "\" is not index:value (LibSVM rows are \"label index:value ...\")");
      }
      int index = 0;
      for (int i = pos; i < colon; i++) {
        char c = line.charAt(i);
        if (c < '0' || c > '9' || index > 100_000_000) {
          throw new IllegalArgumentException(
              "index \""
                  + line.substring(pos, colon)
                  + "\" in \""
                  + line.substring(pos, tokenEnd)
                  + "\" is not an integer in 1.."
                  + featureDim);
        }
        index = index * 10 + (c - '0');
      }
      if (index < base || index - base >= featureDim) {
        throw new IllegalArgumentException(
            "index "
                + index
                + " is outside "
                + base
                + ".."
                + (featureDim - 1 + base)
                + (oneBased ? " (LibSVM indices are 1-based and at most feature_dim)" : ""));
      }
      if (index <= previous && n > 0) {
        throw new IllegalArgumentException(
            "index "
                + index
                + " follows index "
                + previous
                + "; LibSVM indices must be strictly increasing");
      }
      previous = index;
      if (n == capacity) {
        capacity *= 2;
        indices = Arrays.copyOf(indices, capacity);
        values = Arrays.copyOf(values, capacity);
      }
      indices[n] = index - base;
      values[n] = number(line, colon + 1, tokenEnd, "the value of index ", index);
      n++;
      pos = skipSpace(line, tokenEnd);
    }
    return FeatureVector.sparse(featureDim, Arrays.copyOf(indices, n), Arrays.copyOf(values, n));
  }

  private static int skipSpace(String line, int pos) {
    while (pos < line.length() && Character.isWhitespace(line.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private static int tokenEnd(String line, int pos) {
    while (pos < line.length() && !Character.isWhitespace(line.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  /** The features of an Amazon Record, under {@code features["values"]}. */
  static FeatureVector record(AmazonRecord record, int featureDim) {
    Tensor t = record.features().get(AmazonRecordEncoder.VALUES_KEY);
    if (t == null) {
      throw new IllegalArgumentException(
          "the row has no features[\"values\"] tensor (features present: "
              + record.features().keySet()
              + ")");
    }
    if (t.type() == Tensor.Type.BYTES) {
      throw new IllegalArgumentException(
          "the row has a bytes value under features[\"values\"], not numbers");
    }
    FeatureVector v;
    if (t.keys().length > 0 && t.shape().length == 0) {
      // sparse without a shape: the keys alone say nothing about the size, feature_dim does
      v = sparseWithoutShape(t, featureDim);
    } else {
      try {
        v = t.toFeatureVector();
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "the row has a malformed features tensor: " + e.getMessage());
      }
    }
    if (featureDim > 0 && v.size() != featureDim) {
      throw new IllegalArgumentException(
          "the row has "
              + v.size()
              + " features ("
              + (v.isSparse() ? "sparse shape" : "dense values")
              + "); expected feature_dim = "
              + featureDim);
    }
    checkFinite(v);
    return v;
  }

  /** A vector given as a plain list of numbers (JSON). */
  static FeatureVector dense(double[] values, int featureDim) {
    if (values.length != featureDim) {
      throw new IllegalArgumentException(
          "the row has " + values.length + " features; expected feature_dim = " + featureDim);
    }
    FeatureVector v = FeatureVector.dense(values);
    checkFinite(v);
    return v;
  }

  /** A vector given as keys, values and shape (JSON, the protobuf-equivalent form). */
  static FeatureVector sparse(long[] keys, double[] values, long[] shape, int featureDim) {
    if (keys == null || keys.length == 0) {
      return dense(values, featureDim);
    }
    Tensor t = Tensor.numeric(Tensor.Type.FLOAT64, values, keys, shape);
    if (shape == null || shape.length == 0) {
      return sparseWithoutShape(t, featureDim);
    }
    FeatureVector v;
    try {
      v = t.toFeatureVector();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the row is a malformed sparse vector: " + e.getMessage());
    }
    if (v.size() != featureDim) {
      throw new IllegalArgumentException(
          "the row has shape [" + v.size() + "]; expected feature_dim = " + featureDim);
    }
    checkFinite(v);
    return v;
  }

  private static FeatureVector sparseWithoutShape(Tensor t, int featureDim) {
    long[] keys = t.keys();
    double[] values = t.values();
    if (keys.length != values.length) {
      throw new IllegalArgumentException(
          "the row has a sparse features tensor with "
              + keys.length
              + " keys but "
              + values.length
              + " values");
    }
    int[] indices = new int[keys.length];
    int size = featureDim;
    if (featureDim <= 0) { // any size: the largest key says
      long largest = -1;
      for (long key : keys) {
        largest = Math.max(largest, key);
      }
      size = (int) Math.min(Integer.MAX_VALUE, largest + 1);
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] < 0 || keys[i] >= size) {
        throw new IllegalArgumentException(
            "the row has feature key "
                + Long.toUnsignedString(keys[i])
                + " outside 0.."
                + (featureDim - 1)
                + " (feature_dim = "
                + featureDim
                + ")");
      }
      indices[i] = (int) keys[i];
    }
    FeatureVector v;
    try {
      v = FeatureVector.sparse(size, indices, values);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the row has a malformed sparse features tensor: " + e.getMessage());
    }
    checkFinite(v);
    return v;
  }

  private static void checkFinite(FeatureVector v) {
    double[] values = v.values();
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        int at = v.isSparse() ? v.indices()[i] : i;
        throw new IllegalArgumentException(
            "the row has the value "
                + values[i]
                + " at feature "
                + at
                + "; features must be finite numbers");
      }
    }
  }

  /**
   * The number in {@code line[start, end)}, trimmed. Plain integers (the bulk of real data such as
   * pixel values) are parsed directly; everything else goes through {@link Double#parseDouble}. The
   * description of the number ({@code what}, then {@code position} if not negative) is only put
   * together for an error, as this runs for every value of every row.
   */
  private static double number(String line, int start, int end, String what, int position) {
    while (start < end && line.charAt(start) <= ' ') {
      start++;
    }
    while (end > start && line.charAt(end - 1) <= ' ') {
      end--;
    }
    int i = start;
    boolean negative = false;
    if (i < end && (line.charAt(i) == '-' || line.charAt(i) == '+')) {
      negative = line.charAt(i) == '-';
      i++;
    }
    if (i < end && end - i <= 15) {
      long v = 0;
      int j = i;
      while (j < end) {
        char c = line.charAt(j);
        if (c < '0' || c > '9') {
          break;
        }
        v = v * 10 + (c - '0');
        j++;
      }
      if (j == end) {
        return negative ? -v : v;
      }
    }
    return number(line.substring(start, end), position < 0 ? what : what + position);
  }

  private static double number(String text, String what) {
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " \"" + text + "\" is not a number");
    }
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(
          what + " is " + text + "; features must be finite numbers");
    }
    return v;
  }
}
