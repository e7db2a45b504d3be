package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.io.FeatureVector;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/** Conversion of Spark ML vectors to this library's {@link FeatureVector}, and column checks. */
public final class SparkFeatureVectors {
  private SparkFeatureVectors() {}

  /** The vector as a FeatureVector, dense or sparse as it is. */
  public static FeatureVector toFeatureVector(Vector v) {
    if (v instanceof SparseVector) {
      SparseVector s = (SparseVector) v;
      return FeatureVector.sparse(s.size(), s.indices(), s.values());
    }
    return FeatureVector.dense(((DenseVector) v).values());
  }

  /**
   * The vector in column {@code column} of {@code row}.
   *
   * @param expectedSize the size every vector must have, or 0 for any
   */
  public static FeatureVector features(Row row, String column, int expectedSize) {
    Object value = row.get(row.fieldIndex(column));
    if (value == null) {
      throw new IllegalArgumentException("column '" + column + "' is null in row " + row);
    }
    Vector v = (Vector) value;
    if (expectedSize > 0 && v.size() != expectedSize) {
      throw new IllegalArgumentException(
          "column '"
              + column
              + "' holds a vector of size "
              + v.size()
              + " but feature_dim is "
              + expectedSize
              + "; make the vectors "
              + expectedSize
              + " long or set feature_dim to their size");
    }
    return toFeatureVector(v);
  }

  /** The label in column {@code column} as a double. */
  public static double label(Row row, String column) {
    Object value = row.get(row.fieldIndex(column));
    if (value == null) {
      throw new IllegalArgumentException("label column '" + column + "' is null in row " + row);
    }
    return ((Number) value).doubleValue();
  }

  /** Checks that {@code column} exists and holds Spark ML vectors. */
  public static void requireVectorColumn(StructType schema, String column) {
    DataType type = requireColumn(schema, column).dataType();
    if (!type.equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException(
          "column '"
              + column
              + "' must hold org.apache.spark.ml.linalg.Vector"
              + " values but has type "
              + type.simpleString()
              + "; assemble it with VectorAssembler or choose"
              + " another features column");
    }
  }

  /** Checks that {@code column} exists and is numeric. */
  public static void requireNumericColumn(StructType schema, String column) {
    DataType type = requireColumn(schema, column).dataType();
    if (!(type instanceof NumericType)) {
      throw new IllegalArgumentException(
          "label column '" + column + "' must be numeric but has type " + type.simpleString());
    }
  }

  static StructField requireColumn(StructType schema, String column) {
    Option<Object> index = schema.getFieldIndex(column);
    if (index.isEmpty()) {
      throw new IllegalArgumentException(
          "column '"
              + column
              + "' does not exist; the columns are "
              + String.join(", ", schema.fieldNames()));
    }
    return schema.fields()[(Integer) index.get()];
  }
}
