package dev.sagemakerbeam.io.beam;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;

import dev.sagemakerbeam.io.FeatureVector;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.Test;

/** Beam infers LabeledExampleCoder, as a user's pipeline meets it, instead of SerializableCoder. */
class LabeledExampleCoderInferenceTest {
  @Test
  void aUsersMapElementsGetsTheCompactCoder() throws Exception {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    assertThat(
        p.getCoderRegistry().getCoder(LabeledExample.class), instanceOf(LabeledExampleCoder.class));
    PCollection<LabeledExample> examples =
        p.apply(Create.of(1.0, 2.0))
            .apply(
                MapElements.into(TypeDescriptor.of(LabeledExample.class))
                    .via(
                        (Double d) -> LabeledExample.of(d, FeatureVector.dense(new double[] {d}))));
    assertThat(examples.getCoder(), instanceOf(LabeledExampleCoder.class));
  }
}
