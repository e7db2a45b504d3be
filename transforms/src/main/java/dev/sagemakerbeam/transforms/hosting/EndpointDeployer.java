package dev.sagemakerbeam.transforms.hosting;

import dev.sagemakerbeam.transforms.polling.AdaptivePolling;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ContainerDefinition;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.waiters.SageMakerWaiter;

/**
 * Hosts a model: CreateModel, CreateEndpointConfig, CreateEndpoint, then waits until the endpoint
 * is InService. Each resource is recorded as soon as it exists; if a later step fails, what was
 * created is deleted again (through {@link SageMakerResourceCleanup}) so a failed deployment leaves
 * nothing behind, and the error says what happened.
 *
 * <p>Also attaches to an endpoint that already exists (nothing created).
 */
public final class EndpointDeployer {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointDeployer.class);

  private final SageMakerClient client;
  private final Duration timeout;
  private final Duration pollInterval;

  /**
   * @param timeout how long to wait for InService
   * @param pollInterval the steady time between DescribeEndpoint calls (polls start faster, see
   *     {@link AdaptivePolling})
   */
  public EndpointDeployer(SageMakerClient client, Duration timeout, Duration pollInterval) {
    this.client = Objects.requireNonNull(client, "client");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
  }

  /**
   * Creates model, endpoint config and endpoint and waits until the endpoint is InService.
   *
   * @return the resources created, for {@link SageMakerResourceCleanup}
   * @throws EndpointException if a step fails or the endpoint does not come up (created resources
   *     are deleted first)
   */
  public CreatedResources deploy(EndpointSpec spec) {
    return deploy(spec, false, false);
  }

  /**
   * Hosts again what {@code earlier} hosted, whose endpoint is gone (a loaded model whose endpoint
   * was deleted): the model and endpoint config {@code earlier} names are used where they still
   * exist (the config only with its model), the rest is created as {@link #deploy} creates it, and
   * the endpoint gets {@code spec}'s new name.
   *
   * @return all three, the reused ones included, so that cleaning up the model deletes them too
   * @throws EndpointException as {@link #deploy} does; only what this call created is deleted
   */
  public CreatedResources redeploy(EndpointSpec spec, CreatedResources earlier) {
    boolean model = earlier.modelName() != null && modelExists(earlier.modelName());
    boolean config =
        model
            && earlier.endpointConfigName() != null
            && endpointConfigExists(earlier.endpointConfigName());
    EndpointSpec.Builder reusing = spec.toBuilder();
    if (model) {
      reusing.modelName(earlier.modelName());
      LOG.info("Using the existing model {}", earlier.modelName());
    }
    if (config) {
      reusing.endpointConfigName(earlier.endpointConfigName());
      LOG.info("Using the existing endpoint config {}", earlier.endpointConfigName());
    }
    return deploy(reusing.build(), model, config);
  }

  private CreatedResources deploy(EndpointSpec spec, boolean modelExists, boolean configExists) {
    // what this call created, deleted if it fails; the reused ones are added on success
    CreatedResources created = CreatedResources.none();
    try {
      if (!modelExists) {
        createModel(
            spec.modelName(),
            spec.image(),
            spec.modelDataUrl(),
            spec.executionRoleArn(),
            spec.environment(),
            spec.tags());
        created = created.withModel(spec.modelName());
      }
      if (!configExists) {
        createEndpointConfig(spec);
        created = created.withEndpointConfig(spec.endpointConfigName());
      }

      LOG.info("Creating endpoint {}", spec.endpointName());
      client.createEndpoint(
          r ->
              r.endpointName(spec.endpointName())
                  .endpointConfigName(spec.endpointConfigName())
                  .tags(tags(spec)));
      created = created.withEndpoint(spec.endpointName());

      awaitInService(spec.endpointName());
      LOG.info("Endpoint {} is InService", spec.endpointName());
      return created.withModel(spec.modelName()).withEndpointConfig(spec.endpointConfigName());
    } catch (RuntimeException e) {
      throw failAndClean(spec.endpointName(), created, e);
    }
  }

  private void createEndpointConfig(EndpointSpec spec) {
    LOG.info(
        "Creating endpoint config {} ({} x {})",
        spec.endpointConfigName(),
        spec.initialInstanceCount(),
        spec.instanceType());
    client.createEndpointConfig(
        r ->
            r.endpointConfigName(spec.endpointConfigName())
                .productionVariants(
                    ProductionVariant.builder()
                        .variantName(spec.variantName())
                        .modelName(spec.modelName())
                        .instanceType(spec.instanceType())
                        .initialInstanceCount(spec.initialInstanceCount())
                        .initialVariantWeight(1.0f)
                        .build())
                .tags(tags(spec)));
  }

  /**
   * Creates a SageMaker model (CreateModel) serving {@code modelDataUrl} (null: none) with {@code
   * image}: the first step of hosting, and what a batch transform job runs.
   */
  public void createModel(
      String modelName,
      String image,
      String modelDataUrl,
      String executionRoleArn,
      Map<String, String> environment,
      Map<String, String> tags) {
    LOG.info("Creating model {} from {} ({})", modelName, image, modelDataUrl);
    ContainerDefinition.Builder container =
        ContainerDefinition.builder().image(image).environment(environment);
    if (modelDataUrl != null) {
      container.modelDataUrl(modelDataUrl);
    }
    client.createModel(
        r ->
            r.modelName(modelName)
                .primaryContainer(container.build())
                .executionRoleArn(executionRoleArn)
                .tags(tags(tags)));
  }

  /**
   * Attaches to an endpoint that already exists, waiting for it if it is still Creating or
   * Updating.
   *
   * @throws EndpointException if it does not exist or does not become InService
   */
  public void attach(String endpointName) {
    awaitInService(endpointName);
    LOG.info("Attached to endpoint {}", endpointName);
  }

  private boolean modelExists(String name) {
    return exists(() -> client.describeModel(r -> r.modelName(name)));
  }

  private boolean endpointConfigExists(String name) {
    return exists(() -> client.describeEndpointConfig(r -> r.endpointConfigName(name)));
  }

  private static boolean exists(Runnable describe) {
    try {
      describe.run();
      return true;
    } catch (SageMakerException e) {
      if (isNotFound(e)) {
        return false;
      }
      throw e;
    }
  }

  /** SageMaker's answer for a missing model, config or endpoint: 400 ValidationException. */
  private static boolean isNotFound(SageMakerException e) {
    return e.statusCode() == 400
        && e.awsErrorDetails() != null
        && "ValidationException".equals(e.awsErrorDetails().errorCode())
        && String.valueOf(e.awsErrorDetails().errorMessage()).contains("Could not find");
  }

  /**
   * Whether {@code endpointName} exists and can serve (or will: Creating, Updating): false when
   * SageMaker answers that it cannot find it, or when it is Failed, Deleting or OutOfService.
   */
  public boolean isUsable(String endpointName) {
    EndpointStatus status;
    try {
      status = client.describeEndpoint(r -> r.endpointName(endpointName)).endpointStatus();
    } catch (SageMakerException e) {
      if (isNotFound(e)) {
        return false;
      }
      throw e;
    }
    return status != EndpointStatus.FAILED
        && status != EndpointStatus.DELETING
        && status != EndpointStatus.OUT_OF_SERVICE;
  }

  private void awaitInService(String endpointName) {
    WaiterOverrideConfiguration waiting =
        WaiterOverrideConfiguration.builder()
            .waitTimeout(timeout)
            .maxAttempts(Integer.MAX_VALUE)
            .backoffStrategyV2(AdaptivePolling.upTo(pollInterval))
            .build();
    try (SageMakerWaiter waiter = client.waiter()) {
      waiter.waitUntilEndpointInService(
          DescribeEndpointRequest.builder().endpointName(endpointName).build(), waiting);
    } catch (SdkException e) {
      // the waiter fails on Failed, on a missing endpoint and on timeout: say which
      DescribeEndpointResponse state;
      try {
        state = client.describeEndpoint(r -> r.endpointName(endpointName));
      } catch (SdkException describeFailure) {
        throw new EndpointException(
            endpointName,
            "Endpoint " + endpointName + " cannot be used: " + describeFailure.getMessage(),
            e);
      }
      if (state.endpointStatus() == EndpointStatus.IN_SERVICE) {
        return;
      }
      String reason = state.failureReason();
      throw new EndpointException(
          endpointName,
          "Endpoint "
              + endpointName
              + " is "
              + state.endpointStatusAsString()
              + (reason == null ? " after waiting " + timeout + " for InService" : ": " + reason),
          e);
    }
  }

  private EndpointException failAndClean(
      String endpointName, CreatedResources created, RuntimeException cause) {
    String cleanup;
    try {
      new SageMakerResourceCleanup(client).deleteResources(created);
      cleanup =
          created.isEmpty() ? "" : " (deleted what it had created: " + created.describe() + ")";
    } catch (SageMakerResourceCleanup.CleanupException e) {
      cleanup = " (" + e.getMessage() + ")";
    }
    String what =
        cause instanceof EndpointException
            ? cause.getMessage()
            : "Hosting endpoint " + endpointName + " failed: " + cause.getMessage();
    return new EndpointException(endpointName, what + cleanup, cause);
  }

  private static List<Tag> tags(EndpointSpec spec) {
    return tags(spec.tags());
  }

  private static List<Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
        .collect(Collectors.toList());
  }

  /** An endpoint that could not be created or used. */
  public static final class EndpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String endpointName;

    EndpointException(String endpointName, String message, Throwable cause) {
      super(message, cause);
      this.endpointName = endpointName;
    }

    public String endpointName() {
      return endpointName;
    }
  }
}
