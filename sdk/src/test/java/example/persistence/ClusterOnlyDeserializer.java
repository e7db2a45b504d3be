package example.persistence;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** A user's own deserializer, in a package of its own: only the cluster, in a column it names. */
public final class ClusterOnlyDeserializer implements ResponseRowDeserializer {
  private static final long serialVersionUID = 1L;
  private final String column;
  private final KMeansProtobufResponseDeserializer delegate =
      new KMeansProtobufResponseDeserializer();

  public ClusterOnlyDeserializer(String column) {
    this.column = column;
  }

  public String column() {
    return column;
  }

  @Override
  public StructType schema() {
    return new StructType().add(column, DataTypes.IntegerType, false);
  }

  @Override
  public String accept() {
    return delegate.accept();
  }

  @Override
  public List<Row> deserialize(byte[] body) {
    List<Row> rows = new ArrayList<>();
    for (KMeansPrediction p : delegate.deserialize(body)) {
      rows.add(RowFactory.create((int) p.closestCluster()));
    }
    return rows;
  }
}
