package dev.sagemakerbeam.transforms.serde;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.AmazonRecordDecoder;
import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoCodec;
import dev.sagemakerbeam.io.RecordIoReader;
import dev.sagemakerbeam.io.RecordIoWriter;
import dev.sagemakerbeam.io.protobuf.AmazonRecordProtos;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class RequestAndResponseFormatsTest {
  private static final FeatureVector DENSE = FeatureVector.dense(new double[] {1, 0, 2.5});
  private static final FeatureVector SPARSE =
      FeatureVector.sparse(5, new int[] {1, 4}, new double[] {3, 0.5});

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void recordIoProtobufRowsAreFramedAmazonRecords() throws Exception {
    RecordIoProtobufRequestSerializer<FeatureVector> s =
        RecordIoProtobufRequestSerializer.labelled(v -> v, v -> 7.0);
    byte[] row = s.serialize(SPARSE);
    byte[] payload = new AmazonRecordEncoder().toByteArray(SPARSE, 7.0);
    assertArrayEquals(RecordIoWriter.frame(payload), row);
    assertThat((long) row.length, is(RecordIoCodec.framedSize(payload, 0, payload.length)));
    try (RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(row))) {
      reader.next();
      var record = AmazonRecordDecoder.decode(reader.buffer(), 0, reader.length());
      assertThat(record.featureVector(), is(SPARSE));
      assertThat(record.scalarLabel().getAsDouble(), is(7.0));
    }
    assertThat(s.contentType(), is("application/x-recordio-protobuf"));
  }

  @Test
  void libSvmCsvAndJsonRows() {
    assertThat(
        text(LibSvmRequestSerializer.<FeatureVector>labelled(v -> v, v -> 1.0).serialize(DENSE)),
        is("1 1:1 3:2.5\n"));
    assertThat(
        text(LibSvmRequestSerializer.<FeatureVector>unlabelled(v -> v).serialize(SPARSE)),
        is("2:3 5:0.5\n"));
    assertThat(
        text(CsvRequestSerializer.forFeatureVectors().serialize(SPARSE)), is("0,3,0,0,0.5\n"));
    JsonRequestSerializer<FeatureVector> json = JsonRequestSerializer.forFeatureVectors();
    assertThat(
        text(json.bodyPrefix())
            + text(json.serialize(DENSE))
            + text(json.rowSeparator())
            + text(json.serialize(SPARSE))
            + text(json.bodySuffix()),
        is(
            "{\"instances\":[{\"features\":[1,0,2.5]},"
                + "{\"data\":{\"features\":{\"keys\":[1,4],\"shape\":[5],\"values\":[3,0.5]}}}]}"));
  }

  private static byte[] protobufResponse(AmazonRecordProtos.Record... records) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (RecordIoWriter writer = new RecordIoWriter(out)) {
      for (AmazonRecordProtos.Record r : records) {
        writer.write(r.toByteArray());
      }
    }
    return out.toByteArray();
  }

  private static AmazonRecordProtos.Value floats(float... values) {
    AmazonRecordProtos.Float32Tensor.Builder t = AmazonRecordProtos.Float32Tensor.newBuilder();
    for (float v : values) {
      t.addValues(v);
    }
    return AmazonRecordProtos.Value.newBuilder().setFloat32Tensor(t).build();
  }

  @Test
  void kmeansPcaAndGenericProtobufResponses() throws Exception {
    byte[] kmeans =
        protobufResponse(
            AmazonRecordProtos.Record.newBuilder()
                .putLabel("closest_cluster", floats(3))
                .putLabel("distance_to_cluster", floats(1.5f))
                .build(),
            AmazonRecordProtos.Record.newBuilder()
                .putLabel("closest_cluster", floats(0))
                .putLabel("distance_to_cluster", floats(0.25f))
                .build());
    assertThat(
        new KMeansProtobufResponseDeserializer().deserialize(kmeans),
        contains(new KMeansPrediction(3, 1.5), new KMeansPrediction(0, 0.25)));

    byte[] pca =
        protobufResponse(
            AmazonRecordProtos.Record.newBuilder()
                .putLabel("projection", floats(1, -2, 0.5f))
                .build());
    List<PcaPrediction> projections = new PcaProtobufResponseDeserializer().deserialize(pca);
    assertArrayEquals(new double[] {1, -2, 0.5}, projections.get(0).projection());

    byte[] scores =
        protobufResponse(
            AmazonRecordProtos.Record.newBuilder()
                .putLabel("score", floats(0.9f))
                .putLabel("predicted_label", floats(1))
                .build());
    LabelValues v =
        ProtobufResponseDeserializer.forLabelKeys("score", "predicted_label")
            .deserialize(scores)
            .get(0);
    assertArrayEquals(new double[] {0.9f}, v.get("score"));
    assertArrayEquals(new double[] {1}, v.get("predicted_label"));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new KMeansProtobufResponseDeserializer().deserialize(pca));
    assertThat(e.getMessage(), containsString("no label 'closest_cluster'"));
    assertThat(e.getMessage(), containsString("projection"));
  }

  @Test
  void csvAndJsonResponses() {
    CsvResponseDeserializer csv = new CsvResponseDeserializer();
    assertThat(
        csv.deserialize("0.5\n1\n-2e-3\n".getBytes(StandardCharsets.UTF_8)),
        contains(0.5, 1.0, -0.002));
    assertThat(
        csv.deserialize("0.5,1,2".getBytes(StandardCharsets.UTF_8)), contains(0.5, 1.0, 2.0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> csv.deserialize("1\nabc\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(e.getMessage(), containsString("'abc'"));

    JsonResponseDeserializer json = JsonResponseDeserializer.predictions();
    assertThat(
        json.deserialize(
            "{\"predictions\":[{\"score\":1},{\"score\":0.5}]}".getBytes(StandardCharsets.UTF_8)),
        contains("{\"score\":1}", "{\"score\":0.5}"));
    assertThat(json.deserialize("[1,2]".getBytes(StandardCharsets.UTF_8)), contains("1", "2"));
  }

  @Test
  void predictionCodersRoundTrip() throws Exception {
    KMeansPrediction k = new KMeansPrediction(2, 0.75);
    assertThat(
        CoderUtils.clone(new KMeansProtobufResponseDeserializer().predictionCoder(), k), is(k));
    PcaPrediction p = new PcaPrediction(new double[] {1, 2});
    assertThat(CoderUtils.clone(new PcaProtobufResponseDeserializer().predictionCoder(), p), is(p));
  }
}
