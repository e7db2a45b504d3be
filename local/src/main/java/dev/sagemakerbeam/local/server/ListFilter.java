package dev.sagemakerbeam.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The filters of a SageMaker List operation, read from its request: {@code NameContains}, {@code
 * StatusEquals} (checked against the operation's statuses), {@code CreationTimeAfter}/{@code
 * Before} and, where the operation has them, {@code LastModifiedTimeAfter}/{@code Before}
 * (exclusive bounds, epoch seconds as the SDK sends them). Applied to descriptions, then the
 * matching ones go to {@link ListPage} as summaries.
 */
public final class ListFilter {
  private final String nameField;
  private final String statusField;
  private final String nameContains;
  private final String statusEquals;
  private final Double createdAfter;
  private final Double createdBefore;
  private final Double modifiedAfter;
  private final Double modifiedBefore;

  private ListFilter(
      String nameField,
      String statusField,
      String nameContains,
      String statusEquals,
      Double createdAfter,
      Double createdBefore,
      Double modifiedAfter,
      Double modifiedBefore) {
    this.nameField = nameField;
    this.statusField = statusField;
    this.nameContains = nameContains;
    this.statusEquals = statusEquals;
    this.createdAfter = createdAfter;
    this.createdBefore = createdBefore;
    this.modifiedAfter = modifiedAfter;
    this.modifiedBefore = modifiedBefore;
  }

  /**
   * The filters of an operation without a status or last-modified time (ListModels,
   * ListEndpointConfigs): NameContains and the creation-time bounds.
   */
  public static ListFilter byNameAndCreation(JsonNode request, String nameField) {
    return new ListFilter(
        nameField,
        null,
        RequestFields.optionalString(request, "NameContains", "NameContains"),
        null,
        RequestFields.optionalNumber(request, "CreationTimeAfter", "CreationTimeAfter"),
        RequestFields.optionalNumber(request, "CreationTimeBefore", "CreationTimeBefore"),
        null,
        null);
  }

  /**
   * Every filter: NameContains, StatusEquals (one of {@code statuses}, matched against the
   * description's {@code statusField}) and the creation and last-modified time bounds.
   */
  public static ListFilter of(
      JsonNode request, String nameField, String statusField, String... statuses) {
    String status = RequestFields.optionalString(request, "StatusEquals", "StatusEquals");
    if (status != null) {
      RequestFields.checkEnum("StatusEquals", status, statuses);
    }
    return new ListFilter(
        nameField,
        statusField,
        RequestFields.optionalString(request, "NameContains", "NameContains"),
        status,
        RequestFields.optionalNumber(request, "CreationTimeAfter", "CreationTimeAfter"),
        RequestFields.optionalNumber(request, "CreationTimeBefore", "CreationTimeBefore"),
        RequestFields.optionalNumber(request, "LastModifiedTimeAfter", "LastModifiedTimeAfter"),
        RequestFields.optionalNumber(request, "LastModifiedTimeBefore", "LastModifiedTimeBefore"));
  }

  /** Whether the description passes every filter given. */
  public boolean matches(JsonNode description) {
    if (nameContains != null && !description.path(nameField).asText().contains(nameContains)) {
      return false;
    }
    if (statusEquals != null && !statusEquals.equals(description.path(statusField).asText())) {
      return false;
    }
    double created = description.path("CreationTime").asDouble();
    double modified = description.path("LastModifiedTime").asDouble(created);
    return (createdAfter == null || created > createdAfter)
        && (createdBefore == null || created < createdBefore)
        && (modifiedAfter == null || modified > modifiedAfter)
        && (modifiedBefore == null || modified < modifiedBefore);
  }

  /**
   * The summaries ({@link #summary}) of the {@code descriptions} this filter matches, in their
   * order: what every List call of SageMaker Local pages.
   */
  public List<ObjectNode> summaries(
      ObjectMapper mapper, Iterable<? extends JsonNode> descriptions, String... fields) {
    List<ObjectNode> summaries = new ArrayList<>();
    for (JsonNode description : descriptions) {
      if (matches(description)) {
        summaries.add(summary(mapper, description, fields));
      }
    }
    return summaries;
  }

  /** The summary of a description: its {@code fields} that are present, in that order. */
  public static ObjectNode summary(ObjectMapper mapper, JsonNode description, String... fields) {
    ObjectNode summary = mapper.createObjectNode();
    Arrays.stream(fields)
        .filter(description::hasNonNull)
        .forEach(f -> summary.set(f, description.get(f)));
    return summary;
  }
}
