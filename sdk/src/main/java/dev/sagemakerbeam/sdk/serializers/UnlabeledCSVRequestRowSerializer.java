package dev.sagemakerbeam.sdk.serializers;

import dev.sagemakerbeam.sdk.RequestRowSerializer;
import dev.sagemakerbeam.sdk.SparkFeatureVectors;
import dev.sagemakerbeam.transforms.serde.CsvRequestSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** Rows' feature vectors as CSV lines ({@code text/csv}), every feature written, no label. */
public final class UnlabeledCSVRequestRowSerializer implements RequestRowSerializer {
  private static final long serialVersionUID = 1L;
  private final String featuresColumnName;
  private final CsvRequestSerializer<Row> delegate;

  public UnlabeledCSVRequestRowSerializer() {
    this("features");
  }

  public UnlabeledCSVRequestRowSerializer(String featuresColumnName) {
    this.featuresColumnName = featuresColumnName;
    String features = featuresColumnName;
    this.delegate = CsvRequestSerializer.of(row -> SparkFeatureVectors.features(row, features, 0));
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
