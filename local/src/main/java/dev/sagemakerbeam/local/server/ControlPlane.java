package dev.sagemakerbeam.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.local.hosting.EndpointConfigs;
import dev.sagemakerbeam.local.hosting.Endpoints;
import dev.sagemakerbeam.local.hosting.Models;
import dev.sagemakerbeam.local.training.TrainingJobs;
import dev.sagemakerbeam.local.transform.TransformJobs;
import dev.sagemakerbeam.local.tuning.TuningJobs;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The SageMaker API operations SageMaker Local implements, by X-Amz-Target operation name. */
public final class ControlPlane {
  private final Map<String, Function<JsonNode, ObjectNode>> operations = new TreeMap<>();

  public ControlPlane(
      TrainingJobs trainingJobs,
      Models models,
      EndpointConfigs endpointConfigs,
      Endpoints endpoints,
      TransformJobs transformJobs,
      TuningJobs tuningJobs) {
    operations.put("CreateTrainingJob", trainingJobs::create);
    operations.put("DescribeTrainingJob", trainingJobs::describe);
    operations.put("ListTrainingJobs", trainingJobs::list);
    operations.put("StopTrainingJob", trainingJobs::stop);
    operations.put("CreateModel", models::create);
    operations.put("DescribeModel", models::describe);
    operations.put("ListModels", models::list);
    operations.put("DeleteModel", models::delete);
    operations.put("CreateEndpointConfig", endpointConfigs::create);
    operations.put("DescribeEndpointConfig", endpointConfigs::describe);
    operations.put("ListEndpointConfigs", endpointConfigs::list);
    operations.put("DeleteEndpointConfig", endpointConfigs::delete);
    operations.put("CreateEndpoint", endpoints::create);
    operations.put("DescribeEndpoint", endpoints::describe);
    operations.put("ListEndpoints", endpoints::list);
    operations.put("UpdateEndpoint", endpoints::update);
    operations.put("DeleteEndpoint", endpoints::delete);
    operations.put("CreateTransformJob", transformJobs::create);
    operations.put("DescribeTransformJob", transformJobs::describe);
    operations.put("ListTransformJobs", transformJobs::list);
    operations.put("StopTransformJob", transformJobs::stop);
    operations.put("CreateHyperParameterTuningJob", tuningJobs::create);
    operations.put("DescribeHyperParameterTuningJob", tuningJobs::describe);
    operations.put("ListHyperParameterTuningJobs", tuningJobs::list);
    operations.put("ListTrainingJobsForHyperParameterTuningJob", tuningJobs::listTrainingJobs);
    operations.put("StopHyperParameterTuningJob", tuningJobs::stop);
  }

  /**
   * Runs one operation.
   *
   * @throws ApiException the error to answer
   */
  public ObjectNode call(String operation, JsonNode request) {
    Function<JsonNode, ObjectNode> handler = operations.get(operation);
    if (handler == null) {
      throw new ApiException(
          400,
          "UnknownOperationException",
          "Operation SageMaker."
              + operation
              + " is not supported by SageMaker Local; supported: "
              + String.join(", ", operations.keySet()));
    }
    if (!request.isObject()) {
      throw new ApiException(
          400, "SerializationException", "The request body must be a JSON object");
    }
    return handler.apply(request);
  }
}
