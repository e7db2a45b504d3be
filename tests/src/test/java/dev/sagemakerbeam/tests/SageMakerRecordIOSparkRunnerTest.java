package dev.sagemakerbeam.tests;

import static dev.sagemakerbeam.io.beam.TrainingExamples.dense;
import static dev.sagemakerbeam.io.beam.TrainingExamples.sparse;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;

import dev.sagemakerbeam.io.AmazonRecordDecoder;
import dev.sagemakerbeam.io.RecordIoReader;
import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.beam.SageMakerRecordIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SageMakerRecordIO} write -> read round trips on Beam's Spark runner (local[2]), all
 * pipelines of the class sharing one provided Spark context.
 */
class SageMakerRecordIOSparkRunnerTest {
  static JavaSparkContext spark;
  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = SparkRunnerPipelines.startSpark("SageMakerRecordIOSparkRunnerTest");
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void denseAndSparseLabelledExamplesRoundTrip() throws IOException {
    List<LabeledExample> examples = new ArrayList<>(dense(300, 784, true, 1));
    examples.addAll(sparse(300, 100_000, 50, true, 2));
    roundTrip(examples, 3);
  }

  @Test
  void unlabelledExamplesRoundTrip() throws IOException {
    List<LabeledExample> examples = new ArrayList<>(dense(100, 10, false, 3));
    examples.addAll(sparse(100, 784, 150, false, 4));
    roundTrip(examples, 2);
  }

  @Test
  void aSingleLargeFileIsSplitAndReadExactlyOnce() throws IOException {
    List<LabeledExample> examples = dense(5000, 20, true, 5);
    Path out = dir.resolve("one-file");
    Pipeline write = SparkRunnerPipelines.pipeline(spark);
    write
        .apply(Create.of(examples))
        .apply(SageMakerRecordIO.write().to(out + "/").withNumShards(1));
    write.run().waitUntilFinish();

    Pipeline read = SparkRunnerPipelines.pipeline(spark);
    PCollection<LabeledExample> back =
        read.apply(SageMakerRecordIO.readExamples().from(out + "/*.pbr").withMinBundleSize(1024));
    PAssert.that(back).containsInAnyOrder(examples);
    SparkRunnerPipelines.runAndCheckAssertions(read, 1);
  }

  private void roundTrip(List<LabeledExample> examples, int shards) throws IOException {
    Path out = dir.resolve("out");
    Pipeline write = SparkRunnerPipelines.pipeline(spark);
    write
        .apply(Create.of(examples))
        .apply(SageMakerRecordIO.write().to(out + "/").withNumShards(shards));
    write.run().waitUntilFinish();

    List<Path> files = dataFiles(out);
    assertThat(files, hasSize(shards));
    // the files, read with the codec directly, hold every example once
    List<LabeledExample> inFiles = new ArrayList<>();
    for (Path f : files) {
      try (RecordIoReader reader = new RecordIoReader(Files.newInputStream(f))) {
        while (reader.next()) {
          inFiles.add(
              LabeledExample.fromRecord(
                  AmazonRecordDecoder.decode(reader.buffer(), 0, reader.length())));
        }
      }
    }
    assertThat(inFiles, containsInAnyOrder(examples.toArray()));

    Pipeline read = SparkRunnerPipelines.pipeline(spark);
    PCollection<LabeledExample> back =
        read.apply(SageMakerRecordIO.readExamples().from(out + "/*.pbr"));
    PAssert.that(back).containsInAnyOrder(examples);
    SparkRunnerPipelines.runAndCheckAssertions(read, 1);
  }

  private static List<Path> dataFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".pbr"))
          .collect(Collectors.toList());
    }
  }
}
