package dev.sagemakerbeam.transforms.algorithms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.PcaPrediction;
import java.util.Map;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class AlgorithmPresetTest {

  @Test
  void imageUrisPerRegionAndPartition() {
    assertThat(
        AlgorithmPreset.kmeans().imageUri("us-east-1"),
        is("382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1"));
    assertThat(
        AlgorithmPreset.pca().imageUri("eu-west-1"),
        is("438346466558.dkr.ecr.eu-west-1.amazonaws.com/pca:1"));
    assertThat(
        AlgorithmPreset.kmeans().imageUri("cn-north-1"),
        is("390948362332.dkr.ecr.cn-north-1.amazonaws.com.cn/kmeans:1"));
    assertThat(
        AlgorithmPreset.pca().imageUri("cn-northwest-1"),
        is("387376663083.dkr.ecr.cn-northwest-1.amazonaws.com.cn/pca:1"));
    assertThat(
        AlgorithmPreset.kmeans().imageUri("us-gov-west-1"),
        is("226302683700.dkr.ecr.us-gov-west-1.amazonaws.com/kmeans:1"));
    assertThat(
        AlgorithmPreset.kmeans().imageUri("us-iso-east-1"),
        is("490574956308.dkr.ecr.us-iso-east-1.c2s.ic.gov/kmeans:1"));
  }

  @Test
  void resolverCanBeOverridden() {
    assertThat(
        AlgorithmPreset.kmeans()
            .withImages(BuiltInAlgorithmImages.kmeans().withTag("latest"))
            .imageUri("us-west-2"),
        is("174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:latest"));
    assertThat(
        AlgorithmPreset.pca()
            .withImages(BuiltInAlgorithmImages.pca().withAccount("xx-test-1", "123456789012"))
            .imageUri("xx-test-1"),
        is("123456789012.dkr.ecr.xx-test-1.amazonaws.com/pca:1"));
    assertThat(
        AlgorithmPreset.kmeans()
            .withImages(ImageUriResolver.fixed("local/kmeans:dev"))
            .imageUri("any"),
        is("local/kmeans:dev"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AlgorithmPreset.kmeans().imageUri("mars-north-1"));
    assertThat(e.getMessage(), containsString("'mars-north-1'"));
    assertThat(e.getMessage(), containsString("withAccount"));
  }

  @Test
  void presetsCarryTheirFormatsAndSurviveSerialization() {
    AlgorithmPreset<KMeansHyperparameters, KMeansPrediction> kmeans =
        SerializableUtils.clone(AlgorithmPreset.kmeans());
    assertThat(kmeans.trainingContentType(), is("application/x-recordio-protobuf"));
    assertThat(kmeans.requestSerializer().contentType(), is("application/x-recordio-protobuf"));
    assertThat(kmeans.responseDeserializer(), instanceOf(KMeansProtobufResponseDeserializer.class));
    assertThat(kmeans.newHyperparameters(), instanceOf(KMeansHyperparameters.class));
    AlgorithmPreset<PcaHyperparameters, PcaPrediction> pca = AlgorithmPreset.pca();
    assertThat(pca.responseDeserializer().accept(), is("application/x-recordio-protobuf"));
  }

  @Test
  void kmeansHyperparametersAreTypedAndValidated() {
    Map<String, String> map =
        AlgorithmPreset.kmeans()
            .newHyperparameters()
            .featureDim(784)
            .k(10)
            .miniBatchSize(500)
            .initMethod("kmeans++")
            .tolerance(0.001)
            .evalMetrics("msd", "ssd")
            .raw("force_dense", "True")
            .toMap();
    assertThat(map.get("feature_dim"), is("784"));
    assertThat(map.get("k"), is("10"));
    assertThat(map.get("init_method"), is("kmeans++"));
    assertThat(map.get("eval_metrics"), is("[\"msd\", \"ssd\"]"));
    assertThat(
        map.get("force_dense"), is("true")); // given as True, as the SageMaker Python SDK sends it

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new KMeansHyperparameters().k(0));
    assertThat(
        e.getMessage(),
        is("K-Means hyperparameter k = 0 is invalid: it must be an integer of at least 2"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new KMeansHyperparameters().initMethod("spectral"));
    assertThat(e.getMessage(), containsString("init_method = spectral"));
    assertThat(e.getMessage(), containsString("[random, kmeans++]"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new KMeansHyperparameters().featureDim(4).toMap());
    assertThat(e.getMessage(), containsString("k is required"));
    // refused when set, not only when the job's hyperparameters are assembled
    e = assertThrows(IllegalArgumentException.class, () -> new KMeansHyperparameters().k(1));
    assertThat(
        e.getMessage(),
        is("K-Means hyperparameter k = 1 is invalid: it must be an integer of at least 2"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new KMeansHyperparameters().featureDim(4).raw("k", "1").toMap());
    assertThat(e.getMessage(), containsString("k = 1"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new KMeansHyperparameters().featureDim(4).raw("k", "ten").toMap());
    assertThat(e.getMessage(), containsString("k = ten"));
  }

  @Test
  void pcaHyperparametersCheckRulesAcrossParameters() {
    Map<String, String> map =
        new PcaHyperparameters()
            .featureDim(50)
            .miniBatchSize(200)
            .numComponents(5)
            .algorithmMode("randomized")
            .extraComponents(-1)
            .subtractMean(false)
            .toMap();
    assertThat(map.get("algorithm_mode"), is("randomized"));
    assertThat(map.get("subtract_mean"), is("false"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new PcaHyperparameters().featureDim(5).miniBatchSize(10).numComponents(6).toMap());
    assertThat(e.getMessage(), containsString("num_components = 6"));
    assertThat(e.getMessage(), containsString("at most feature_dim (5)"));
    // SageMaker documents extra_components as a non-negative integer or -1
    assertThat(
        new PcaHyperparameters()
            .featureDim(5)
            .miniBatchSize(10)
            .numComponents(2)
            .extraComponents(0)
            .toMap()
            .get("extra_components"),
        is("0"));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new PcaHyperparameters().extraComponents(-2));
    assertThat(e.getMessage(), containsString("an integer of at least -1"));
    // names up to 256 characters, values up to 2,500 (CreateTrainingJob's limits)
    assertThat(
        new PcaHyperparameters()
            .featureDim(5)
            .miniBatchSize(10)
            .numComponents(2)
            .raw("x", "v".repeat(2500))
            .toMap()
            .get("x")
            .length(),
        is(2500));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new PcaHyperparameters()
                    .featureDim(5)
                    .miniBatchSize(10)
                    .numComponents(2)
                    .raw("x", "v".repeat(2501))
                    .toMap());
    assertThat(e.getMessage(), containsString("at most 2500 characters"));
  }

  @Test
  void atMostOneHundredHyperparameters() {
    KMeansHyperparameters h = new KMeansHyperparameters().featureDim(2).k(2);
    for (int i = 0; i < 99; i++) {
      h.raw("extra_" + i, "1");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, h::toMap);
    assertThat(e.getMessage(), containsString("at most 100 hyperparameters; got 101"));
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aPresetTakesOnlyItsOwnHyperparameters() {
    // forPreset(AlgorithmPreset.kmeans(), new PcaHyperparameters()) does not compile; raw types can
    AlgorithmPreset raw = AlgorithmPreset.kmeans();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                dev.sagemakerbeam.transforms.training.SageMakerTrain.forPreset(
                    raw,
                    new PcaHyperparameters().featureDim(5).miniBatchSize(10).numComponents(2)));
    assertThat(e.getMessage(), containsString("PCA hyperparameters for the K-Means preset"));
    assertThat(e.getMessage(), containsString("KMeansHyperparameters"));
  }
}
