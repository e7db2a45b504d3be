package dev.sagemakerbeam.io.beam;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.AmazonRecordDecoder;
import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoCodec;
import dev.sagemakerbeam.io.RecordIoReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write -> read round trips of {@link SageMakerRecordIO} on the Direct runner. */
class SageMakerRecordIOTest {
  @TempDir Path dir;

  @Test
  void denseLabelledRoundTrip() throws IOException {
    List<LabeledExample> examples = TrainingExamples.dense(200, 13, true, 1);
    assertRoundTrip(examples, 2);
  }

  @Test
  void denseUnlabelledRoundTrip() throws IOException {
    assertRoundTrip(TrainingExamples.dense(50, 784, false, 2), 1);
  }

  @Test
  void sparseLabelledRoundTrip() throws IOException {
    assertRoundTrip(TrainingExamples.sparse(200, 100_000, 50, true, 3), 3);
  }

  @Test
  void sparseUnlabelledAndEmptyVectorsRoundTrip() throws IOException {
    List<LabeledExample> examples =
        new ArrayList<>(TrainingExamples.sparse(40, 784, 150, false, 4));
    examples.add(LabeledExample.unlabeled(FeatureVector.sparse(10, new int[0], new double[0])));
    examples.add(LabeledExample.of(1.0, FeatureVector.dense(new double[0])));
    assertRoundTrip(examples, 1);
  }

  @Test
  void writesTheRequestedNumberOfShardsHoldingEveryRecordOnce() throws IOException {
    List<LabeledExample> examples = TrainingExamples.dense(300, 5, true, 5);
    Path out = dir.resolve("sharded");
    Pipeline p = pipeline();
    p.apply(Create.of(examples))
        .apply(SageMakerRecordIO.write().to(out + "/").withPrefix("train").withNumShards(4));
    p.run().waitUntilFinish();

    List<Path> files = list(out);
    assertThat(files, hasSize(4));
    for (Path f : files) {
      assertThat(f.getFileName().toString(), matchesPattern("train-.*-of-00004\\.pbr"));
    }
    // read the files with the codec itself, not the source under test
    List<LabeledExample> back = new ArrayList<>();
    for (Path f : files) {
      try (RecordIoReader reader = new RecordIoReader(Files.newInputStream(f))) {
        while (reader.next()) {
          back.add(
              LabeledExample.fromRecord(
                  AmazonRecordDecoder.decode(reader.buffer(), 0, reader.length())));
        }
      }
    }
    assertThat(back, containsInAnyOrder(examples.toArray()));
  }

  @Test
  void someTestPayloadsNeedTheMultiPartEscape() {
    // guards the round trips above: they must cover payloads holding the magic word at aligned
    // offsets
    AmazonRecordEncoder encoder = new AmazonRecordEncoder();
    long escaped =
        TrainingExamples.dense(200, 13, true, 1).stream()
            .filter(
                e -> {
                  int n = encoder.encode(e.features(), e.labelValue());
                  return RecordIoCodec.framedSize(encoder.buffer(), 0, n)
                      != RecordIoCodec.framedSize(n);
                })
            .count();
    assertThat(escaped, greaterThan(0L));
  }

  @Test
  void gzipFilesRoundTrip() throws IOException {
    List<LabeledExample> examples = TrainingExamples.sparse(100, 784, 150, true, 8);
    Path out = dir.resolve("gzip");
    Pipeline p = pipeline();
    p.apply(Create.of(examples))
        .apply(
            SageMakerRecordIO.write()
                .to(out + "/")
                .withNumShards(2)
                .withCompression(Compression.GZIP));
    p.run().waitUntilFinish();
    List<Path> files = list(out);
    assertThat(files, hasSize(2));
    for (Path f : files) {
      byte[] bytes = readAll(f);
      assertThat(f + " is gzip", (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B, is(true));
    }
    Pipeline read = pipeline();
    PAssert.that(read.apply(SageMakerRecordIO.readExamples().from(out + "/*")))
        .containsInAnyOrder(examples);
    read.run().waitUntilFinish();
  }

  @Test
  void readGivesWholeAmazonRecords() throws IOException {
    List<LabeledExample> examples = TrainingExamples.dense(20, 4, true, 6);
    Path out = write(examples, "records", 1);
    List<AmazonRecord> expected = new ArrayList<>();
    AmazonRecordEncoder encoder = new AmazonRecordEncoder();
    for (LabeledExample e : examples) {
      expected.add(AmazonRecordDecoder.decode(encoder.toByteArray(e.features(), e.labelValue())));
    }
    Pipeline p = pipeline();
    PCollection<AmazonRecord> read = p.apply(SageMakerRecordIO.read().from(out + "/*"));
    PAssert.that(read).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void rowsWithDenseAndSparseFeaturesBecomeExamples() throws IOException {
    Schema dense = Schema.builder().addDoubleField("y").addArrayField("x", FieldType.FLOAT).build();
    Schema sparse =
        Schema.builder()
            .addNullableField("label", FieldType.DOUBLE)
            .addRowField("features", LabeledExampleRows.SPARSE_VECTOR_SCHEMA)
            .build();
    Pipeline p = pipeline();
    PCollection<LabeledExample> fromDense =
        p.apply(
                "Dense",
                Create.of(Row.withSchema(dense).addValues(2.0, List.of(1f, 0f, 3f)).build())
                    .withCoder(RowCoder.of(dense)))
            .apply(
                "DenseToExamples",
                LabeledExampleRows.create().withLabelField("y").withFeaturesField("x"));
    Row sparseVector =
        Row.withSchema(LabeledExampleRows.SPARSE_VECTOR_SCHEMA)
            .addValues(10, List.of(2, 7), List.of(0.5, 4.0))
            .build();
    PCollection<LabeledExample> fromSparse =
        p.apply(
                "Sparse",
                Create.of(Row.withSchema(sparse).addValues(null, sparseVector).build())
                    .withCoder(RowCoder.of(sparse)))
            .apply("SparseToExamples", LabeledExampleRows.create());
    PAssert.that(fromDense)
        .containsInAnyOrder(LabeledExample.of(2.0, FeatureVector.dense(new double[] {1, 0, 3})));
    PAssert.that(fromSparse)
        .containsInAnyOrder(
            LabeledExample.unlabeled(
                FeatureVector.sparse(10, new int[] {2, 7}, new double[] {0.5, 4.0})));
    p.run().waitUntilFinish();
  }

  @Test
  void rowsWithAWrongFeatureTypeAreRejectedNamingTheColumn() {
    Schema schema = Schema.builder().addDoubleField("label").addStringField("features").build();
    Pipeline p = pipeline();
    PCollection<Row> rows =
        p.apply(
            Create.of(Row.withSchema(schema).addValues(1.0, "1,2").build())
                .withCoder(RowCoder.of(schema)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> rows.apply(LabeledExampleRows.create()));
    assertThat(e.getMessage(), containsString("features column 'features' has type STRING"));
  }

  @Test
  void writeWithoutDirectoryFailsNamingTheFix() {
    Pipeline p = pipeline();
    PCollection<LabeledExample> input = p.apply(Create.of(TrainingExamples.dense(1, 2, true, 7)));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> input.apply(SageMakerRecordIO.write()));
    assertThat(e.getMessage(), containsString(".to(\"s3://bucket/prefix/\")"));
    assertThrows(IllegalArgumentException.class, () -> SageMakerRecordIO.write().withNumShards(-1));
    IllegalStateException noFiles =
        assertThrows(IllegalStateException.class, () -> p.apply(SageMakerRecordIO.readExamples()));
    assertThat(noFiles.getMessage(), containsString(".from("));
  }

  private void assertRoundTrip(List<LabeledExample> examples, int shards) throws IOException {
    Path out = write(examples, "out", shards);
    assertThat(list(out), hasSize(shards));
    Pipeline p = pipeline();
    PCollection<LabeledExample> read =
        p.apply(SageMakerRecordIO.readExamples().from(out + "/*.pbr"));
    PAssert.that(read).containsInAnyOrder(examples);
    p.run().waitUntilFinish();
  }

  private Path write(List<LabeledExample> examples, String name, int shards) {
    Path out = dir.resolve(name);
    Pipeline p = pipeline();
    p.apply(Create.of(examples))
        .apply(SageMakerRecordIO.write().to(out + "/").withNumShards(shards));
    p.run().waitUntilFinish();
    return out;
  }

  static Pipeline pipeline() {
    return Pipeline.create(
        PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--targetParallelism=2").create());
  }

  static List<Path> list(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  static byte[] readAll(Path f) throws IOException {
    try (InputStream in = Files.newInputStream(f)) {
      return in.readAllBytes();
    }
  }
}
