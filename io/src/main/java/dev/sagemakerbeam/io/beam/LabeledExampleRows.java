package dev.sagemakerbeam.io.beam;

import dev.sagemakerbeam.io.FeatureVector;
import java.util.Collection;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Turns Beam {@link Row}s with a label column and a features column into {@link LabeledExample}s.
 *
 * <p>The features column is either an array of numbers (a dense vector) or a row of schema {@link
 * #SPARSE_VECTOR_SCHEMA} ({@code size} INT32, {@code indices} ARRAY&lt;INT32&gt;, {@code values}
 * ARRAY&lt;DOUBLE&gt;). The label column is any numeric type; a null label, or no label column at
 * all ({@link #withoutLabel}), gives an unlabelled example.
 */
public final class LabeledExampleRows
    extends PTransform<PCollection<Row>, PCollection<LabeledExample>> {
  private static final long serialVersionUID = 1L;

  /** Default name of the label column. */
  public static final String DEFAULT_LABEL = "label";

  /** Default name of the features column. */
  public static final String DEFAULT_FEATURES = "features";

  /** Schema of a sparse feature vector held in a row field. */
  public static final Schema SPARSE_VECTOR_SCHEMA =
      Schema.builder()
          .addInt32Field("size")
          .addArrayField("indices", FieldType.INT32)
          .addArrayField("values", FieldType.DOUBLE)
          .build();

  private final String labelField; // null: no label
  private final String featuresField;

  private LabeledExampleRows(String labelField, String featuresField) {
    this.labelField = labelField;
    this.featuresField = featuresField;
  }

  /** Reads columns {@code label} and {@code features}. */
  public static LabeledExampleRows create() {
    return new LabeledExampleRows(DEFAULT_LABEL, DEFAULT_FEATURES);
  }

  /** Reads the label from column {@code name}. */
  public LabeledExampleRows withLabelField(String name) {
    requireName(name, "withLabelField");
    return new LabeledExampleRows(name, featuresField);
  }

  /** Reads the features from column {@code name}. */
  public LabeledExampleRows withFeaturesField(String name) {
    requireName(name, "withFeaturesField");
    return new LabeledExampleRows(labelField, name);
  }

  /** Makes unlabelled examples, ignoring any label column. */
  public LabeledExampleRows withoutLabel() {
    return new LabeledExampleRows(null, featuresField);
  }

  @Override
  public PCollection<LabeledExample> expand(PCollection<Row> input) {
    if (!input.hasSchema()) {
      throw new IllegalArgumentException(
          "LabeledExampleRows needs a PCollection<Row> with a schema; call setRowSchema(...) on "
              + input);
    }
    Schema schema = input.getSchema();
    validate(schema, labelField, featuresField);
    String label = labelField;
    String features = featuresField;
    return input
        .apply(
            "ToLabeledExample",
            MapElements.via(
                new SimpleFunction<Row, LabeledExample>() {
                  private static final long serialVersionUID = 1L;

                  @Override
                  public LabeledExample apply(Row row) {
                    return toExample(row, label, features);
                  }
                }))
        .setCoder(LabeledExampleCoder.of());
  }

  /**
   * Checks that {@code schema} has a usable features column (and label column, when {@code
   * labelField} is not null).
   *
   * @throws IllegalArgumentException naming the column, its type and what is accepted
   */
  public static void validate(Schema schema, String labelField, String featuresField) {
    if (!schema.hasField(featuresField)) {
      throw new IllegalArgumentException(
          "features column '"
              + featuresField
              + "' is not in the schema "
              + schema.getFieldNames()
              + "; name the column with withFeaturesField(...)");
    }
    FieldType featuresType = schema.getField(featuresField).getType();
    if (!isDenseVectorType(featuresType) && !isSparseVectorType(featuresType)) {
      throw new IllegalArgumentException(
          "features column '"
              + featuresField
              + "' has type "
              + featuresType
              + "; expected an ARRAY of numbers (dense) or a ROW "
              + SPARSE_VECTOR_SCHEMA
              + " (sparse)");
    }
    if (labelField != null && schema.hasField(labelField)) {
      FieldType labelType = schema.getField(labelField).getType();
      if (!labelType.getTypeName().isNumericType()) {
        throw new IllegalArgumentException(
            "label column '"
                + labelField
                + "' has type "
                + labelType
                + "; expected a numeric type (DOUBLE, FLOAT, INT32, ...), or call withoutLabel()");
      }
    }
  }

  /** The example in {@code row}; {@code labelField} null or absent gives an unlabelled example. */
  public static LabeledExample toExample(Row row, String labelField, String featuresField) {
    FeatureVector features = toFeatureVector(row, featuresField);
    if (labelField == null || !row.getSchema().hasField(labelField)) {
      return LabeledExample.unlabeled(features);
    }
    Object label = row.getValue(labelField);
    if (label == null) {
      return LabeledExample.unlabeled(features);
    }
    return LabeledExample.of(((Number) label).doubleValue(), features);
  }

  private static FeatureVector toFeatureVector(Row row, String featuresField) {
    Object value = row.getValue(featuresField);
    if (value == null) {
      throw new IllegalArgumentException(
          "features column '"
              + featuresField
              + "' is null in row "
              + row
              + "; every example needs features");
    }
    if (value instanceof Row) {
      Row sparse = (Row) value;
      Collection<Integer> indices = sparse.getArray("indices");
      Collection<Double> values = sparse.getArray("values");
      int[] idx = new int[indices.size()];
      int i = 0;
      for (Integer index : indices) {
        idx[i++] = index;
      }
      double[] vals = new double[values.size()];
      i = 0;
      for (Double v : values) {
        vals[i++] = v;
      }
      return FeatureVector.sparse(sparse.getInt32("size"), idx, vals);
    }
    Collection<?> dense = (Collection<?>) value;
    double[] values = new double[dense.size()];
    int i = 0;
    for (Object v : dense) {
      if (v == null) {
        throw new IllegalArgumentException(
            "features column '"
                + featuresField
                + "' holds a null at position "
                + i
                + " in row "
                + row);
      }
      values[i++] = ((Number) v).doubleValue();
    }
    return FeatureVector.dense(values);
  }

  private static boolean isDenseVectorType(FieldType type) {
    TypeName name = type.getTypeName();
    return (name == TypeName.ARRAY || name == TypeName.ITERABLE)
        && type.getCollectionElementType().getTypeName().isNumericType();
  }

  private static boolean isSparseVectorType(FieldType type) {
    return type.getTypeName() == TypeName.ROW
        && type.getRowSchema().assignableTo(SPARSE_VECTOR_SCHEMA);
  }

  private static void requireName(String name, String method) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(method + " needs a non-empty column name, got " + name);
    }
  }
}
