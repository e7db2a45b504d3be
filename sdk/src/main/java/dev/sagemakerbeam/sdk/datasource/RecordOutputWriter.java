package dev.sagemakerbeam.sdk.datasource;

import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriter;

/**
 * Writes one task's rows to one RecordIO file of Amazon Records.
 *
 * <p>Vectors are read straight from their catalyst form, which the ml and mllib {@code VectorUDT}s
 * share: {@code struct<type: tinyint (0 sparse, 1 dense), size: int, indices: array<int>, values:
 * array<double>>}.
 */
final class RecordOutputWriter extends OutputWriter {
  private static final int SPARSE = 0;

  private final String path;
  private final WriteColumns columns;
  private final RecordIoWriter writer;
  private final AmazonRecordEncoder encoder = new AmazonRecordEncoder();

  RecordOutputWriter(String path, Configuration conf, WriteColumns columns) throws IOException {
    this.path = path;
    this.columns = columns;
    Path file = new Path(path);
    this.writer =
        new RecordIoWriter(
            new BufferedOutputStream(file.getFileSystem(conf).create(file, false), 1 << 16));
  }

  @Override
  public void write(InternalRow row) {
    if (row.isNullAt(columns.featuresOrdinal)) {
      throw new IllegalArgumentException(
          "features column '"
              + columns.featuresColumn
              + "' is null in a row; every record needs features"
              + " (filter out rows with null features before writing)");
    }
    InternalRow vector = row.getStruct(columns.featuresOrdinal, 4);
    FeatureVector features;
    if (vector.getByte(0) == SPARSE) {
      features =
          FeatureVector.sparse(
              vector.getInt(1),
              vector.getArray(2).toIntArray(),
              vector.getArray(3).toDoubleArray());
    } else {
      features = FeatureVector.dense(vector.getArray(3).toDoubleArray());
    }
    int length;
    if (columns.labelOrdinal >= 0 && !row.isNullAt(columns.labelOrdinal)) {
      length = encoder.encode(features, columns.label(row));
    } else {
      length = encoder.encode(features);
    }
    try {
      writer.write(encoder.buffer(), 0, length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a record to " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String path() {
    return path;
  }
}
