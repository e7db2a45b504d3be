package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.transforms.serde.CsvResponseDeserializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * CSV responses with one number per row (XGBoost's), as a double column, by default {@code
 * prediction}.
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
}
