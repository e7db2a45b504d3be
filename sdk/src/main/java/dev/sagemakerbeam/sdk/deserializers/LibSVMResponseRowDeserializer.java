package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * LibSVM responses ({@code label index:value ...}, 1-based indices, one line per row) as a double
 * label column and a sparse vector column of size {@code dim}.
 */
public final class LibSVMResponseRowDeserializer implements ResponseRowDeserializer {
  private static final long serialVersionUID = 1L;
  private final int dim;
  private final StructType schema;

  public LibSVMResponseRowDeserializer(int dim) {
    this(dim, "label", "features");
  }

  public LibSVMResponseRowDeserializer(int dim, String labelColumnName, String featuresColumnName) {
    if (dim < 1) {
      throw new IllegalArgumentException("dim must be positive, was " + dim);
    }
    this.dim = dim;
    this.schema =
        new StructType()
            .add(labelColumnName, DataTypes.DoubleType, false)
            .add(featuresColumnName, SQLDataTypes.VectorType(), false);
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public String accept() {
    return "text/libsvm";
  }

  @Override
  public List<Row> deserialize(byte[] body) {
    List<Row> rows = new ArrayList<>();
    for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
      line = line.trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      double label = Double.parseDouble(parts[0]);
      int[] indices = new int[parts.length - 1];
      double[] values = new double[parts.length - 1];
      for (int i = 1; i < parts.length; i++) {
        int colon = parts[i].indexOf(':');
        if (colon < 1) {
          throw new IllegalArgumentException(
              "malformed LibSVM pair '" + parts[i] + "' in line '" + line + "'");
        }
        indices[i - 1] = Integer.parseInt(parts[i].substring(0, colon)) - 1;
        values[i - 1] = Double.parseDouble(parts[i].substring(colon + 1));
        if (indices[i - 1] < 0 || indices[i - 1] >= dim) {
          throw new IllegalArgumentException(
              "index " + (indices[i - 1] + 1) + " in line '" + line + "' is outside 1.." + dim);
        }
      }
      rows.add(RowFactory.create(label, Vectors.sparse(dim, indices, values)));
    }
    return rows;
  }
}
