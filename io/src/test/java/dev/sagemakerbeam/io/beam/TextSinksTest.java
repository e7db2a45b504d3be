package dev.sagemakerbeam.io.beam;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.FeatureVector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact output of the LibSVM and CSV training-data sinks. */
class TextSinksTest {
  @TempDir Path dir;

  static final List<LabeledExample> EXAMPLES =
      List.of(
          LabeledExample.of(1.0, FeatureVector.dense(new double[] {0.5, 0.0, -2.0})),
          LabeledExample.of(
              0.0, FeatureVector.sparse(5, new int[] {0, 3}, new double[] {1.5, 1.0E-7})),
          LabeledExample.of(-3.25, FeatureVector.sparse(4, new int[0], new double[0])));

  @Test
  void libSvmWritesLabelThenOneBasedIndices() throws IOException {
    assertThat(
        write(new LibSvmSink(), EXAMPLES),
        equalTo("1.0 1:0.5 2:0.0 3:-2.0\n" + "0.0 1:1.5 4:1.0E-7\n" + "-3.25\n"));
  }

  @Test
  void csvWritesLabelThenEveryFeature() throws IOException {
    assertThat(
        write(new CsvSink(), EXAMPLES),
        equalTo("1.0,0.5,0.0,-2.0\n" + "0.0,1.5,0.0,0.0,1.0E-7,0.0\n" + "-3.25,0.0,0.0,0.0,0.0\n"));
  }

  @Test
  void csvWritesUnlabelledExamplesAsFeaturesOnly() throws IOException {
    List<LabeledExample> unlabelled =
        List.of(
            LabeledExample.unlabeled(FeatureVector.dense(new double[] {1, 2})),
            LabeledExample.unlabeled(FeatureVector.sparse(2, new int[] {1}, new double[] {3})));
    assertThat(write(new CsvSink(), unlabelled), equalTo("1.0,2.0\n0.0,3.0\n"));
  }

  @Test
  void csvRefusesToMixLabelledAndUnlabelledExamples() {
    List<LabeledExample> mixed =
        List.of(
            LabeledExample.of(1, FeatureVector.dense(new double[] {1})),
            LabeledExample.unlabeled(FeatureVector.dense(new double[] {2})));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> write(new CsvSink(), mixed));
    assertThat(e.getMessage(), containsString("mixes labelled and unlabelled"));
  }

  @Test
  void libSvmRefusesAnExampleWithoutLabel() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                write(
                    new LibSvmSink(),
                    List.of(LabeledExample.unlabeled(FeatureVector.dense(new double[] {1})))));
    assertThat(e.getMessage(), containsString("LibSVM training data needs a label"));
  }

  @Test
  void pipelineWritesShardedLibSvmAndCsvFiles() throws IOException {
    Pipeline p = SageMakerRecordIOTest.pipeline();
    var input = p.apply(Create.of(EXAMPLES));
    input.apply(
        "Libsvm",
        TrainingDataIO.write(TrainingDataFormat.LIBSVM)
            .to(dir.resolve("libsvm") + "/")
            .withNumShards(2));
    input.apply(
        "Csv",
        TrainingDataIO.write(TrainingDataFormat.CSV).to(dir.resolve("csv") + "/").withNumShards(1));
    p.run().waitUntilFinish();

    List<Path> libsvm = SageMakerRecordIOTest.list(dir.resolve("libsvm"));
    assertThat(libsvm, hasSize(2));
    assertThat(libsvm.get(0).getFileName().toString(), containsString(".libsvm"));
    assertThat(
        lines(libsvm), containsInAnyOrder("1.0 1:0.5 2:0.0 3:-2.0", "0.0 1:1.5 4:1.0E-7", "-3.25"));
    List<Path> csv = SageMakerRecordIOTest.list(dir.resolve("csv"));
    assertThat(
        lines(csv),
        containsInAnyOrder(
            "1.0,0.5,0.0,-2.0", "0.0,1.5,0.0,0.0,1.0E-7,0.0", "-3.25,0.0,0.0,0.0,0.0"));
  }

  private static List<String> lines(List<Path> files) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Path f : files) {
      lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
    }
    return lines;
  }

  private static String write(FileIO.Sink<LabeledExample> sink, List<LabeledExample> examples)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WritableByteChannel channel = Channels.newChannel(bytes);
    sink.open(channel);
    for (LabeledExample e : examples) {
      sink.write(e);
    }
    sink.flush();
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
