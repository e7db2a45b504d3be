package dev.sagemakerbeam.io.beam;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LibSVM and CSV training data read back into LabeledExamples, as the writers wrote them. */
class TextTrainingDataTest {
  @TempDir Path dir;

  private static String describe(LabeledExample e) {
    return (e.hasLabel() ? e.labelValue() : "none")
        + " "
        + Arrays.toString(e.features().toDenseArray());
  }

  private static List<String> described(List<LabeledExample> examples) {
    return examples.stream().map(TextTrainingDataTest::describe).collect(Collectors.toList());
  }

  private void roundTrip(
      TrainingDataFormat format, TextTrainingData.Read read, List<LabeledExample> examples)
      throws Exception {
    Pipeline write = Pipeline.create(PipelineOptionsFactory.create());
    write
        .apply(Create.of(examples).withCoder(LabeledExampleCoder.of()))
        .apply(
            TrainingDataIO.write(format)
                .to(dir.resolve(format.name()).toString() + "/")
                .withNumShards(2));
    write.run().waitUntilFinish();

    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<String> back =
        p.apply(read.from(dir.resolve(format.name()).toString() + "/*"))
            .apply(MapElements.into(TypeDescriptors.strings()).via(TextTrainingDataTest::describe));
    PAssert.that(back).containsInAnyOrder(described(examples));
    p.run().waitUntilFinish();
  }

  @Test
  void libSvmReadsWhatTheLibSvmSinkWrote() throws Exception {
    roundTrip(
        TrainingDataFormat.LIBSVM,
        TextTrainingData.libSvm(30),
        TrainingExamples.sparse(200, 30, 5, true, 3));
  }

  @Test
  void csvReadsWhatTheCsvSinkWrote() throws Exception {
    roundTrip(
        TrainingDataFormat.CSV, TextTrainingData.csv(12), TrainingExamples.dense(150, 12, true, 4));
  }

  @Test
  void linesParseSkippingBlanksAndComments() {
    TextTrainingData.LineParser libsvm =
        new TextTrainingData.LineParser(TextTrainingData.Format.LIBSVM, 5, true);
    assertThat(
        describe(libsvm.parse("2 1:0.5 5:-1  # a comment")), is("2.0 [0.5, 0.0, 0.0, 0.0, -1.0]"));
    assertThat(libsvm.parse("   "), nullValue());
    assertThat(libsvm.parse("# header"), nullValue());
    assertThat(describe(libsvm.parse("-1")), is("-1.0 [0.0, 0.0, 0.0, 0.0, 0.0]"));
    TextTrainingData.LineParser unlabelled =
        new TextTrainingData.LineParser(TextTrainingData.Format.CSV, 0, false);
    assertThat(describe(unlabelled.parse("1,2,3")), is("none [1.0, 2.0, 3.0]"));
  }

  @Test
  void aBadLineIsNamedWithTheRuleItBreaks() {
    TextTrainingData.LineParser libsvm =
        new TextTrainingData.LineParser(TextTrainingData.Format.LIBSVM, 5, true);
    List<String> messages = new ArrayList<>();
    for (String line : List.of("1 0:2", "1 3:1 2:1", "1 6:1", "x 1:1", "1 1=2", "1 1:y")) {
      messages.add(
          assertThrows(IllegalArgumentException.class, () -> libsvm.parse(line)).getMessage());
    }
    assertThat(messages.get(0), containsString("index 0 is not above the one before (0)"));
    assertThat(messages.get(1), containsString("1-based and increasing"));
    assertThat(messages.get(2), containsString("index 6 is beyond featureDim 5"));
    assertThat(messages.get(3), containsString("the label 'x' is not a number"));
    assertThat(messages.get(4), containsString("'1=2' is not index:value"));
    assertThat(messages.get(5), containsString("Cannot read training data line \"1 1:y\""));
    TextTrainingData.LineParser csv =
        new TextTrainingData.LineParser(TextTrainingData.Format.CSV, 3, true);
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> csv.parse("1,2,3")).getMessage(),
        containsString("2 feature columns where featureDim is 3"));
    assertThrows(IllegalArgumentException.class, () -> TextTrainingData.libSvm(0));
    assertThrows(IllegalStateException.class, () -> TextTrainingData.libSvm(3).unlabelled());
  }

  @Test
  void aPipelineWithoutFilesSaysWhatToCall() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> p.apply(TextTrainingData.libSvm(3)));
    assertThat(e.getMessage(), containsString("from(\"<file pattern>\")"));
  }
}
