package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.transforms.serde.CsvResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.CsvVectorResponseDeserializer;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * XGBoost's CSV answers as a double column, by default {@code prediction}: one prediction per line
 * (current containers) or comma-separated on one line (older ones). For {@code multi:softprob},
 * whose lines hold a row's class probabilities, use {@link #probabilities}.
 */
public final class XGBoostCSVRowDeserializer extends DelegatingResponseRowDeserializer<Double> {
  private static final long serialVersionUID = 1L;

  public XGBoostCSVRowDeserializer() {
    this("prediction");
  }

  public XGBoostCSVRowDeserializer(String predictionColumnName) {
    super(
        new CsvResponseDeserializer(),
        new StructType().add(predictionColumnName, DataTypes.DoubleType, false));
  }

  @Override
  protected Row toRow(Double p) {
    return RowFactory.create(p);
  }

  /** {@code multi:softprob} answers: each line a row's probabilities, as a Vector column. */
  public static ResponseRowDeserializer probabilities(String predictionColumnName) {
    return new Probabilities(predictionColumnName);
  }

  private static final class Probabilities extends DelegatingResponseRowDeserializer<List<Double>> {
    private static final long serialVersionUID = 1L;

    Probabilities(String column) {
      super(
          new CsvVectorResponseDeserializer(),
          new StructType().add(column, SQLDataTypes.VectorType(), false));
    }

    @Override
    protected Row toRow(List<Double> p) {
      return RowFactory.create(
          Vectors.dense(p.stream().mapToDouble(Double::doubleValue).toArray()));
    }
  }
}
