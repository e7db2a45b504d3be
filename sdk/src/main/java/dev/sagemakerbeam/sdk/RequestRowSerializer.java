package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.transforms.inference.RequestSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** Serializes a Spark {@link Row} as one request row, for the shared inference engine. */
public interface RequestRowSerializer extends RequestSerializer<Row> {
  /**
   * Checks that {@code schema} has the columns this serializer reads, with the right types.
   *
   * @throws IllegalArgumentException naming the missing or wrong-typed column
   */
  void validateSchema(StructType schema);
}
