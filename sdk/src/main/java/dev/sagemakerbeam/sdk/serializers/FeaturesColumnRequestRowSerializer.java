package dev.sagemakerbeam.sdk.serializers;

import dev.sagemakerbeam.sdk.RequestRowSerializer;
import dev.sagemakerbeam.sdk.SparkFeatureVectors;
import dev.sagemakerbeam.transforms.inference.RequestSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark row serializer that sends only a vector column, through one of the shared request
 * serializers of {@code transforms/serde}.
 */
abstract class FeaturesColumnRequestRowSerializer implements RequestRowSerializer {
  private static final long serialVersionUID = 1L;

  private final String featuresColumnName;
  private final RequestSerializer<Row> delegate;

  FeaturesColumnRequestRowSerializer(String featuresColumnName, RequestSerializer<Row> delegate) {
    this.featuresColumnName = featuresColumnName;
    this.delegate = delegate;
  }

  @Override
  public final void validateSchema(StructType schema) {
    SparkFeatureVectors.requireVectorColumn(schema, featuresColumnName);
  }

  @Override
  public final String contentType() {
    return delegate.contentType();
  }

  @Override
  public final byte[] serialize(Row row) {
    return delegate.serialize(row);
  }
}
