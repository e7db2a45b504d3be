package dev.sagemakerbeam.transforms.hosting;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/**
 * Deletes hosting resources in dependency order: endpoint, then endpoint config, then model.
 *
 * <p>Idempotent: a resource that is already gone counts as deleted, so cleanup can be repeated
 * after a partial failure. When some deletions fail, {@link CleanupException} says what is left.
 */
public class SageMakerResourceCleanup {
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerResourceCleanup.class);

  private final SageMakerClient client;

  public SageMakerResourceCleanup(SageMakerClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * Deletes every resource named in {@code resources}.
   *
   * @throws CleanupException naming the resources that could not be deleted and why
   */
  public void deleteResources(CreatedResources resources) {
    CreatedResources left = CreatedResources.none();
    List<String> errors = new ArrayList<>();
    if (resources.endpointName() != null
        && !delete(
            "endpoint",
            resources.endpointName(),
            () -> client.deleteEndpoint(r -> r.endpointName(resources.endpointName())),
            errors)) {
      left = left.withEndpoint(resources.endpointName());
    }
    if (resources.endpointConfigName() != null
        && !delete(
            "endpoint config",
            resources.endpointConfigName(),
            () ->
                client.deleteEndpointConfig(
                    r -> r.endpointConfigName(resources.endpointConfigName())),
            errors)) {
      left = left.withEndpointConfig(resources.endpointConfigName());
    }
    if (resources.modelName() != null
        && !delete(
            "model",
            resources.modelName(),
            () -> client.deleteModel(r -> r.modelName(resources.modelName())),
            errors)) {
      left = left.withModel(resources.modelName());
    }
    if (!left.isEmpty()) {
      throw new CleanupException(
          left,
          "Cleanup left "
              + left.describe()
              + " behind: "
              + String.join("; ", errors)
              + ". Run the cleanup again once the cause is fixed; it skips what is already gone.");
    }
  }

  public void deleteEndpoint(String name) {
    deleteResources(CreatedResources.of(null, null, name));
  }

  public void deleteEndpointConfig(String name) {
    deleteResources(CreatedResources.of(null, name, null));
  }

  public void deleteModel(String name) {
    deleteResources(CreatedResources.of(name, null, null));
  }

  private boolean delete(String kind, String name, Runnable call, List<String> errors) {
    try {
      call.run();
      LOG.info("Deleted {} {}", kind, name);
      return true;
    } catch (SageMakerException e) {
      if (isNotFound(e)) {
        LOG.info("{} {} is already gone", kind, name);
        return true;
      }
      errors.add(kind + " " + name + ": " + message(e));
      LOG.warn("Could not delete {} {}: {}", kind, name, message(e));
      return false;
    } catch (RuntimeException e) {
      errors.add(kind + " " + name + ": " + e);
      LOG.warn("Could not delete {} {}", kind, name, e);
      return false;
    }
  }

  /**
   * SageMaker answers a missing model, config or endpoint with ValidationException "Could not find
   * ...".
   */
  public static boolean isNotFound(SageMakerException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String message = message(e);
    return "ResourceNotFound".equals(code)
        || ("ValidationException".equals(code)
            && message != null
            && message.contains("Could not find"));
  }

  private static String message(SageMakerException e) {
    return e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
  }

  /** Some resources could not be deleted; {@link #left()} names them. */
  public static final class CleanupException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final CreatedResources left;

    CleanupException(CreatedResources left, String message) {
      super(message);
      this.left = left;
    }

    /** What still exists. */
    public CreatedResources left() {
      return left;
    }
  }
}
