package dev.sagemakerbeam.local.algorithm.builtin;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoWriter;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.ModelWorker.Invocation;
import dev.sagemakerbeam.local.algorithm.ModelWorker.ModelError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invocation formats and request errors of the built-in model workers, on small known models. */
class InferenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  /** Centers (0,0) and (10,0). */
  static ModelWorker kmeans;

  /** Mean (1,1,1); components e3 (variance 1) then e1 (variance 4). */
  static ModelWorker pca;

  @BeforeAll
  static void models() throws Exception {
    new KMeansModel(2, new double[][] {{0, 0}, {10, 0}}).save(dir.resolve("kmeans"));
    kmeans = BuiltInAlgorithms.all().get("kmeans").load(dir.resolve("kmeans"), Map.of());
    new PcaModel(
            3,
            true,
            new double[] {1, 1, 1},
            new double[][] {{0, 0, 1}, {1, 0, 0}},
            new double[] {1, 4},
            6)
        .save(dir.resolve("pca"));
    pca = BuiltInAlgorithms.all().get("pca").load(dir.resolve("pca"), Map.of());
  }

  @Test
  void kmeansAnswersInEveryAcceptType() throws Exception {
    byte[] csv = "1,0\n9,3\n".getBytes(StandardCharsets.UTF_8);
    JsonNode json = JSON.readTree(kmeans.invoke(csv, "text/csv", "application/json").body());
    assertThat(
        json.toString(),
        is(
            "{\"predictions\":[{\"closest_cluster\":0.0,\"distance_to_cluster\":1.0},"
                + "{\"closest_cluster\":1.0,\"distance_to_cluster\":"
                + (float) Math.sqrt(10)
                + "}]}"));

    Invocation lines = kmeans.invoke(csv, "text/csv", "application/jsonlines");
    assertThat(lines.contentType(), is("application/jsonlines"));
    assertThat(
        new String(lines.body(), StandardCharsets.UTF_8),
        is(
            "{\"closest_cluster\":0.0,\"distance_to_cluster\":1.0}\n"
                + "{\"closest_cluster\":1.0,\"distance_to_cluster\":"
                + (float) Math.sqrt(10)
                + "}\n"));

    Invocation csvOut = kmeans.invoke(csv, "text/csv", "text/csv");
    assertThat(
        new String(csvOut.body(), StandardCharsets.UTF_8),
        is("0.0,1.0\n1.0," + (float) Math.sqrt(10) + "\n"));

    Invocation protobuf =
        kmeans.invoke(csv, "text/csv", "text/html, application/x-recordio-protobuf;q=0.9");
    assertThat(protobuf.contentType(), is("application/x-recordio-protobuf"));
    List<AmazonRecord> records = KMeansMnistTest.records(protobuf.body());
    assertThat(records.size(), is(2));
    assertThat(
        records.get(1).label().keySet(),
        is(java.util.Set.of("closest_cluster", "distance_to_cluster")));
    assertThat(
        records.get(1).label("closest_cluster").type(),
        is(dev.sagemakerbeam.io.Tensor.Type.FLOAT32));
    assertThat(records.get(1).label("closest_cluster").values()[0], is(1.0));
    assertThat(
        records.get(1).label("distance_to_cluster").values()[0], closeTo(Math.sqrt(10), 1e-6));

    assertThat(kmeans.invoke(csv, "text/csv", null).contentType(), is("application/json"));
    assertThat(kmeans.invoke(csv, "text/csv", "*/*").contentType(), is("application/json"));
  }

  @Test
  void kmeansReadsEveryDocumentedJsonShape() throws Exception {
    String[] shapes = {
      "{\"instances\":[{\"features\":[9,3]}]}",
      "{\"instances\":[{\"data\":{\"features\":{\"values\":[9,3]}}}]}",
      "{\"instances\":[{\"data\":{\"features\":{\"keys\":[0,1],\"values\":[9,3],\"shape\":[2]}}}]}",
      "{\"instances\":[{\"data\":{\"features\":{\"keys\":[0,1],\"values\":[9,3]}}}]}",
      "{\"instances\":[{\"data\":{\"anything\":[9,3]}}]}",
      "{\"instances\":[[9,3]]}",
      "{\"features\":[9,3]}",
      "[9,3]",
      "[[9,3]]",
    };
    for (String shape : shapes) {
      JsonNode p =
          JSON.readTree(
                  kmeans
                      .invoke(
                          shape.getBytes(StandardCharsets.UTF_8),
                          "application/json",
                          "application/json")
                      .body())
              .get("predictions");
      assertThat(shape, p.size(), is(1));
      assertThat(shape, p.get(0).get("closest_cluster").doubleValue(), is(1.0));
      assertThat(
          shape, p.get(0).get("distance_to_cluster").doubleValue(), closeTo(Math.sqrt(10), 1e-6));
    }
    JsonNode lines =
        JSON.readTree(
                kmeans
                    .invoke(
                        "{\"features\":[1,0]}\n{\"features\":[9,3]}\n"
                            .getBytes(StandardCharsets.UTF_8),
                        "application/jsonlines",
                        "application/json")
                    .body())
            .get("predictions");
    assertThat(lines.size(), is(2));
  }

  @Test
  void kmeansReadsManyRecordsPerProtobufRequest() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AmazonRecordEncoder encoder = new AmazonRecordEncoder();
    try (RecordIoWriter w = new RecordIoWriter(out)) {
      for (int i = 0; i < 500; i++) {
        w.write(
            encoder.toByteArray(
                i % 2 == 0
                    ? FeatureVector.dense(new double[] {i % 11, 0})
                    : FeatureVector.sparse(2, new int[] {1}, new double[] {1})));
      }
    }
    JsonNode p =
        JSON.readTree(
                kmeans
                    .invoke(
                        out.toByteArray(), "application/x-recordio-protobuf", "application/json")
                    .body())
            .get("predictions");
    assertThat(p.size(), is(500));
    for (int i = 0; i < 500; i++) {
      double expected = i % 2 == 0 ? (i % 11 > 5 ? 1 : 0) : 0;
      assertThat(p.get(i).get("closest_cluster").doubleValue(), is(expected));
    }
  }

  @Test
  void pcaProjectsOnComponentsInModelOrder() throws Exception {
    byte[] csv = "3,5,0\n".getBytes(StandardCharsets.UTF_8);
    JsonNode p = JSON.readTree(pca.invoke(csv, "text/csv", "application/json").body());
    assertThat(p.toString(), is("{\"projections\":[{\"projection\":[-1.0,2.0]}]}"));
    List<AmazonRecord> records =
        KMeansMnistTest.records(
            pca.invoke(csv, "text/csv", "application/x-recordio-protobuf").body());
    assertThat(records.get(0).label("projection").values()[0], is(-1.0));
    assertThat(records.get(0).label("projection").values()[1], is(2.0));
    assertThat(
        new String(pca.invoke(csv, "text/csv", "text/csv").body(), StandardCharsets.UTF_8),
        is("-1.0,2.0\n"));
  }

  @Test
  void wrongFeatureCountIs400NamingTheRow() {
    assertThat(
        error(
            kmeans,
            "{\"instances\":[{\"features\":[1,2]},{\"features\":[1,2,3]}]}",
            "application/json",
            null),
        is("400: Instance 2: the row has 3 features; expected feature_dim = 2"));
    assertThat(
        error(kmeans, "1,2\n1,2,3\n", "text/csv", null),
        is(
            "400: CSV line 2: the row has 3 columns; expected 2 feature columns (feature_dim)"
                + "; if the first column is a label, give the channel ContentType text/csv;label_size=1"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (RecordIoWriter w = new RecordIoWriter(out)) {
      w.write(
          new AmazonRecordEncoder().toByteArray(FeatureVector.dense(new double[] {1, 2, 3, 4})));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertThat(
        errorBytes(pca, out.toByteArray(), "application/x-recordio-protobuf", null),
        is("400: Record 1: the row has 4 features (dense values); expected feature_dim = 3"));
  }

  @Test
  void unreadableInputIs400() {
    assertThat(
        error(kmeans, "{\"instances\": [", "application/json", null),
        containsString("400: The request is not valid JSON"));
    assertThat(
        error(kmeans, "{\"instances\": 5}", "application/json", null),
        is("400: \"instances\" must be a list of instances, was NUMBER"));
    assertThat(
        error(kmeans, "{\"instances\":[{\"features\":[1,\"x\"]}]}", "application/json", null),
        is("400: Instance 1 features element 1 is \"x\", not a number"));
    assertThat(
        error(kmeans, "{\"instances\":[{\"feat\":[1,2]}]}", "application/json", null),
        containsString("400: Instance 1 has neither \"features\" nor \"data\""));
    assertThat(
        error(kmeans, "1,2\nx,2\n", "text/csv", null),
        is("400: CSV line 2: column 1 \"x\" is not a number"));
    assertThat(
        error(kmeans, "", "text/csv", null),
        is("400: The request (text/csv) holds no rows to score"));
    assertThat(
        error(kmeans, "not recordio at all", "application/x-recordio-protobuf", null),
        containsString("400: The request is not valid RecordIO-protobuf after record 0"));
    assertThat(
        errorBytes(
            kmeans,
            RecordIoWriter.frame(new byte[] {(byte) 0x0A, (byte) 0x7F}),
            "application/x-recordio-protobuf",
            null),
        containsString("400: Record 1 is not an Amazon Record protobuf"));
  }

  @Test
  void unsupportedTypesAre415And406() {
    assertThat(
        error(kmeans, "1,2", "text/plain", null),
        containsString(
            "415: Content-Type \"text/plain\" is not supported; use application/x-recordio-protobuf"));
    assertThat(
        error(kmeans, "1,2", null, null), containsString("415: The request has no Content-Type"));
    assertThat(
        error(pca, "1,2,3", "text/csv", "text/html"),
        is(
            "406: Accept \"text/html\" is not supported; use application/json,"
                + " application/jsonlines, application/x-recordio-protobuf or text/csv"));
  }

  @Test
  void loadingRejectsForeignOrMissingModels() {
    assertThat(
        assertThrows(
                AlgorithmException.class,
                () -> BuiltInAlgorithms.all().get("pca").load(dir.resolve("kmeans"), Map.of()))
            .getMessage(),
        containsString("holds a kmeans model, not a pca model"));
    assertThat(
        assertThrows(
                AlgorithmException.class,
                () -> BuiltInAlgorithms.all().get("kmeans").load(dir.resolve("nothing"), Map.of()))
            .getMessage(),
        containsString("The model artifact has no model.json"));
  }

  private static String error(ModelWorker worker, String body, String contentType, String accept) {
    return errorBytes(worker, body.getBytes(StandardCharsets.UTF_8), contentType, accept);
  }

  private static String errorBytes(
      ModelWorker worker, byte[] body, String contentType, String accept) {
    ModelError e = assertThrows(ModelError.class, () -> worker.invoke(body, contentType, accept));
    return e.statusCode() + ": " + e.getMessage();
  }
}
