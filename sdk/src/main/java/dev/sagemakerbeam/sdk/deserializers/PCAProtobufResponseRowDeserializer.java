package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.transforms.serde.PcaPrediction;
import dev.sagemakerbeam.transforms.serde.PcaProtobufResponseDeserializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** PCA protobuf responses as one vector column, by default {@code projection}. */
public final class PCAProtobufResponseRowDeserializer implements ResponseRowDeserializer {
  private static final long serialVersionUID = 1L;
  private final PcaProtobufResponseDeserializer delegate = new PcaProtobufResponseDeserializer();
  private final StructType schema;

  public PCAProtobufResponseRowDeserializer() {
    this("projection");
  }

  public PCAProtobufResponseRowDeserializer(String projectionColumnName) {
    this.schema = new StructType().add(projectionColumnName, SQLDataTypes.VectorType(), false);
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public String accept() {
    return delegate.accept();
  }

  @Override
  public List<Row> deserialize(byte[] body) {
    List<PcaPrediction> predictions = delegate.deserialize(body);
    List<Row> rows = new ArrayList<>(predictions.size());
    for (PcaPrediction p : predictions) {
      rows.add(RowFactory.create(Vectors.dense(p.projection())));
    }
    return rows;
  }
}
