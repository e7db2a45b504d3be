package dev.sagemakerbeam.local.hosting;

import static dev.sagemakerbeam.local.server.RequestFields.optionalObject;
import static dev.sagemakerbeam.local.server.RequestFields.optionalString;
import static dev.sagemakerbeam.local.server.RequestFields.requireName;
import static dev.sagemakerbeam.local.server.RequestFields.requireRoleArn;
import static dev.sagemakerbeam.local.server.RequestFields.requireString;
import static dev.sagemakerbeam.local.server.RequestFields.stringMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.local.server.ApiException;
import dev.sagemakerbeam.local.server.ListFilter;
import dev.sagemakerbeam.local.server.ListPage;
import dev.sagemakerbeam.local.server.ServiceContext;
import dev.sagemakerbeam.local.storage.S3Location;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** CreateModel, DescribeModel, ListModels, DeleteModel. */
public final class Models {
  static final String KIND = "models";

  private final ServiceContext context;
  private final Map<String, ObjectNode> models = new ConcurrentHashMap<>();

  public Models(ServiceContext context) {
    this.context = context;
    models.putAll(context.state().loadAll(KIND));
  }

  /** CreateModel. */
  public ObjectNode create(JsonNode request) {
    String name = requireName(request, "ModelName");
    JsonNode container = optionalObject(request, "PrimaryContainer", "PrimaryContainer");
    if (container == null) {
      JsonNode containers = request.get("Containers");
      if (containers != null && containers.isArray() && containers.size() == 1) {
        container = containers.get(0);
      } else if (containers != null && containers.isArray() && containers.size() > 1) {
        throw ApiException.validation(
            "SageMaker Local hosts single-container models; give PrimaryContainer or one entry in"
                + " Containers (got "
                + containers.size()
                + ")");
      } else {
        throw ApiException.validation(
            "1 validation error detected: Value null at 'PrimaryContainer' failed to satisfy"
                + " constraint: Member must not be null");
      }
    }
    String path = request.has("PrimaryContainer") ? "PrimaryContainer" : "Containers.1";
    String image = requireString(container, "Image", path + ".Image");
    String modelData = optionalString(container, "ModelDataUrl", path + ".ModelDataUrl");
    if (modelData != null) {
      S3Location.parse(path + ".ModelDataUrl", modelData);
    }
    stringMap(container, "Environment", path + ".Environment", 100, 1024, 1024);
    if (request.hasNonNull("ExecutionRoleArn")) {
      requireRoleArn(request, "ExecutionRoleArn");
    }
    context.algorithms().resolve(path + ".Image", image, List.of());

    ObjectNode description = context.mapper().createObjectNode();
    description.put("ModelName", name);
    description.set("PrimaryContainer", container.deepCopy());
    if (request.hasNonNull("ExecutionRoleArn")) {
      description.put("ExecutionRoleArn", request.get("ExecutionRoleArn").asText());
    }
    description.put("CreationTime", ServiceContext.now());
    description.put("ModelArn", context.arn("model", name));
    description.put(
        "EnableNetworkIsolation", request.path("EnableNetworkIsolation").asBoolean(false));
    synchronized (models) {
      if (models.containsKey(name)) {
        throw ApiException.validation(
            "Cannot create already existing model \"" + context.arn("model", name) + "\".");
      }
      models.put(name, description);
      context.state().save(KIND, name, description);
    }
    ObjectNode response = context.mapper().createObjectNode();
    response.put("ModelArn", description.get("ModelArn").asText());
    return response;
  }

  /** DescribeModel. */
  public ObjectNode describe(JsonNode request) {
    return get(requireString(request, "ModelName", "ModelName")).deepCopy();
  }

  /**
   * The model's description (not a copy: do not change it); ValidationException "Could not find
   * model" when absent.
   */
  public ObjectNode get(String name) {
    ObjectNode model = models.get(name);
    if (model == null) {
      throw ApiException.validation("Could not find model \"" + context.arn("model", name) + "\".");
    }
    return model;
  }

  /** DeleteModel. */
  public ObjectNode delete(JsonNode request) {
    String name = requireString(request, "ModelName", "ModelName");
    synchronized (models) {
      get(name);
      models.remove(name);
      context.state().delete(KIND, name);
    }
    return context.mapper().createObjectNode();
  }

  /** ListModels (NameContains, CreationTimeAfter/Before, sorting, pages). */
  public ObjectNode list(JsonNode request) {
    ListFilter filter = ListFilter.byNameAndCreation(request, "ModelName");
    List<ObjectNode> summaries =
        filter.summaries(
            context.mapper(), models.values(), "ModelName", "ModelArn", "CreationTime");
    return ListPage.page(
        context.mapper(),
        request,
        summaries,
        "Models",
        "ModelName",
        new String[] {"Name", "CreationTime"});
  }
}
