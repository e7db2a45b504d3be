package dev.sagemakerbeam.io.beam;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class AmazonRecordCoderTest {
  /** Every kind of tensor: dense float32, sparse float64 with a shape, int32, bytes; all fields. */
  private static AmazonRecord full() {
    Map<String, Tensor> features = new LinkedHashMap<>();
    features.put(
        "values", Tensor.numeric(Tensor.Type.FLOAT32, new double[] {1.5, -2, 0}, null, null));
    features.put(
        "sparse",
        Tensor.numeric(
            Tensor.Type.FLOAT64,
            new double[] {0.25, 7},
            new long[] {3, 99_999},
            new long[] {100_000}));
    features.put(
        "image",
        Tensor.bytes(
            List.of("abc".getBytes(StandardCharsets.UTF_8), new byte[0]), "application/x-image"));
    Map<String, Tensor> label = new LinkedHashMap<>();
    label.put("values", Tensor.numeric(Tensor.Type.INT32, new double[] {4}, null, null));
    return new AmazonRecord(features, label, "uid-1", "{\"m\":1}", null);
  }

  @Test
  void everyKindOfTensorAndFieldSurvives() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(AmazonRecordCoder.of(), full());
    CoderProperties.coderDecodeEncodeEqual(
        AmazonRecordCoder.of(), new AmazonRecord(Map.of(), Map.of(), null, null, "conf"));
    CoderProperties.coderSerializable(AmazonRecordCoder.of());
    AmazonRecord back = CoderUtils.clone(AmazonRecordCoder.of(), full());
    assertThat(back.features().keySet(), contains("values", "sparse", "image"));
  }

  @Test
  void readUsesItAndItIsSmallerThanJavaSerialization() throws Exception {
    Pipeline p = Pipeline.create();
    Coder<AmazonRecord> coder = p.apply(SageMakerRecordIO.read().from("/nonexistent/*")).getCoder();
    assertThat(coder, instanceOf(AmazonRecordCoder.class));
    byte[] compact = CoderUtils.encodeToByteArray(AmazonRecordCoder.of(), full());
    byte[] serialized =
        CoderUtils.encodeToByteArray(SerializableCoder.of(AmazonRecord.class), full());
    assertThat(compact.length * 4, lessThan(serialized.length));
  }

  @Test
  void corruptInputIsACoderException() throws Exception {
    byte[] good = CoderUtils.encodeToByteArray(AmazonRecordCoder.of(), full());
    byte[] badType = good.clone();
    // the first tensor's type byte follows the count (1 byte) and the key "values" (1 + 6 bytes)
    badType[8] = 9;
    CoderException e =
        assertThrows(
            CoderException.class,
            () -> CoderUtils.decodeFromByteArray(AmazonRecordCoder.of(), badType));
    assertThat(e.getMessage(), containsString("tensor type 9"));
    assertThrows(
        CoderException.class,
        () ->
            CoderUtils.decodeFromByteArray(
                AmazonRecordCoder.of(), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}));
  }
}
