package dev.sagemakerbeam.sdk.serializers;

import dev.sagemakerbeam.sdk.RequestRowSerializer;
import dev.sagemakerbeam.sdk.SparkFeatureVectors;
import dev.sagemakerbeam.transforms.serde.LibSvmRequestSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Labelled rows as LibSVM lines ({@code text/libsvm}), through the shared {@link
 * LibSvmRequestSerializer}.
 */
public final class LibSVMRequestRowSerializer implements RequestRowSerializer {
  private static final long serialVersionUID = 1L;
  private final String labelColumnName;
  private final String featuresColumnName;
  private final LibSvmRequestSerializer<Row> delegate;

  public LibSVMRequestRowSerializer() {
    this("label", "features");
  }

  public LibSVMRequestRowSerializer(String labelColumnName, String featuresColumnName) {
    this.labelColumnName = labelColumnName;
    this.featuresColumnName = featuresColumnName;
    String label = labelColumnName;
    String features = featuresColumnName;
    this.delegate =
        LibSvmRequestSerializer.labelled(
            row -> SparkFeatureVectors.features(row, features, 0),
            row -> SparkFeatureVectors.label(row, label));
  }

  @Override
  public void validateSchema(StructType schema) {
    SparkFeatureVectors.requireNumericColumn(schema, labelColumnName);
    SparkFeatureVectors.requireVectorColumn(schema, featuresColumnName);
  }

  @Override
  public String contentType() {
    return delegate.contentType();
  }

  @Override
  public byte[] serialize(Row row) {
    return delegate.serialize(row);
  }
}
