package dev.sagemakerbeam.local.hosting;

import static dev.sagemakerbeam.local.server.RequestFields.requireName;
import static dev.sagemakerbeam.local.server.RequestFields.requireString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.faults.FaultInjector;
import dev.sagemakerbeam.local.server.ApiException;
import dev.sagemakerbeam.local.server.ListFilter;
import dev.sagemakerbeam.local.server.ListPage;
import dev.sagemakerbeam.local.server.ServiceContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CreateEndpoint, DescribeEndpoint, ListEndpoints, UpdateEndpoint, DeleteEndpoint, and the
 * runtime's InvokeEndpoint. Deployments start in the background (Creating -> InService or Failed;
 * Updating -> InService); endpoints that were in service come back after a restart.
 */
public final class Endpoints implements AutoCloseable {
  static final String KIND = "endpoints";
  private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);

  /** One endpoint: its description and the deployment answering its requests. */
  private static final class Endpoint {
    final ObjectNode description;
    volatile Deployment current;

    Endpoint(ObjectNode description) {
      this.description = description;
    }
  }

  /** A model's answer and the variant that gave it. */
  public record InvocationResult(String variant, ModelWorker.Invocation invocation) {}

  private final ServiceContext context;
  private final Models models;
  private final EndpointConfigs configs;
  private final FaultInjector faults;
  private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong(System.currentTimeMillis());
  private final ExecutorService deployer =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "sagemaker-local-hosting");
            t.setDaemon(true);
            return t;
          });

  public Endpoints(ServiceContext context, Models models, EndpointConfigs configs) {
    this(context, models, configs, new FaultInjector());
  }

  /** With the faults {@code faults} holds injected into InvokeEndpoint. */
  public Endpoints(
      ServiceContext context, Models models, EndpointConfigs configs, FaultInjector faults) {
    this.context = context;
    this.models = models;
    this.configs = configs;
    this.faults = faults;
    for (Map.Entry<String, ObjectNode> entry : context.state().loadAll(KIND).entrySet()) {
      Endpoint endpoint = new Endpoint(entry.getValue());
      endpoints.put(entry.getKey(), endpoint);
      String status = entry.getValue().path("EndpointStatus").asText();
      if (status.equals("InService") || status.equals("Creating") || status.equals("Updating")) {
        LOG.info("Bringing endpoint {} back into service", entry.getKey());
        setStatus(endpoint, "Creating", null);
        deploy(endpoint, entry.getValue().get("EndpointConfigName").asText(), false);
      } else if (status.equals("Deleting")) {
        endpoints.remove(entry.getKey());
        context.state().delete(KIND, entry.getKey());
      }
    }
  }

  /** CreateEndpoint. */
  public ObjectNode create(JsonNode request) {
    String name = requireName(request, "EndpointName");
    String configName = requireString(request, "EndpointConfigName", "EndpointConfigName");
    configs.get(configName);
    ObjectNode description = context.mapper().createObjectNode();
    double now = ServiceContext.now();
    description.put("EndpointName", name);
    description.put("EndpointArn", context.arn("endpoint", name));
    description.put("EndpointConfigName", configName);
    description.put("EndpointStatus", "Creating");
    description.put("CreationTime", now);
    description.put("LastModifiedTime", now);
    Endpoint endpoint = new Endpoint(description);
    synchronized (endpoints) {
      if (endpoints.containsKey(name)) {
        throw ApiException.validation(
            "Cannot create already existing endpoint \"" + context.arn("endpoint", name) + "\".");
      }
      if (endpoints.size() >= context.maxEndpoints()) {
        throw ApiException.limitExceeded(
            "The account-level service limit 'Number of endpoints' is "
                + context.maxEndpoints()
                + " endpoints, with current utilization of "
                + endpoints.size()
                + "; delete an endpoint or start SageMaker Local with a higher maxEndpoints");
      }
      endpoints.put(name, endpoint);
      context.state().save(KIND, name, description);
    }
    deploy(endpoint, configName, false);
    ObjectNode response = context.mapper().createObjectNode();
    response.put("EndpointArn", description.get("EndpointArn").asText());
    return response;
  }

  /** UpdateEndpoint: the old configuration keeps answering until the new one is in service. */
  public ObjectNode update(JsonNode request) {
    String name = requireString(request, "EndpointName", "EndpointName");
    String configName = requireString(request, "EndpointConfigName", "EndpointConfigName");
    Endpoint endpoint = find(name);
    configs.get(configName);
    synchronized (endpoint.description) {
      String status = endpoint.description.get("EndpointStatus").asText();
      if (!status.equals("InService")) {
        throw ApiException.validation(
            "Cannot update in-progress endpoint \""
                + context.arn("endpoint", name)
                + "\": its status is "
                + status
                + "; wait until it is InService");
      }
      endpoint.description.remove("FailureReason");
    }
    setStatus(endpoint, "Updating", null);
    deploy(endpoint, configName, true);
    ObjectNode response = context.mapper().createObjectNode();
    response.put("EndpointArn", endpoint.description.get("EndpointArn").asText());
    return response;
  }

  private void deploy(Endpoint endpoint, String configName, boolean update) {
    String name = endpoint.description.get("EndpointName").asText();
    deployer.submit(
        () -> {
          Path dir =
              context
                  .dataDir()
                  .resolve("endpoints")
                  .resolve(name)
                  .resolve("g" + generation.incrementAndGet());
          Deployment deployment;
          try {
            ObjectNode config = configs.get(configName).deepCopy();
            deployment = Deployment.start(context, models, config, dir);
          } catch (AlgorithmException | RuntimeException e) {
            LOG.warn("Endpoint {}: configuration {} failed: {}", name, configName, e.getMessage());
            setStatus(
                endpoint,
                update ? "InService" : "Failed",
                update
                    ? "Update to endpoint configuration '"
                        + configName
                        + "' failed: "
                        + e.getMessage()
                    : e.getMessage());
            return;
          }
          Deployment previous;
          synchronized (endpoint.description) {
            if (endpoints.get(name) != endpoint) {
              // Deleted while starting.
              deployer.submit(deployment::retire);
              return;
            }
            previous = endpoint.current;
            endpoint.current = deployment;
            endpoint.description.put("EndpointConfigName", configName);
            endpoint.description.set("ProductionVariants", deployment.summaries(context.mapper()));
          }
          setStatus(endpoint, "InService", null);
          LOG.info("Endpoint {} InService with configuration {}", name, configName);
          if (previous != null) {
            previous.retire();
          }
        });
  }

  private void setStatus(Endpoint endpoint, String status, String failureReason) {
    synchronized (endpoint.description) {
      endpoint.description.put("EndpointStatus", status);
      endpoint.description.put("LastModifiedTime", ServiceContext.now());
      if (failureReason != null) {
        endpoint.description.put(
            "FailureReason",
            failureReason.length() <= 1024
                ? failureReason
                : failureReason.substring(0, 1021) + "...");
      }
      String name = endpoint.description.get("EndpointName").asText();
      if (endpoints.get(name) == endpoint) {
        context.state().save(KIND, name, endpoint.description);
      }
    }
  }

  /** DescribeEndpoint. */
  public ObjectNode describe(JsonNode request) {
    Endpoint endpoint = find(requireString(request, "EndpointName", "EndpointName"));
    synchronized (endpoint.description) {
      return endpoint.description.deepCopy();
    }
  }

  /** DeleteEndpoint: the workers stop once the requests in flight are answered. */
  public ObjectNode delete(JsonNode request) {
    String name = requireString(request, "EndpointName", "EndpointName");
    Endpoint endpoint;
    synchronized (endpoints) {
      endpoint = find(name);
      endpoints.remove(name);
      context.state().delete(KIND, name);
    }
    Deployment deployment;
    synchronized (endpoint.description) {
      endpoint.description.put("EndpointStatus", "Deleting");
      deployment = endpoint.current;
      endpoint.current = null;
    }
    if (deployment != null) {
      deployer.submit(deployment::retire);
    }
    LOG.info("Endpoint {} deleted", name);
    return context.mapper().createObjectNode();
  }

  /**
   * ListEndpoints (NameContains, StatusEquals, CreationTime/LastModifiedTime After/Before, sorting,
   * pages).
   */
  public ObjectNode list(JsonNode request) {
    ListFilter filter =
        ListFilter.of(
            request,
            "EndpointName",
            "EndpointStatus",
            "OutOfService",
            "Creating",
            "Updating",
            "SystemUpdating",
            "RollingBack",
            "InService",
            "Deleting",
            "Failed",
            "UpdateRollbackFailed");
    List<ObjectNode> descriptions = new ArrayList<>();
    for (Endpoint endpoint : endpoints.values()) {
      synchronized (endpoint.description) {
        descriptions.add(endpoint.description.deepCopy());
      }
    }
    List<ObjectNode> summaries =
        filter.summaries(
            context.mapper(),
            descriptions,
            "EndpointName",
            "EndpointArn",
            "CreationTime",
            "LastModifiedTime",
            "EndpointStatus");
    return ListPage.page(
        context.mapper(),
        request,
        summaries,
        "Endpoints",
        "EndpointName",
        new String[] {"Name", "CreationTime", "Status"});
  }

  /**
   * InvokeEndpoint.
   *
   * @throws ApiException ValidationError (400) for an unknown endpoint or one not in service
   * @throws ModelWorker.ModelError when the model fails
   */
  public InvocationResult invoke(
      String name, byte[] body, String contentType, String accept, String targetVariant)
      throws ModelWorker.ModelError {
    Endpoint endpoint = endpoints.get(name);
    if (endpoint == null) {
      throw new ApiException(
          400,
          "ValidationError",
          "Endpoint " + name + " of account " + context.accountId() + " not found.");
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      Deployment deployment = endpoint.current;
      if (deployment == null) {
        break;
      }
      Deployment.Result result =
          deployment.invoke(name, body, contentType, accept, targetVariant, faults);
      if (result != null) {
        return new InvocationResult(result.variant(), result.invocation());
      }
    }
    String status;
    synchronized (endpoint.description) {
      status = endpoint.description.get("EndpointStatus").asText();
    }
    throw new ApiException(
        400,
        "ValidationError",
        "Endpoint "
            + name
            + " of account "
            + context.accountId()
            + " is not in service (status "
            + status
            + "); wait until DescribeEndpoint reports InService");
  }

  private Endpoint find(String name) {
    Endpoint endpoint = endpoints.get(name);
    if (endpoint == null) {
      throw ApiException.validation(
          "Could not find endpoint \"" + context.arn("endpoint", name) + "\".");
    }
    return endpoint;
  }

  @Override
  public void close() {
    deployer.shutdown();
    try {
      deployer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Endpoint endpoint : endpoints.values()) {
      Deployment deployment = endpoint.current;
      endpoint.current = null;
      if (deployment != null) {
        deployment.retire();
      }
    }
  }
}
