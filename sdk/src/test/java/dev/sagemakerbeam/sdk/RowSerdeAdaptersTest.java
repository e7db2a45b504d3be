package dev.sagemakerbeam.sdk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.sdk.deserializers.LibSVMResponseRowDeserializer;
import dev.sagemakerbeam.sdk.deserializers.ProtobufResponseRowDeserializer;
import dev.sagemakerbeam.sdk.deserializers.XGBoostCSVRowDeserializer;
import dev.sagemakerbeam.sdk.serializers.LibSVMRequestRowSerializer;
import dev.sagemakerbeam.sdk.serializers.ProtobufRequestRowSerializer;
import dev.sagemakerbeam.sdk.serializers.UnlabeledCSVRequestRowSerializer;
import dev.sagemakerbeam.sdk.serializers.UnlabeledLibSVMRequestRowSerializer;
import dev.sagemakerbeam.transforms.serde.CsvRequestSerializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The row serializers and deserializers are thin adapters over the shared codecs; no Spark session
 * needed.
 */
class RowSerdeAdaptersTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("label", DataTypes.DoubleType)
          .add("features", SQLDataTypes.VectorType())
          .add("name", DataTypes.StringType);

  private static Row row(double label, double... features) {
    return new GenericRowWithSchema(
        new Object[] {label, Vectors.dense(features).compressed(), "r"}, SCHEMA);
  }

  @Test
  void serializersWriteWhatTheSharedCodecsWrite() {
    Row r = row(3, 0, 1.5, 0, 2);
    FeatureVector fv = FeatureVector.dense(new double[] {0, 1.5, 0, 2});
    assertThat(
        new UnlabeledCSVRequestRowSerializer().serialize(r),
        equalTo(CsvRequestSerializer.forFeatureVectors().serialize(fv)));
    assertThat(
        new ProtobufRequestRowSerializer().serialize(r),
        equalTo(RecordIoProtobufRequestSerializer.forFeatureVectors().serialize(fv)));
    assertThat(
        new String(new LibSVMRequestRowSerializer().serialize(r), StandardCharsets.UTF_8),
        equalTo("3 2:1.5 4:2\n"));
    assertThat(
        new String(new UnlabeledLibSVMRequestRowSerializer().serialize(r), StandardCharsets.UTF_8),
        equalTo("2:1.5 4:2\n"));
  }

  @Test
  void schemaChecksNameTheColumn() {
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ProtobufRequestRowSerializer("pixels").validateSchema(SCHEMA));
    assertThat(
        missing.getMessage(),
        containsString("'pixels' does not exist; the columns are label, features, name"));
    IllegalArgumentException notVector =
        assertThrows(
            IllegalArgumentException.class,
            () -> new UnlabeledCSVRequestRowSerializer("name").validateSchema(SCHEMA));
    assertThat(
        notVector.getMessage(),
        containsString("column 'name' must hold org.apache.spark.ml.linalg.Vector"));
    IllegalArgumentException labelNotNumeric =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LibSVMRequestRowSerializer("name", "features").validateSchema(SCHEMA));
    assertThat(labelNotNumeric.getMessage(), containsString("label column 'name' must be numeric"));
    IllegalArgumentException size =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ProtobufRequestRowSerializer("features", 10).serialize(row(1, 1, 2)));
    assertThat(
        size.getMessage(),
        containsString("'features' holds a vector of size 2 but feature_dim is 10"));
  }

  @Test
  void deserializersGiveTheOriginalColumns() {
    List<Row> libsvm =
        new LibSVMResponseRowDeserializer(5)
            .deserialize("1 1:0.5 3:2\n0 5:1\n".getBytes(StandardCharsets.UTF_8));
    assertThat(libsvm.size(), is(2));
    assertThat(libsvm.get(0).getDouble(0), is(1.0));
    assertThat(
        libsvm.get(0).get(1), equalTo(Vectors.sparse(5, new int[] {0, 2}, new double[] {0.5, 2})));
    assertThat(libsvm.get(1).get(1), equalTo(Vectors.sparse(5, new int[] {4}, new double[] {1})));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new LibSVMResponseRowDeserializer(2)
                .deserialize("1 3:1\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(
        Arrays.asList(new LibSVMResponseRowDeserializer(5).schema().fieldNames()),
        equalTo(List.of("label", "features")));

    XGBoostCSVRowDeserializer xgb = new XGBoostCSVRowDeserializer();
    assertThat(Arrays.asList(xgb.schema().fieldNames()), equalTo(List.of("prediction")));
    List<Row> predictions = xgb.deserialize("0.25\n0.75\n".getBytes(StandardCharsets.UTF_8));
    assertThat(predictions.size(), is(2));
    assertThat(predictions.get(1).getDouble(0), is(0.75));

    IllegalArgumentException wrongType =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ProtobufResponseRowDeserializer(
                    new StructType().add("score", DataTypes.StringType)));
    assertThat(wrongType.getMessage(), containsString("column 'score' has type string"));
  }
}
