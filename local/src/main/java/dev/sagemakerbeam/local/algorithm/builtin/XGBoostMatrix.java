package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.io.FeatureVector;
import java.util.Arrays;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Rows gathered in compressed sparse row form, as XGBoost takes them ({@link DMatrix} from CSR).
 * What a row stores is what XGBoost sees: a sparse row's absent features are missing values, a
 * dense row's zeros are values (as the container reads LibSVM and CSV); NaN is missing in both.
 * Dense rows must all have the same width, as in one CSV data set.
 */
final class XGBoostMatrix {
  private long[] rowHeaders = new long[1025];
  private int[] indices = new int[16384];
  private float[] values = new float[16384];
  private float[] labels = new float[1024];
  private int rows;
  private int nonMissing;
  private int columns;
  private int denseWidth = -1;

  /**
   * Adds a row; {@code label} is ignored for inference.
   *
   * @throws IllegalArgumentException for a dense row whose width differs from the first's
   */
  void add(double label, FeatureVector row) {
    if (!row.isSparse()) {
      if (denseWidth < 0) {
        denseWidth = row.size();
      } else if (row.size() != denseWidth) {
        throw new IllegalArgumentException(
            "the row has " + row.size() + " features where the first row has " + denseWidth);
      }
    }
    if (rows + 1 == labels.length) {
      labels = Arrays.copyOf(labels, labels.length * 2);
      rowHeaders = Arrays.copyOf(rowHeaders, rowHeaders.length * 2);
    }
    int stored = row.numStored();
    if (nonMissing + stored > values.length) {
      int capacity = Math.max(values.length * 2, nonMissing + stored);
      indices = Arrays.copyOf(indices, capacity);
      values = Arrays.copyOf(values, capacity);
    }
    double[] v = row.values();
    int[] idx = row.isSparse() ? row.indices() : null;
    int largest = -1;
    for (int i = 0; i < stored; i++) {
      if (Double.isNaN(v[i])) {
        continue;
      }
      int column = idx == null ? i : idx[i];
      indices[nonMissing] = column;
      values[nonMissing++] = (float) v[i];
      largest = column;
    }
    if (!row.isSparse() || row.size() < Integer.MAX_VALUE) {
      largest = row.size() - 1; // a dense row's width, a sparse vector's declared size (protobuf)
    }
    columns = Math.max(columns, largest + 1);
    labels[rows++] = (float) label;
    rowHeaders[rows] = nonMissing;
  }

  int rows() {
    return rows;
  }

  /**
   * The number of features: the widest row (dense width or a sparse vector's declared size), or for
   * LibSVM rows (no declared size) one more than the largest index seen.
   */
  int columns() {
    return columns;
  }

  long nonMissing() {
    return nonMissing;
  }

  float label(int row) {
    return labels[row];
  }

  /** A DMatrix of {@code width} columns (at least {@link #columns()}), labels set. */
  DMatrix toDMatrix(int width, boolean withLabels) throws XGBoostError {
    DMatrix m =
        new DMatrix(
            Arrays.copyOf(rowHeaders, rows + 1),
            Arrays.copyOf(indices, nonMissing),
            Arrays.copyOf(values, nonMissing),
            DMatrix.SparseType.CSR,
            Math.max(width, columns));
    if (withLabels) {
      m.setLabel(Arrays.copyOf(labels, rows));
    }
    return m;
  }
}
