package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.transforms.serde.PcaPrediction;
import dev.sagemakerbeam.transforms.serde.PcaProtobufResponseDeserializer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** PCA protobuf responses as one vector column, by default {@code projection}. */
public final class PCAProtobufResponseRowDeserializer
    extends DelegatingResponseRowDeserializer<PcaPrediction> {
  private static final long serialVersionUID = 1L;

  public PCAProtobufResponseRowDeserializer() {
    this("projection");
  }

  public PCAProtobufResponseRowDeserializer(String projectionColumnName) {
    super(
        new PcaProtobufResponseDeserializer(),
        new StructType().add(projectionColumnName, SQLDataTypes.VectorType(), false));
  }

  @Override
  protected Row toRow(PcaPrediction p) {
    return RowFactory.create(Vectors.dense(p.projection()));
  }
}
