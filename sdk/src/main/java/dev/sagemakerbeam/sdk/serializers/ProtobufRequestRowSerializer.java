package dev.sagemakerbeam.sdk.serializers;

import dev.sagemakerbeam.sdk.RequestRowSerializer;
import dev.sagemakerbeam.sdk.SparkFeatureVectors;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Rows' feature vectors as RecordIO-wrapped Amazon Record protobuf ({@code
 * application/x-recordio-protobuf}), through the shared {@link RecordIoProtobufRequestSerializer}.
 */
public final class ProtobufRequestRowSerializer implements RequestRowSerializer {
  private static final long serialVersionUID = 1L;
  private final String featuresColumnName;
  private final int featureDim;
  private final RecordIoProtobufRequestSerializer<Row> delegate;

  public ProtobufRequestRowSerializer() {
    this("features");
  }

  public ProtobufRequestRowSerializer(String featuresColumnName) {
    this(featuresColumnName, 0);
  }

  /**
   * @param featureDim the size each vector must have (0: any)
   */
  public ProtobufRequestRowSerializer(String featuresColumnName, int featureDim) {
    this.featuresColumnName = featuresColumnName;
    this.featureDim = featureDim;
    String column = featuresColumnName;
    this.delegate =
        RecordIoProtobufRequestSerializer.of(
            row -> SparkFeatureVectors.features(row, column, featureDim));
  }

  public String featuresColumnName() {
    return featuresColumnName;
  }

  public int featureDim() {
    return featureDim;
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
