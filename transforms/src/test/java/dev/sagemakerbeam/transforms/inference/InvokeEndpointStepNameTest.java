package dev.sagemakerbeam.transforms.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.serde.CsvRequestSerializer;
import dev.sagemakerbeam.transforms.serde.CsvResponseDeserializer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;

/** Step names (and so metric scopes) do not change with the generated endpoint name. */
class InvokeEndpointStepNameTest {
  @Test
  void theStepIsNamedWithoutTheEndpoint() {
    URI nowhere = URI.create("http://127.0.0.1:9");
    SageMakerClientConfiguration config =
        SageMakerClientConfiguration.forLocal(
            nowhere, nowhere, nowhere, nowhere, "us-east-1", "key", "secret");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(Create.of(FeatureVector.dense(new double[] {1})))
        .apply(
            "Score",
            InvokeEndpoint.create(
                    "sagemaker-beam-endpoint-261202-005753-r4p3q",
                    CsvRequestSerializer.forFeatureVectors(),
                    new CsvResponseDeserializer())
                .withClientConfiguration(config));
    List<String> names = new ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
          }
        });
    assertThat(names, hasItem("Score/Invoke"));
    assertThat(String.join(" ", names).contains("r4p3q"), org.hamcrest.Matchers.is(false));
    assertThat(
        names, not(hasItem("Score/InvokeEndpoint sagemaker-beam-endpoint-261202-005753-r4p3q")));
  }
}
