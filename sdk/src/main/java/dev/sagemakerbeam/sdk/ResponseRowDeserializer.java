package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Deserializes a response into one Spark {@link Row} per request row, with the columns of {@link
 * #schema()}.
 */
public interface ResponseRowDeserializer extends ResponseDeserializer<Row> {
  /** The columns this deserializer appends. */
  StructType schema();

  @Override
  default Coder<Row> predictionCoder() {
    return SerializableCoder.of(Row.class);
  }
}
