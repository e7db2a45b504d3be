package dev.sagemakerbeam.transforms.serde;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class PredictionCodersTest {
  private static final KMeansPrediction KMEANS = new KMeansPrediction(3, 0.25);
  private static final PcaPrediction PCA = new PcaPrediction(new double[] {1.5, -2, 0});
  private static final LdaPrediction LDA = new LdaPrediction(new double[] {0.7, 0.2, 0.1});
  private static final ScoredPrediction BINARY = new ScoredPrediction(new double[] {0.9}, 1);
  private static final ScoredPrediction REGRESSOR =
      new ScoredPrediction(new double[] {42.5}, Double.NaN);
  private static final ScoredPrediction MULTICLASS =
      new ScoredPrediction(new double[] {0.1, 0.7, 0.2}, 1);

  private static LabelValues labels() {
    Map<String, double[]> values = new LinkedHashMap<>();
    values.put("score", new double[] {0.5, 0.25});
    values.put("predicted_label", new double[] {1});
    values.put("empty", new double[0]);
    return new LabelValues(values);
  }

  @Test
  void everyPredictionSurvivesItsCoder() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(PredictionCoders.KMeansPredictionCoder.of(), KMEANS);
    CoderProperties.coderDecodeEncodeEqual(PredictionCoders.PcaPredictionCoder.of(), PCA);
    CoderProperties.coderDecodeEncodeEqual(PredictionCoders.LdaPredictionCoder.of(), LDA);
    for (ScoredPrediction p : List.of(BINARY, REGRESSOR, MULTICLASS)) {
      CoderProperties.coderDecodeEncodeEqual(PredictionCoders.ScoredPredictionCoder.of(), p);
    }
    CoderProperties.coderDecodeEncodeEqual(PredictionCoders.LabelValuesCoder.of(), labels());
    CoderProperties.coderSerializable(PredictionCoders.KMeansPredictionCoder.of());
  }

  @Test
  void labelValuesKeepTheirKeyOrderAndAreNotDeterministic() throws Exception {
    LabelValues back = CoderUtils.clone(PredictionCoders.LabelValuesCoder.of(), labels());
    assertThat(back.asMap().keySet(), contains("score", "predicted_label", "empty"));
    assertThrows(
        Coder.NonDeterministicException.class,
        () -> PredictionCoders.LabelValuesCoder.of().verifyDeterministic());
    PredictionCoders.KMeansPredictionCoder.of().verifyDeterministic();
  }

  @Test
  void theRegistryFindsTheCodersWithoutSetCoder() throws Exception {
    CoderRegistry registry = CoderRegistry.createDefault();
    assertThat(
        registry.getCoder(KMeansPrediction.class),
        instanceOf(PredictionCoders.KMeansPredictionCoder.class));
    assertThat(
        registry.getCoder(PcaPrediction.class),
        instanceOf(PredictionCoders.PcaPredictionCoder.class));
    assertThat(
        registry.getCoder(LdaPrediction.class),
        instanceOf(PredictionCoders.LdaPredictionCoder.class));
    assertThat(
        registry.getCoder(ScoredPrediction.class),
        instanceOf(PredictionCoders.ScoredPredictionCoder.class));
    assertThat(
        registry.getCoder(LabelValues.class), instanceOf(PredictionCoders.LabelValuesCoder.class));
  }

  @Test
  void theDeserializersGiveTheCompactCoders() throws Exception {
    List<Coder<?>> coders =
        List.of(
            new KMeansProtobufResponseDeserializer().predictionCoder(),
            new PcaProtobufResponseDeserializer().predictionCoder(),
            new LdaProtobufResponseDeserializer().predictionCoder(),
            new ScoredProtobufResponseDeserializer().predictionCoder(),
            ProtobufResponseDeserializer.forLabelKeys("score").predictionCoder());
    for (Coder<?> coder : coders) {
      assertThat(coder.toString(), coder instanceof SerializableCoder, is(false));
    }
    // two doubles, where Java serialization writes the class descriptor with every element
    byte[] compact =
        CoderUtils.encodeToByteArray(PredictionCoders.KMeansPredictionCoder.of(), KMEANS);
    byte[] serialized =
        CoderUtils.encodeToByteArray(SerializableCoder.of(KMeansPrediction.class), KMEANS);
    assertThat(compact.length, is(16));
    assertThat(compact.length * 4, lessThan(serialized.length));
  }

  @Test
  void aCorruptLengthIsACoderExceptionNotAHugeArray() {
    // VarInt of 2^31 - 1: an array length no prediction has
    byte[] corrupt = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
    CoderException e =
        assertThrows(
            CoderException.class,
            () ->
                CoderUtils.decodeFromByteArray(PredictionCoders.PcaPredictionCoder.of(), corrupt));
    assertThat(e.getMessage(), containsString("2147483647"));
  }
}
