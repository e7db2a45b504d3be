package dev.sagemakerbeam.transforms.hosting;

import com.google.auto.value.AutoValue;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.naming.ResourceNamePolicy;
import dev.sagemakerbeam.transforms.training.TrainedModel;
import dev.sagemakerbeam.transforms.training.TrainingJobRunner;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeModelResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/**
 * Hosts trained models on a SageMaker endpoint: for each {@link TrainedModel}, creates model,
 * endpoint config and endpoint (through {@link EndpointDeployer}) and outputs the {@link
 * HostedEndpoint} once it is InService.
 *
 * <p>The resource names are fixed when the transform is built, so the endpoint's name is known
 * before the pipeline runs: {@code rows.apply(Wait.on(hosted)).apply(InvokeEndpoint...to(
 * deploy.endpointName()))} scores against the endpoint as soon as it exists. Apply it to one model:
 * a second model would need a second endpoint name. A retried deployment step finds the endpoint
 * its first attempt created and attaches to it instead of creating resources twice.
 */
@AutoValue
public abstract class DeployEndpoint
    extends PTransform<PCollection<TrainedModel>, PCollection<HostedEndpoint>> {
  private static final long serialVersionUID = 1L;

  abstract SageMakerClientConfiguration config();

  abstract ResourceNamePolicy.ResourceNames names();

  abstract @Nullable String roleArn();

  abstract @Nullable String instanceType();

  abstract int instanceCount();

  abstract @Nullable String modelImage();

  abstract Map<String, String> environment();

  abstract Map<String, String> tags();

  abstract Duration timeout();

  abstract Duration pollInterval();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder config(SageMakerClientConfiguration config);

    abstract Builder names(ResourceNamePolicy.ResourceNames names);

    abstract Builder roleArn(String roleArn);

    abstract Builder instanceType(String instanceType);

    abstract Builder instanceCount(int count);

    abstract Builder modelImage(String image);

    abstract Builder environment(Map<String, String> environment);

    abstract Builder tags(Map<String, String> tags);

    abstract Builder timeout(Duration timeout);

    abstract Builder pollInterval(Duration pollInterval);

    abstract DeployEndpoint build();
  }

  /**
   * A deployment with names from the default policy; set role and instance type before applying.
   */
  public static DeployEndpoint create(SageMakerClientConfiguration config) {
    if (config == null) {
      throw new IllegalArgumentException(
          "DeployEndpoint.create needs a client configuration, got null");
    }
    return new AutoValue_DeployEndpoint.Builder()
        .config(config)
        .names(ResourceNamePolicy.withDefaultPrefix().next())
        .instanceCount(1)
        .environment(Map.of())
        .tags(Map.of())
        .timeout(Duration.ofMinutes(30))
        .pollInterval(Duration.ofSeconds(10))
        .build();
  }

  /**
   * The same deployment against other clients (another region, AWS instead of SageMaker Local,
   * ...).
   */
  public DeployEndpoint withClientConfiguration(SageMakerClientConfiguration config) {
    if (config == null) {
      throw new IllegalArgumentException(
          "withClientConfiguration needs a client configuration, got null");
    }
    return toBuilder().config(config).build();
  }

  /** New names (model, config, endpoint sharing one suffix) from {@code policy}. */
  public DeployEndpoint withNamePolicy(ResourceNamePolicy policy) {
    return toBuilder().names(policy.next()).build();
  }

  /** The IAM role the model runs with (required). */
  public DeployEndpoint withRole(String roleArn) {
    return toBuilder().roleArn(roleArn).build();
  }

  /** Endpoint instance type and initial instance count (type required). */
  public DeployEndpoint withInstances(String instanceType, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("withInstances needs at least 1 instance, got " + count);
    }
    return toBuilder().instanceType(instanceType).instanceCount(count).build();
  }

  /** Serve with this image instead of the training image. */
  public DeployEndpoint withModelImage(String image) {
    return toBuilder().modelImage(image).build();
  }

  /** The model container's environment variables. */
  public DeployEndpoint withEnvironment(Map<String, String> environment) {
    return toBuilder()
        .environment(Collections.unmodifiableMap(new LinkedHashMap<>(environment)))
        .build();
  }

  public DeployEndpoint withTags(Map<String, String> tags) {
    return toBuilder().tags(Collections.unmodifiableMap(new LinkedHashMap<>(tags))).build();
  }

  /** How long to wait for InService (default 30 minutes) and how often to poll. */
  public DeployEndpoint withTimeout(Duration timeout, Duration pollInterval) {
    return toBuilder().timeout(timeout).pollInterval(pollInterval).build();
  }

  /** The endpoint's name, fixed now so that inference can be set up before the pipeline runs. */
  public String endpointName() {
    return names().endpoint();
  }

  /** The model, endpoint config and endpoint this deployment creates, for cleanup after the run. */
  public CreatedResources plannedResources() {
    return CreatedResources.of(names().model(), names().endpointConfig(), names().endpoint());
  }

  /** Hosts the model artifact at {@code s3Uri}, served by {@code image}. */
  public PTransform<PBegin, PCollection<HostedEndpoint>> fromModelArtifact(
      String image, String s3Uri) {
    return fromModel(TrainedModel.of("(none)", s3Uri, image, Map.of()));
  }

  /** Hosts the model of a completed training job (waiting for it if it is still running). */
  public PTransform<PBegin, PCollection<HostedEndpoint>> fromTrainingJob(String trainingJobName) {
    DeployEndpoint deploy = this;
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<HostedEndpoint> expand(PBegin begin) {
        return begin
            .apply("TrainingJob", Create.of(trainingJobName))
            .apply(
                "DescribeTrainingJob",
                ParDo.of(new AwaitTrainingJobFn(config(), deploy.timeout(), deploy.pollInterval())))
            .apply("Deploy", deploy);
      }
    };
  }

  private PTransform<PBegin, PCollection<HostedEndpoint>> fromModel(TrainedModel model) {
    DeployEndpoint deploy = this;
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<HostedEndpoint> expand(PBegin begin) {
        return begin.apply("Model", Create.of(model)).apply("Deploy", deploy);
      }
    };
  }

  @Override
  public PCollection<HostedEndpoint> expand(PCollection<TrainedModel> models) {
    if (roleArn() == null || instanceType() == null) {
      throw new IllegalStateException(
          "DeployEndpoint needs "
              + (roleArn() == null ? "withRole(roleArn)" : "")
              + (roleArn() == null && instanceType() == null ? " and " : "")
              + (instanceType() == null ? "withInstances(instanceType, count)" : "")
              + " before it is applied");
    }
    return models.apply("DeployEndpoint", ParDo.of(new DeployFn(this)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("endpointName", names().endpoint()))
        .addIfNotNull(DisplayData.item("instanceType", instanceType()))
        .add(DisplayData.item("instanceCount", instanceCount()))
        .addIfNotNull(DisplayData.item("modelImage", modelImage()));
  }

  private static final class DeployFn extends DoFn<TrainedModel, HostedEndpoint> {
    private static final long serialVersionUID = 1L;
    private final DeployEndpoint spec;
    private transient SageMakerClient client;

    DeployFn(DeployEndpoint spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() {
      client = SageMakerClients.sageMaker(spec.config());
    }

    @ProcessElement
    public void process(@Element TrainedModel model, OutputReceiver<HostedEndpoint> out) {
      EndpointDeployer deployer = new EndpointDeployer(client, spec.timeout(), spec.pollInterval());
      if (endpointExists(spec.names().endpoint())) {
        // a retry of this step (or a re-run with the same names) finds the endpoint it created; a
        // second model must not be reported as hosted on an endpoint that serves the first
        String hosted = hostedArtifact(spec.names().endpoint());
        if (!model.modelArtifactUri().equals(hosted)) {
          throw new IllegalStateException(
              "DeployEndpoint's endpoint "
                  + spec.names().endpoint()
                  + " already hosts "
                  + hosted
                  + ", so it cannot host "
                  + model.modelArtifactUri()
                  + " as well: one DeployEndpoint hosts one"
                  + " model. Apply a DeployEndpoint per model (each names its own resources), or give it one model.");
        }
        deployer.attach(spec.names().endpoint());
        out.output(HostedEndpoint.of(spec.names().endpoint(), hosted, spec.plannedResources()));
        return;
      }
      EndpointSpec endpoint =
          EndpointSpec.builder()
              .modelName(spec.names().model())
              .endpointConfigName(spec.names().endpointConfig())
              .endpointName(spec.names().endpoint())
              .image(spec.modelImage() != null ? spec.modelImage() : model.trainingImage())
              .modelDataUrl(model.modelArtifactUri())
              .executionRoleArn(spec.roleArn())
              .instanceType(spec.instanceType())
              .initialInstanceCount(spec.instanceCount())
              .environment(spec.environment())
              .tags(spec.tags())
              .build();
      CreatedResources created = deployer.deploy(endpoint);
      out.output(HostedEndpoint.of(endpoint.endpointName(), model.modelArtifactUri(), created));
    }

    /** The model artifact an existing endpoint serves (its first variant's model). */
    private String hostedArtifact(String endpointName) {
      String config =
          client.describeEndpoint(r -> r.endpointName(endpointName)).endpointConfigName();
      String modelName =
          client
              .describeEndpointConfig(r -> r.endpointConfigName(config))
              .productionVariants()
              .get(0)
              .modelName();
      DescribeModelResponse hostedModel = client.describeModel(r -> r.modelName(modelName));
      return hostedModel.primaryContainer() == null
          ? null
          : hostedModel.primaryContainer().modelDataUrl();
    }

    private boolean endpointExists(String name) {
      try {
        client.describeEndpoint(r -> r.endpointName(name));
        return true;
      } catch (SageMakerException e) {
        if (SageMakerResourceCleanup.isNotFound(e)) {
          return false;
        }
        throw e;
      }
    }

    @Teardown
    public void teardown() {
      if (client != null) {
        client.close();
      }
    }
  }

  private static final class AwaitTrainingJobFn extends DoFn<String, TrainedModel> {
    private static final long serialVersionUID = 1L;
    private final SageMakerClientConfiguration config;
    private final Duration timeout;
    private final Duration pollInterval;
    private transient SageMakerClient client;

    AwaitTrainingJobFn(
        SageMakerClientConfiguration config, Duration timeout, Duration pollInterval) {
      this.config = config;
      this.timeout = timeout;
      this.pollInterval = pollInterval;
    }

    @Setup
    public void setup() {
      client = SageMakerClients.sageMaker(config);
    }

    @ProcessElement
    public void process(@Element String jobName, OutputReceiver<TrainedModel> out) {
      out.output(new TrainingJobRunner(client, timeout, pollInterval).awaitCompletion(jobName));
    }

    @Teardown
    public void teardown() {
      if (client != null) {
        client.close();
      }
    }
  }
}
