package dev.sagemakerbeam.sdk.datasource;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import scala.collection.immutable.Map;

/**
 * Which columns of a DataFrame a {@code sagemaker} write takes its features and label from, checked
 * against the schema on the driver so that a wrong column fails before any task runs.
 */
final class WriteColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How to read the label column's value as a double. */
  enum LabelKind {
    DOUBLE,
    FLOAT,
    LONG,
    INT,
    SHORT,
    BYTE,
    DECIMAL
  }

  final String featuresColumn;
  final int featuresOrdinal;
  final String labelColumn; // null: no label written
  final int labelOrdinal; // -1: no label written
  final LabelKind labelKind;
  final int decimalPrecision;
  final int decimalScale;

  private WriteColumns(
      String featuresColumn,
      int featuresOrdinal,
      String labelColumn,
      int labelOrdinal,
      LabelKind labelKind,
      int decimalPrecision,
      int decimalScale) {
    this.featuresColumn = featuresColumn;
    this.featuresOrdinal = featuresOrdinal;
    this.labelColumn = labelColumn;
    this.labelOrdinal = labelOrdinal;
    this.labelKind = labelKind;
    this.decimalPrecision = decimalPrecision;
    this.decimalScale = decimalScale;
  }

  static CaseInsensitiveStringMap optionsOf(Map<String, String> options) {
    return new CaseInsensitiveStringMap(
        scala.collection.JavaConverters.mapAsJavaMapConverter(options).asJava());
  }

  /**
   * Resolves the columns named by the options in {@code schema}.
   *
   * @throws IllegalArgumentException naming the column, its type and the fix
   */
  static WriteColumns resolve(StructType schema, CaseInsensitiveStringMap options) {
    String features =
        options.getOrDefault(
            SageMakerFileFormat.FEATURES_COLUMN_OPTION,
            SageMakerFileFormat.DEFAULT_FEATURES_COLUMN);
    boolean labelNamed = options.containsKey(SageMakerFileFormat.LABEL_COLUMN_OPTION);
    String label =
        options.getOrDefault(
            SageMakerFileFormat.LABEL_COLUMN_OPTION, SageMakerFileFormat.DEFAULT_LABEL_COLUMN);

    if (!schema.getFieldIndex(features).isDefined()) {
      throw new IllegalArgumentException(
          "the sagemaker format found no features column '"
              + features
              + "' in the DataFrame's columns "
              + Arrays.toString(schema.fieldNames())
              + "; name it with .option(\""
              + SageMakerFileFormat.FEATURES_COLUMN_OPTION
              + "\", \"<column>\")");
    }
    int featuresOrdinal = schema.fieldIndex(features);
    DataType featuresType = schema.fields()[featuresOrdinal].dataType();
    if (!isVectorType(featuresType)) {
      throw new IllegalArgumentException(
          "the sagemaker format needs the features column '"
              + features
              + "' to hold "
              + "org.apache.spark.ml.linalg.Vector or org.apache.spark.mllib.linalg.Vector values, but it has type "
              + featuresType.simpleString()
              + "; assemble a vector column first (e.g. with VectorAssembler)");
    }

    if (!schema.getFieldIndex(label).isDefined()) {
      if (labelNamed) {
        throw new IllegalArgumentException(
            "the sagemaker format found no label column '"
                + label
                + "' (option "
                + SageMakerFileFormat.LABEL_COLUMN_OPTION
                + ") in the DataFrame's columns "
                + Arrays.toString(schema.fieldNames())
                + "; name an existing column, or drop the option to write unlabelled records");
      }
      return new WriteColumns(features, featuresOrdinal, null, -1, null, 0, 0);
    }
    int labelOrdinal = schema.fieldIndex(label);
    DataType labelType = schema.fields()[labelOrdinal].dataType();
    LabelKind kind;
    int precision = 0;
    int scale = 0;
    if (labelType.equals(DataTypes.DoubleType)) {
      kind = LabelKind.DOUBLE;
    } else if (labelType.equals(DataTypes.FloatType)) {
      kind = LabelKind.FLOAT;
    } else if (labelType.equals(DataTypes.LongType)) {
      kind = LabelKind.LONG;
    } else if (labelType.equals(DataTypes.IntegerType)) {
      kind = LabelKind.INT;
    } else if (labelType.equals(DataTypes.ShortType)) {
      kind = LabelKind.SHORT;
    } else if (labelType.equals(DataTypes.ByteType)) {
      kind = LabelKind.BYTE;
    } else if (labelType instanceof DecimalType) {
      kind = LabelKind.DECIMAL;
      precision = ((DecimalType) labelType).precision();
      scale = ((DecimalType) labelType).scale();
    } else {
      throw new IllegalArgumentException(
          "the sagemaker format needs a numeric label column, but '"
              + label
              + "' has type "
              + labelType.simpleString()
              + "; cast it to double, or name another column with .option(\""
              + SageMakerFileFormat.LABEL_COLUMN_OPTION
              + "\", \"<column>\")");
    }
    return new WriteColumns(features, featuresOrdinal, label, labelOrdinal, kind, precision, scale);
  }

  /**
   * The label of {@code row} as a double; call only when {@link #labelOrdinal} >= 0 and not null.
   */
  double label(InternalRow row) {
    int i = labelOrdinal;
    switch (labelKind) {
      case DOUBLE:
        return row.getDouble(i);
      case FLOAT:
        return row.getFloat(i);
      case LONG:
        return row.getLong(i);
      case INT:
        return row.getInt(i);
      case SHORT:
        return row.getShort(i);
      case BYTE:
        return row.getByte(i);
      default:
        return row.getDecimal(i, decimalPrecision, decimalScale).toDouble();
    }
  }

  static boolean isVectorType(DataType type) {
    if (!(type instanceof UserDefinedType)) {
      return false;
    }
    Class<?> userClass = ((UserDefinedType<?>) type).userClass();
    return userClass == org.apache.spark.ml.linalg.Vector.class
        || userClass == org.apache.spark.mllib.linalg.Vector.class;
  }

  @Override
  public String toString() {
    return "features from column '"
        + featuresColumn
        + "', "
        + (labelColumn == null
            ? "no label column (unlabelled records)"
            : "label from column '" + labelColumn + "'");
  }
}
