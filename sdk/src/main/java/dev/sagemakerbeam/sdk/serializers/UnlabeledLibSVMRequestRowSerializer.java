package dev.sagemakerbeam.sdk.serializers;

import dev.sagemakerbeam.sdk.RequestRowSerializer;
import dev.sagemakerbeam.sdk.SparkFeatureVectors;
import dev.sagemakerbeam.transforms.serde.LibSvmRequestSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** Rows' feature vectors as unlabelled LibSVM lines ({@code index:value ...}). */
public final class UnlabeledLibSVMRequestRowSerializer implements RequestRowSerializer {
  private static final long serialVersionUID = 1L;
  private final String featuresColumnName;
  private final LibSvmRequestSerializer<Row> delegate;

  public UnlabeledLibSVMRequestRowSerializer() {
    this("features");
  }

  public UnlabeledLibSVMRequestRowSerializer(String featuresColumnName) {
    this.featuresColumnName = featuresColumnName;
    String features = featuresColumnName;
    this.delegate = LibSvmRequestSerializer.unlabelled(row -> SparkFeatureVectors.features(row, features, 0));
  }

  @Override
  public void validateSchema(StructType schema) {
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
