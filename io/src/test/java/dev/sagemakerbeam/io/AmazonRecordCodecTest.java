package dev.sagemakerbeam.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.sagemakerbeam.io.protobuf.AmazonRecordProtos.Bytes;
import dev.sagemakerbeam.io.protobuf.AmazonRecordProtos.Float32Tensor;
import dev.sagemakerbeam.io.protobuf.AmazonRecordProtos.Float64Tensor;
import dev.sagemakerbeam.io.protobuf.AmazonRecordProtos.Int32Tensor;
import dev.sagemakerbeam.io.protobuf.AmazonRecordProtos.Record;
import dev.sagemakerbeam.io.protobuf.AmazonRecordProtos.Value;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AmazonRecordCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  /** What SageMaker Spark's ProtobufConverter builds, with the generated classes. */
  private static Record reference(FeatureVector v, Double label) {
    Float32Tensor.Builder tensor = Float32Tensor.newBuilder();
    if (v.isSparse()) {
      tensor.addShape(v.size());
      for (int i = 0; i < v.indices().length; i++) {
        tensor.addKeys(v.indices()[i]);
        tensor.addValues((float) v.values()[i]);
      }
    } else {
      for (double d : v.values()) {
        tensor.addValues((float) d);
      }
    }
    Record.Builder record =
        Record.newBuilder()
            .putFeatures("values", Value.newBuilder().setFloat32Tensor(tensor).build());
    if (label != null) {
      record.putLabel(
          "values",
          Value.newBuilder()
              .setFloat32Tensor(Float32Tensor.newBuilder().addValues(label.floatValue()))
              .build());
    }
    return record.build();
  }

  @Test
  void goldenBytesForASmallLabelledDenseRecord() {
    byte[] encoded =
        new AmazonRecordEncoder().toByteArray(FeatureVector.dense(new double[] {1.0, 2.0}), 3.0);
    String expected =
        // features map entry (field 1, 22 bytes): key "values", Value{float32_tensor{values [1,
        // 2]}}
        "0a16"
            + "0a06"
            + "76616c756573"
            + "120c"
            + "120a"
            + "0a08"
            + "0000803f"
            + "00000040"
            // label map entry (field 2, 18 bytes): key "values", Value{float32_tensor{values [3]}}
            + "1212"
            + "0a06"
            + "76616c756573"
            + "1208"
            + "1206"
            + "0a04"
            + "00004040";
    assertThat(HEX.formatHex(encoded), equalTo(expected));
  }

  @Test
  void goldenBytesForASmallSparseRecord() {
    byte[] encoded =
        new AmazonRecordEncoder()
            .toByteArray(FeatureVector.sparse(300, new int[] {2, 200}, new double[] {0.5, -1.0}));
    String expected =
        "0a1f"
            + "0a06"
            + "76616c756573"
            + "1215"
            + "1213"
            + "0a08"
            + "0000003f"
            + "000080bf" // values 0.5, -1.0
            + "1203"
            + "02"
            + "c801" // keys 2, 200 (varints)
            + "1a02"
            + "ac02"; // shape [300]
    assertThat(HEX.formatHex(encoded), equalTo(expected));
  }

  @Test
  void encoderIsByteIdenticalToGeneratedClassesOnRandomInputs() {
    Random random = new Random(20261125);
    AmazonRecordEncoder encoder = new AmazonRecordEncoder();
    double[] specials = {
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      -0.0,
      0.0,
      Double.MIN_VALUE,
      Double.MAX_VALUE,
      -Double.MAX_VALUE,
      1e-40,
      3.4e38,
      1e39,
      Float.MIN_VALUE
    };
    for (int trial = 0; trial < 2000; trial++) {
      FeatureVector v;
      int kind = trial % 4;
      if (kind == 0) {
        v =
            FeatureVector.dense(
                randomValues(random, random.nextInt(trial < 20 ? 1 : 300), specials));
      } else if (kind == 1) {
        int size = random.nextInt(2000) + (trial % 8 == 1 ? 0 : 1);
        v =
            randomSparse(
                random, size, size == 0 ? 0 : random.nextInt(Math.min(size, 64) + 1), specials);
      } else if (kind == 2) {
        v = randomSparse(random, 1_000_000, random.nextInt(40), specials); // 1M dimensions
      } else {
        v = FeatureVector.dense(new double[0]);
      }
      Double label =
          random.nextBoolean()
              ? null
              : specials[random.nextInt(specials.length)]
                  * (random.nextBoolean() ? 1 : random.nextGaussian());
      byte[] expected = reference(v, label).toByteArray();
      byte[] actual = label == null ? encoder.toByteArray(v) : encoder.toByteArray(v, label);
      assertArrayEquals(expected, actual, "trial " + trial + ": " + v + " label " + label);
    }
  }

  @Test
  void encoderReusesItsBufferAcrossSizes() {
    AmazonRecordEncoder encoder = new AmazonRecordEncoder();
    FeatureVector big = FeatureVector.dense(new double[5000]);
    FeatureVector small = FeatureVector.dense(new double[] {7});
    int bigLength = encoder.encode(big, 1);
    int smallLength = encoder.encode(small);
    assertThat(bigLength, equalTo(reference(big, 1.0).getSerializedSize()));
    assertArrayEquals(
        reference(small, null).toByteArray(), Arrays.copyOf(encoder.buffer(), smallLength));
  }

  @Test
  void decoderRoundTripsWhatTheEncoderWrites() {
    Random random = new Random(3);
    AmazonRecordEncoder encoder = new AmazonRecordEncoder();
    for (int trial = 0; trial < 500; trial++) {
      FeatureVector v =
          trial % 2 == 0
              ? FeatureVector.dense(randomValues(random, random.nextInt(100), new double[] {1.5}))
              : randomSparse(
                  random, 1 + random.nextInt(100_000), random.nextInt(50), new double[] {-2.25});
      // values survive the float32 narrowing exactly when they are floats already
      v = narrowed(v);
      double label = (float) random.nextGaussian();
      AmazonRecord decoded = AmazonRecordDecoder.decode(encoder.toByteArray(v, label));
      assertThat(decoded.featureVector(), equalTo(v));
      assertThat(decoded.scalarLabel().getAsDouble(), equalTo(label));
      assertThat(decoded.features().get("values").type(), is(Tensor.Type.FLOAT32));
    }
  }

  @Test
  void decoderReadsFloat64AndInt32TensorsMultiValuedLabelsBytesAndStrings() {
    Record record =
        Record.newBuilder()
            .putFeatures(
                "values",
                Value.newBuilder()
                    .setFloat64Tensor(
                        Float64Tensor.newBuilder()
                            .addValues(1e300)
                            .addValues(-0.5)
                            .addKeys(3)
                            .addKeys(9)
                            .addShape(10))
                    .build())
            .putFeatures(
                "ids",
                Value.newBuilder()
                    .setInt32Tensor(
                        Int32Tensor.newBuilder().addValues(-7).addValues(Integer.MAX_VALUE))
                    .build())
            .putFeatures(
                "image",
                Value.newBuilder()
                    .setBytes(
                        Bytes.newBuilder()
                            .addValue(ByteString.copyFromUtf8("png"))
                            .setContentType("image/png"))
                    .build())
            .putLabel(
                "closest_cluster",
                Value.newBuilder()
                    .setFloat32Tensor(Float32Tensor.newBuilder().addValues(4f))
                    .build())
            .putLabel(
                "projection",
                Value.newBuilder()
                    .setFloat32Tensor(
                        Float32Tensor.newBuilder().addValues(0.25f).addValues(-1f).addValues(8f))
                    .build())
            .setUid("row-17")
            .setMetadata("{\"a\":1}")
            .setConfiguration("cfg")
            .build();
    AmazonRecord decoded = AmazonRecordDecoder.decode(record.toByteArray());

    Tensor values = decoded.features().get("values");
    assertThat(values.type(), is(Tensor.Type.FLOAT64));
    assertThat(
        decoded.featureVector(),
        equalTo(FeatureVector.sparse(10, new int[] {3, 9}, new double[] {1e300, -0.5})));
    Tensor ids = decoded.features().get("ids");
    assertThat(ids.type(), is(Tensor.Type.INT32));
    assertArrayEquals(new double[] {-7, Integer.MAX_VALUE}, ids.values());
    Tensor image = decoded.features().get("image");
    assertThat(image.type(), is(Tensor.Type.BYTES));
    assertThat(
        new String(image.bytes().get(0), java.nio.charset.StandardCharsets.UTF_8), equalTo("png"));
    assertThat(image.contentType(), equalTo("image/png"));
    assertArrayEquals(new double[] {4}, decoded.label("closest_cluster").values());
    assertArrayEquals(new double[] {0.25, -1, 8}, decoded.label("projection").values());
    assertThat(decoded.uid(), equalTo("row-17"));
    assertThat(decoded.metadata(), equalTo("{\"a\":1}"));
    assertThat(decoded.configuration(), equalTo("cfg"));
    assertThat(decoded.scalarLabel().isPresent(), is(false));
  }

  @Test
  void decoderAcceptsUnpackedRepeatedFieldsAndSkipsUnknownFields() {
    // Float32Tensor with values written unpacked (field 1, wire type 5) twice, then an unknown
    // varint field 15
    String tensor = "0d" + "0000803f" + "0d" + "00000040" + "7801";
    String value = "12" + String.format("%02x", tensor.length() / 2) + tensor;
    String entry =
        "0a06" + "76616c756573" + "12" + String.format("%02x", value.length() / 2) + value;
    String record =
        "0a" + String.format("%02x", entry.length() / 2) + entry + "a00601"; // field 100 varint
    AmazonRecord decoded = AmazonRecordDecoder.decode(HEX.parseHex(record));
    assertThat(decoded.featureVector(), equalTo(FeatureVector.dense(new double[] {1, 2})));
  }

  @Test
  void malformedInputsNameTheOffsetAndProblem() {
    byte[] good =
        new AmazonRecordEncoder().toByteArray(FeatureVector.dense(new double[] {1, 2}), 3);
    MalformedRecordException truncated =
        assertThrows(
            MalformedRecordException.class,
            () -> AmazonRecordDecoder.decode(Arrays.copyOf(good, 10)));
    assertThat(truncated.getMessage(), containsString("claims 22 bytes but only 8 remain"));
    assertThat(truncated.getMessage(), containsString("at byte 2 of 10"));

    MalformedRecordException badWire =
        assertThrows(
            MalformedRecordException.class, () -> AmazonRecordDecoder.decode(HEX.parseHex("0b")));
    assertThat(badWire.getMessage(), containsString("wire type 3"));

    MalformedRecordException badFloats =
        assertThrows(
            MalformedRecordException.class,
            () ->
                AmazonRecordDecoder.decode(
                    HEX.parseHex("0a0f0a0676616c75657312051203" + "0a0100")));
    assertThat(
        badFloats.getMessage(),
        containsString("packed float32 values take 1 bytes, not a multiple of 4"));

    MalformedRecordException keysEndInVarint =
        assertThrows(
            MalformedRecordException.class,
            () ->
                AmazonRecordDecoder.decode(
                    HEX.parseHex("0a0f0a0676616c75657312051203" + "120180")));
    assertThat(keysEndInVarint.getMessage(), containsString("packed varints end inside a varint"));

    MalformedRecordException endsInVarint =
        assertThrows(
            MalformedRecordException.class, () -> AmazonRecordDecoder.decode(HEX.parseHex("08ff")));
    assertThat(endsInVarint.getMessage(), containsString("ends inside a varint"));
  }

  @Test
  void sparseTensorWithKeyOutsideShapeIsRejectedWhenReadAsVector() {
    Record record =
        Record.newBuilder()
            .putFeatures(
                "values",
                Value.newBuilder()
                    .setFloat32Tensor(
                        Float32Tensor.newBuilder().addValues(1f).addKeys(12).addShape(10))
                    .build())
            .build();
    AmazonRecord decoded = AmazonRecordDecoder.decode(record.toByteArray());
    MalformedRecordException e =
        assertThrows(MalformedRecordException.class, decoded::featureVector);
    assertThat(e.getMessage(), containsString("key 12 is outside its shape [10]"));
  }

  @Test
  void recordWithoutFeaturesHasNoFeatureVector() {
    AmazonRecord decoded = AmazonRecordDecoder.decode(new byte[0]);
    assertThat(decoded.featureVector(), nullValue());
  }

  @Test
  void featureVectorValidatesSparseIndices() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureVector.sparse(5, new int[] {1, 1}, new double[] {1, 2}));
    assertThat(e.getMessage(), containsString("index 1 at position 1 must be greater than 1"));
    IllegalArgumentException outside =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureVector.sparse(5, new int[] {5}, new double[] {1}));
    assertThat(outside.getMessage(), containsString("less than the size 5"));
  }

  private static FeatureVector narrowed(FeatureVector v) {
    double[] values = v.values().clone();
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) values[i];
    }
    return v.isSparse()
        ? FeatureVector.sparse(v.size(), v.indices(), values)
        : FeatureVector.dense(values);
  }

  private static double[] randomValues(Random random, int n, double[] specials) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] =
          random.nextInt(10) == 0
              ? specials[random.nextInt(specials.length)]
              : random.nextGaussian() * 100;
    }
    return values;
  }

  private static FeatureVector randomSparse(Random random, int size, int nnz, double[] specials) {
    int[] indices = random.ints(0, size).distinct().limit(nnz).sorted().toArray();
    return FeatureVector.sparse(size, indices, randomValues(random, indices.length, specials));
  }
}
