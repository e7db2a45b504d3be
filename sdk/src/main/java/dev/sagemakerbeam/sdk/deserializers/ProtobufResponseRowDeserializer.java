package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.transforms.serde.LabelValues;
import dev.sagemakerbeam.transforms.serde.ProtobufResponseDeserializer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Any protobuf response: each column of {@code schema} is read from the record label under the
 * protobuf key at the same position (the column names by default). A {@code double} column takes
 * the first value, a vector column all of them.
 */
public final class ProtobufResponseRowDeserializer
    extends DelegatingResponseRowDeserializer<LabelValues> {
  private static final long serialVersionUID = 1L;
  private final String[] keys;
  private final DataType[] types;

  public ProtobufResponseRowDeserializer(StructType schema) {
    this(schema, schema.fieldNames());
  }

  public ProtobufResponseRowDeserializer(StructType schema, String[] protobufKeys) {
    super(ProtobufResponseDeserializer.forLabelKeys(checked(schema, protobufKeys)), schema);
    this.keys = protobufKeys.clone();
    this.types = new DataType[schema.fields().length];
    for (int i = 0; i < types.length; i++) {
      types[i] = schema.fields()[i].dataType();
    }
  }

  /** The keys, after checking they fit the schema (one per column, double or vector columns). */
  private static String[] checked(StructType schema, String[] protobufKeys) {
    if (protobufKeys.length != schema.fields().length) {
      throw new IllegalArgumentException(
          "protobufKeys has "
              + protobufKeys.length
              + " keys but the schema has "
              + schema.fields().length
              + " columns; give one key per column");
    }
    for (StructField f : schema.fields()) {
      DataType t = f.dataType();
      if (!t.equals(DataTypes.DoubleType) && !t.equals(SQLDataTypes.VectorType())) {
        throw new IllegalArgumentException(
            "column '"
                + f.name()
                + "' has type "
                + t.simpleString()
                + "; protobuf response columns must be double or vector");
      }
    }
    return protobufKeys;
  }

  @Override
  protected Row toRow(LabelValues record) {
    Object[] values = new Object[keys.length];
    for (int i = 0; i < keys.length; i++) {
      double[] v = record.get(keys[i]);
      if (v == null) {
        throw new IllegalArgumentException("response record has no label key '" + keys[i] + "'");
      }
      if (types[i].equals(DataTypes.DoubleType)) {
        if (v.length == 0) {
          throw new IllegalArgumentException(
              "response record has no value under label key '" + keys[i] + "'");
        }
        values[i] = v[0];
      } else {
        values[i] = Vectors.dense(v);
      }
    }
    return RowFactory.create(values);
  }
}
