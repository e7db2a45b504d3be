package dev.sagemakerbeam.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * One page of a SageMaker List operation: sorted by SortBy/SortOrder (default CreationTime,
 * Descending), at most MaxResults (default 10, as SageMaker) entries, NextToken for the rest.
 */
public final class ListPage {
  private ListPage() {}

  /**
   * Builds the response.
   *
   * @param summaries all matching summaries
   * @param listField the response's list field, e.g. {@code TrainingJobSummaries}
   * @param nameField the summary field holding the name
   * @param sortKeys the SortBy values the operation accepts
   */
  public static ObjectNode page(
      ObjectMapper mapper,
      JsonNode request,
      List<ObjectNode> summaries,
      String listField,
      String nameField,
      String[] sortKeys) {
    return page(
        mapper, request, summaries, listField, nameField, sortKeys, "CreationTime", "Descending");
  }

  /**
   * Builds the response of an operation whose defaults differ (the tuning-job lists sort by Name,
   * Ascending); SortBy {@code FinalObjectiveMetricValue} sorts by the summaries' {@code
   * FinalHyperParameterTuningJobObjectiveMetric.Value}.
   */
  public static ObjectNode page(
      ObjectMapper mapper,
      JsonNode request,
      List<ObjectNode> summaries,
      String listField,
      String nameField,
      String[] sortKeys,
      String defaultSortBy,
      String defaultOrder) {
    String sortBy = RequestFields.optionalString(request, "SortBy", "SortBy");
    sortBy = sortBy == null ? defaultSortBy : RequestFields.checkEnum("SortBy", sortBy, sortKeys);
    String order = RequestFields.optionalString(request, "SortOrder", "SortOrder");
    order =
        order == null
            ? defaultOrder
            : RequestFields.checkEnum("SortOrder", order, "Ascending", "Descending");
    Integer max = RequestFields.optionalInt(request, "MaxResults", "MaxResults", 1, 100);
    int limit = max == null ? 10 : max;
    String token = RequestFields.optionalString(request, "NextToken", "NextToken");
    int offset = 0;
    if (token != null) {
      try {
        offset =
            Integer.parseInt(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ApiException.validation("Invalid pagination token '" + token + "'");
      }
    }
    Comparator<ObjectNode> comparator;
    if (sortBy.equals("Name")) {
      comparator = Comparator.comparing(n -> n.path(nameField).asText());
    } else if (sortBy.equals("Status")) {
      comparator = Comparator.comparing(n -> statusOf(n));
    } else if (sortBy.equals("FinalObjectiveMetricValue")) {
      comparator =
          Comparator.comparingDouble(
              n -> n.path("FinalHyperParameterTuningJobObjectiveMetric").path("Value").asDouble());
    } else {
      comparator = Comparator.comparingDouble(n -> n.path("CreationTime").asDouble());
    }
    comparator = comparator.thenComparing(n -> n.path(nameField).asText());
    if (order.equals("Descending")) {
      comparator = comparator.reversed();
    }
    summaries.sort(comparator);
    ObjectNode response = mapper.createObjectNode();
    ArrayNode list = response.putArray(listField);
    int end = Math.min(summaries.size(), offset + limit);
    for (int i = Math.max(0, offset); i < end; i++) {
      list.add(summaries.get(i));
    }
    if (end < summaries.size()) {
      response.put(
          "NextToken",
          Base64.getEncoder()
              .encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8)));
    }
    return response;
  }

  private static String statusOf(ObjectNode node) {
    for (String field :
        new String[] {
          "TrainingJobStatus",
          "TransformJobStatus",
          "EndpointStatus",
          "HyperParameterTuningJobStatus"
        }) {
      if (node.has(field)) {
        return node.get(field).asText();
      }
    }
    return "";
  }
}
