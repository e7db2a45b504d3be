package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * K-Means protobuf responses as two double columns, by default {@code distance_to_cluster} and
 * {@code closest_cluster}; decoding by the shared {@link KMeansProtobufResponseDeserializer}.
 */
public final class KMeansProtobufResponseRowDeserializer implements ResponseRowDeserializer {
  private static final long serialVersionUID = 1L;
  private final KMeansProtobufResponseDeserializer delegate = new KMeansProtobufResponseDeserializer();
  private final StructType schema;

  public KMeansProtobufResponseRowDeserializer() {
    this("distance_to_cluster", "closest_cluster");
  }

  public KMeansProtobufResponseRowDeserializer(String distanceToClusterColumnName, String closestClusterColumnName) {
    this.schema = new StructType()
        .add(distanceToClusterColumnName, DataTypes.DoubleType, false)
        .add(closestClusterColumnName, DataTypes.DoubleType, false);
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
    List<KMeansPrediction> predictions = delegate.deserialize(body);
    List<Row> rows = new ArrayList<>(predictions.size());
    for (KMeansPrediction p : predictions) {
      rows.add(RowFactory.create(p.distanceToCluster(), p.closestCluster()));
    }
    return rows;
  }
}
