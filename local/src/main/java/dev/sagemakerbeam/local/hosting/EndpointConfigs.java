package dev.sagemakerbeam.local.hosting;

import static dev.sagemakerbeam.local.server.RequestFields.optionalInt;
import static dev.sagemakerbeam.local.server.RequestFields.optionalNumber;
import static dev.sagemakerbeam.local.server.RequestFields.optionalString;
import static dev.sagemakerbeam.local.server.RequestFields.requireList;
import static dev.sagemakerbeam.local.server.RequestFields.requireName;
import static dev.sagemakerbeam.local.server.RequestFields.requireString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.local.server.ApiException;
import dev.sagemakerbeam.local.server.ListFilter;
import dev.sagemakerbeam.local.server.ListPage;
import dev.sagemakerbeam.local.server.RequestFields;
import dev.sagemakerbeam.local.server.ServiceContext;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** CreateEndpointConfig, DescribeEndpointConfig, ListEndpointConfigs, DeleteEndpointConfig. */
public final class EndpointConfigs {
  static final String KIND = "endpoint-configs";

  private final ServiceContext context;
  private final Models models;
  private final Map<String, ObjectNode> configs = new ConcurrentHashMap<>();

  public EndpointConfigs(ServiceContext context, Models models) {
    this.context = context;
    this.models = models;
    configs.putAll(context.state().loadAll(KIND));
  }

  /** CreateEndpointConfig. */
  public ObjectNode create(JsonNode request) {
    String name = requireName(request, "EndpointConfigName");
    JsonNode variants = requireList(request, "ProductionVariants", "ProductionVariants", 1, 10);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < variants.size(); i++) {
      String path = "ProductionVariants." + (i + 1);
      JsonNode variant = variants.get(i);
      if (!variant.isObject()) {
        throw ApiException.validation("Value at '" + path + "' must be a ProductionVariant object");
      }
      String variantName = requireString(variant, "VariantName", path + ".VariantName");
      RequestFields.checkName(path + ".VariantName", variantName);
      if (!names.add(variantName)) {
        throw ApiException.validation("Variant name '" + variantName + "' is used more than once");
      }
      String modelName = requireString(variant, "ModelName", path + ".ModelName");
      String instanceType = optionalString(variant, "InstanceType", path + ".InstanceType");
      Integer count =
          optionalInt(variant, "InitialInstanceCount", path + ".InitialInstanceCount", 1, 64);
      if (variant.hasNonNull("ServerlessConfig")) {
        throw ApiException.validation(
            "ServerlessConfig (variant '"
                + variantName
                + "') is not supported by SageMaker Local;"
                + " give InstanceType and InitialInstanceCount");
      }
      if (instanceType == null || count == null) {
        throw ApiException.validation(
            "Variant '" + variantName + "' needs InstanceType and InitialInstanceCount");
      }
      Double weight =
          optionalNumber(variant, "InitialVariantWeight", path + ".InitialVariantWeight");
      if (weight != null && weight < 0) {
        throw ApiException.validation(
            "Value '"
                + weight
                + "' at '"
                + path
                + ".InitialVariantWeight' failed to satisfy"
                + " constraint: Member must have value greater than or equal to 0");
      }
      models.get(modelName);
    }
    ObjectNode description = context.mapper().createObjectNode();
    description.put("EndpointConfigName", name);
    description.put("EndpointConfigArn", context.arn("endpoint-config", name));
    description.set("ProductionVariants", variants.deepCopy());
    description.put("CreationTime", ServiceContext.now());
    synchronized (configs) {
      if (configs.containsKey(name)) {
        throw ApiException.validation(
            "Cannot create already existing endpoint configuration \""
                + context.arn("endpoint-config", name)
                + "\".");
      }
      configs.put(name, description);
      context.state().save(KIND, name, description);
    }
    ObjectNode response = context.mapper().createObjectNode();
    response.put("EndpointConfigArn", description.get("EndpointConfigArn").asText());
    return response;
  }

  /** DescribeEndpointConfig. */
  public ObjectNode describe(JsonNode request) {
    return get(requireString(request, "EndpointConfigName", "EndpointConfigName")).deepCopy();
  }

  ObjectNode get(String name) {
    ObjectNode config = configs.get(name);
    if (config == null) {
      throw ApiException.validation(
          "Could not find endpoint configuration \""
              + context.arn("endpoint-config", name)
              + "\".");
    }
    return config;
  }

  /** DeleteEndpointConfig. */
  public ObjectNode delete(JsonNode request) {
    String name = requireString(request, "EndpointConfigName", "EndpointConfigName");
    synchronized (configs) {
      get(name);
      configs.remove(name);
      context.state().delete(KIND, name);
    }
    return context.mapper().createObjectNode();
  }

  /** ListEndpointConfigs (NameContains, CreationTimeAfter/Before, sorting, pages). */
  public ObjectNode list(JsonNode request) {
    ListFilter filter = ListFilter.byNameAndCreation(request, "EndpointConfigName");
    List<ObjectNode> summaries =
        filter.summaries(
            context.mapper(),
            configs.values(),
            "EndpointConfigName",
            "EndpointConfigArn",
            "CreationTime");
    return ListPage.page(
        context.mapper(),
        request,
        summaries,
        "EndpointConfigs",
        "EndpointConfigName",
        new String[] {"Name", "CreationTime"});
  }
}
