package dev.sagemakerbeam.io.beam;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.io.FileBasedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.SourceTestUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Splitting {@link AmazonRecordSource} at arbitrary byte offsets reads every record exactly once.
 */
class AmazonRecordSourceTest {
  @TempDir static Path dir;
  static Path bigFile;
  static List<LabeledExample> bigExamples;
  final PipelineOptions options = PipelineOptionsFactory.create();

  @BeforeAll
  static void writeBigFile() throws IOException {
    bigExamples = new ArrayList<>(TrainingExamples.dense(2500, 20, true, 11));
    bigExamples.addAll(TrainingExamples.sparse(500, 100_000, 50, false, 12));
    bigFile = dir.resolve("big.pbr");
    writeWithSink(bigFile, bigExamples);
  }

  @Test
  void splitsOfAFileLargerThanOneSplitGiveEveryRecordExactlyOnce() throws Exception {
    long size = Files.size(bigFile);
    FileBasedSource<LabeledExample> source =
        SageMakerRecordIO.readExamples().from(bigFile.toString()).withMinBundleSize(1).source();
    // 1001 bytes: split points fall at every offset modulo 4, mostly inside records
    List<? extends BoundedSource<LabeledExample>> splits = source.split(1001, options);
    assertThat(splits.size(), greaterThan((int) (size / 1001) - 2));

    List<LabeledExample> union = new ArrayList<>();
    for (BoundedSource<LabeledExample> split : splits) {
      union.addAll(SourceTestUtils.readFromSource(split, options));
    }
    assertThat(union, hasSize(bigExamples.size()));
    assertThat(union, containsInAnyOrder(bigExamples.toArray()));
    SourceTestUtils.assertSourcesEqualReferenceSource(source, splits, options);
  }

  @Test
  void unsplitReadGivesTheFileInOrder() throws Exception {
    FileBasedSource<LabeledExample> source =
        SageMakerRecordIO.readExamples().from(bigFile.toString()).source();
    assertThat(
        SourceTestUtils.readFromSource(source, options),
        org.hamcrest.Matchers.equalTo(bigExamples));
  }

  @Test
  void dynamicSplitsAtEveryFractionLoseAndDuplicateNothing() throws Exception {
    List<LabeledExample> examples = TrainingExamples.dense(30, 13, true, 13);
    Path file = dir.resolve("small.pbr");
    writeWithSink(file, examples);
    FileBasedSource<LabeledExample> source =
        SageMakerRecordIO.readExamples().from(file.toString()).withMinBundleSize(1).source();
    SourceTestUtils.assertSplitAtFractionExhaustive(source, options);
  }

  @Test
  void aGlobSplitsAcrossFiles() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("glob"));
    List<LabeledExample> a = TrainingExamples.dense(400, 8, true, 14);
    List<LabeledExample> b = TrainingExamples.sparse(400, 784, 150, true, 15);
    writeWithSink(sub.resolve("a.pbr"), a);
    writeWithSink(sub.resolve("b.pbr"), b);
    FileBasedSource<LabeledExample> source =
        SageMakerRecordIO.readExamples().from(sub + "/*.pbr").withMinBundleSize(1).source();
    List<? extends BoundedSource<LabeledExample>> splits = source.split(4096, options);
    List<LabeledExample> expected = new ArrayList<>(a);
    expected.addAll(b);
    Set<LabeledExample> seen = new HashSet<>();
    int total = 0;
    for (BoundedSource<LabeledExample> split : splits) {
      for (LabeledExample e : SourceTestUtils.readFromSource(split, options)) {
        seen.add(e);
        total++;
      }
    }
    assertThat(total, org.hamcrest.Matchers.is(expected.size()));
    assertThat(seen, org.hamcrest.Matchers.equalTo(new HashSet<>(expected)));
  }

  @Test
  void corruptFramingFailsNamingTheFileAndOffset() throws Exception {
    List<LabeledExample> examples = TrainingExamples.dense(10, 4, true, 16);
    Path file = dir.resolve("corrupt.pbr");
    writeWithSink(file, examples);
    byte[] bytes = Files.readAllBytes(file);
    int secondRecord = bytes.length / 10 / 4 * 4; // records are all the same size here
    bytes[secondRecord] = 0x55; // break the second record's magic word
    Files.write(file, bytes);
    FileBasedSource<LabeledExample> source =
        SageMakerRecordIO.readExamples().from(file.toString()).source();
    IOException e =
        assertThrows(IOException.class, () -> SourceTestUtils.readFromSource(source, options));
    assertThat(e.getMessage(), containsString("corrupt.pbr"));
    assertThat(e.getMessage(), containsString("offset " + secondRecord));
  }

  static void writeWithSink(Path file, List<LabeledExample> examples) throws IOException {
    AmazonRecordSink sink = new AmazonRecordSink();
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      sink.open(channel);
      for (LabeledExample e : examples) {
        sink.write(e);
      }
      sink.flush();
    }
  }
}
