package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * K-Means protobuf responses as two double columns, by default {@code distance_to_cluster} and
 * {@code closest_cluster}; decoding by the shared {@link KMeansProtobufResponseDeserializer}.
 */
public final class KMeansProtobufResponseRowDeserializer
    extends DelegatingResponseRowDeserializer<KMeansPrediction> {
  private static final long serialVersionUID = 1L;

  public KMeansProtobufResponseRowDeserializer() {
    this("distance_to_cluster", "closest_cluster");
  }

  public KMeansProtobufResponseRowDeserializer(
      String distanceToClusterColumnName, String closestClusterColumnName) {
    super(
        new KMeansProtobufResponseDeserializer(),
        new StructType()
            .add(distanceToClusterColumnName, DataTypes.DoubleType, false)
            .add(closestClusterColumnName, DataTypes.DoubleType, false));
  }

  @Override
  protected Row toRow(KMeansPrediction p) {
    return RowFactory.create(p.distanceToCluster(), p.closestCluster());
  }
}
