package dev.sagemakerbeam.transforms.training;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.beam.LabeledExampleCoder;
import dev.sagemakerbeam.transforms.algorithms.KMeansHyperparameters;
import dev.sagemakerbeam.transforms.batch.SageMakerBatchTransform;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import java.net.URI;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/**
 * Applying the transforms builds the graph only: with no staging location (the default bucket needs
 * STS and maybe a bucket creation) and every endpoint unreachable, {@code expand()} still succeeds,
 * and the pipeline's S3 options are left as they were.
 */
class BuildingMakesNoAwsCallsTest {
  private static final URI NOWHERE = URI.create("http://127.0.0.1:1");
  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";

  private static SageMakerClientConfiguration unreachable() {
    return SageMakerClientConfiguration.forLocal(
        NOWHERE, NOWHERE, NOWHERE, NOWHERE, "us-west-2", "key", "secret");
  }

  private static PCollection<LabeledExample> examples(Pipeline p) {
    return p.apply(
        Create.of(LabeledExample.of(1.0, FeatureVector.dense(new double[] {1, 2})))
            .withCoder(LabeledExampleCoder.of()));
  }

  @Test
  void trainingAndBatchTransformApplyWithoutReachingAws() {
    S3Options options = PipelineOptionsFactory.create().as(S3Options.class);
    URI endpointBefore = options.getEndpoint();
    Class<?> clientFactoryBefore = options.getS3ClientFactoryClass();
    Pipeline p = Pipeline.create(options);
    examples(p)
        .apply(
            SageMakerTrain.kmeans(new KMeansHyperparameters().k(2).featureDim(2))
                .withClientConfiguration(unreachable())
                .withRole(ROLE)
                .withInstanceType("ml.m5.large"));
    examples(p)
        .apply(
            SageMakerBatchTransform.forArtifact(
                    "kmeans:1",
                    "s3://bucket/model.tar.gz",
                    ROLE,
                    RecordIoProtobufRequestSerializer.of(LabeledExample::features),
                    new KMeansProtobufResponseDeserializer())
                .withClientConfiguration(unreachable())
                .withInstanceType("ml.m5.large"));
    // the graph exists; nothing ran, nothing was asked of STS or S3
    assertThat(options.getEndpoint(), is(endpointBefore));
    assertThat(options.getS3ClientFactoryClass(), is(clientFactoryBefore));
  }

  @Test
  void theDefaultLocationIsResolvedOnFirstUseAndNamesTheCallThatFailed() {
    StagingLocation location = StagingLocation.of(unreachable(), null);
    assertThat(location.toString(), containsString("<account>-sagemaker-<region>"));
    // resolving it asks STS for the account: here, at run time, the unreachable endpoint fails
    RuntimeException e = assertThrows(RuntimeException.class, location::uri);
    assertThat(e.getMessage() == null ? e.toString() : e.getMessage(), containsString("127.0.0.1"));
    assertThat(
        StagingLocation.of(unreachable(), "s3://given/prefix").resolve("job"),
        is("s3://given/prefix/job"));
  }
}
