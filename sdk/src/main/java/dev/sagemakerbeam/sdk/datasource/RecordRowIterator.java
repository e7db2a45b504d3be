package dev.sagemakerbeam.sdk.datasource;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.AmazonRecordDecoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.MalformedRecordException;
import dev.sagemakerbeam.io.RecordIoRange;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.OptionalDouble;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.TaskContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The rows of the records that start in one split of a RecordIO file: {@code label} (null when the
 * record has none) and {@code features} (sparse when the record's tensor has keys), projected to
 * the columns the query needs.
 */
final class RecordRowIterator implements Iterator<InternalRow>, AutoCloseable {
  @SuppressWarnings("unchecked")
  private static final UserDefinedType<Vector> VECTOR_UDT =
      (UserDefinedType<Vector>) SQLDataTypes.VectorType();

  private final Path path;
  private final RecordIoRange range;
  private final int[] fields; // for each required column: 0 label, 1 features
  private InternalRow next;
  private boolean closed;

  private RecordRowIterator(Path path, RecordIoRange range, StructType requiredSchema) {
    this.path = path;
    this.range = range;
    this.fields = new int[requiredSchema.fields().length];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = SageMakerFileFormat.READ_SCHEMA.fieldIndex(requiredSchema.fields()[i].name());
    }
  }

  static RecordRowIterator open(
      Configuration conf, Path path, long start, long length, StructType requiredSchema)
      throws IOException {
    FSDataInputStream raw = path.getFileSystem(conf).open(path);
    RecordIoRange range;
    try {
      CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
      if (codec != null) {
        // compressed files are not split: read the whole decompressed stream
        InputStream in = new BufferedInputStream(codec.createInputStream(raw), 1 << 16);
        range = new RecordIoRange(in, 0, Long.MAX_VALUE);
      } else {
        raw.seek(start);
        range = new RecordIoRange(new BufferedInputStream(raw, 1 << 16), start, start + length);
      }
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
    RecordRowIterator rows = new RecordRowIterator(path, range, requiredSchema);
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> rows.close());
    }
    return rows;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    if (closed) {
      return false;
    }
    try {
      if (!range.next()) {
        close();
        return false;
      }
      next = toRow(AmazonRecordDecoder.decode(range.buffer(), 0, range.length()));
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    } catch (MalformedRecordException e) {
      throw new MalformedRecordException(
          "record at byte " + range.recordOffset() + " of " + path + ": " + e.getMessage());
    }
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    InternalRow row = next;
    next = null;
    return row;
  }

  private InternalRow toRow(AmazonRecord record) {
    Object[] values = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      if (fields[i] == 0) {
        OptionalDouble label = record.scalarLabel();
        values[i] = label.isPresent() ? (Object) label.getAsDouble() : null;
      } else {
        FeatureVector features = record.featureVector();
        if (features == null) {
          throw new MalformedRecordException(
              "has no features[\"values\"] tensor (feature keys "
                  + record.features().keySet()
                  + ")");
        }
        Vector vector =
            features.isSparse()
                ? Vectors.sparse(features.size(), features.indices(), features.values())
                : Vectors.dense(features.values());
        values[i] = VECTOR_UDT.serialize(vector);
      }
    }
    return new GenericInternalRow(values);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        range.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close " + path, e);
      }
    }
  }
}
