package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark row deserializer over one of the shared response deserializers of {@code
 * transforms/serde}: decoding is theirs; this adds the column schema and turns each prediction into
 * a row.
 *
 * @param <R> the shared deserializer's prediction type
 */
public abstract class DelegatingResponseRowDeserializer<R> implements ResponseRowDeserializer {
  private static final long serialVersionUID = 1L;

  private final ResponseDeserializer<R> delegate;
  private final StructType schema;

  protected DelegatingResponseRowDeserializer(ResponseDeserializer<R> delegate, StructType schema) {
    this.delegate = delegate;
    this.schema = schema;
  }

  /** The row of one prediction, with the columns of {@link #schema()}. */
  protected abstract Row toRow(R prediction);

  @Override
  public final StructType schema() {
    return schema;
  }

  @Override
  public final String accept() {
    return delegate.accept();
  }

  @Override
  public final List<Row> deserialize(byte[] body) {
    List<R> predictions = delegate.deserialize(body);
    List<Row> rows = new ArrayList<>(predictions.size());
    for (R p : predictions) {
      rows.add(toRow(p));
    }
    return rows;
  }
}
