package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.transforms.serde.CsvResponseDeserializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** CSV responses with one number per row (XGBoost's), as a double column, by default {@code prediction}. */
public final class XGBoostCSVRowDeserializer implements ResponseRowDeserializer {
  private static final long serialVersionUID = 1L;
  private final CsvResponseDeserializer delegate = new CsvResponseDeserializer();
  private final StructType schema;

  public XGBoostCSVRowDeserializer() {
    this("prediction");
  }

  public XGBoostCSVRowDeserializer(String predictionColumnName) {
    this.schema = new StructType().add(predictionColumnName, DataTypes.DoubleType, false);
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
    List<Double> values = delegate.deserialize(body);
    List<Row> rows = new ArrayList<>(values.size());
    for (Double v : values) {
      rows.add(RowFactory.create(v));
    }
    return rows;
  }
}
