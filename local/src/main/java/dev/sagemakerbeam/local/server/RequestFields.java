package dev.sagemakerbeam.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and validates the fields of a SageMaker JSON request, answering a ValidationException in
 * SageMaker's wording ("Value 'x' at 'field' failed to satisfy constraint: ...") for a missing or
 * mistyped field.
 */
public final class RequestFields {
  /** SageMaker's pattern for training job, model, endpoint config and endpoint names. */
  public static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9])*$");

  private static final Pattern ROLE_ARN =
      Pattern.compile("^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$");

  private RequestFields() {}

  /** The object at {@code field}; a ValidationException when missing or not an object. */
  public static JsonNode requireObject(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      throw missing(path);
    }
    if (!node.isObject()) {
      throw wrongType(path, node, "an object");
    }
    return node;
  }

  /** The object at {@code field} or null; a ValidationException when not an object. */
  public static JsonNode optionalObject(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw wrongType(path, node, "an object");
    }
    return node;
  }

  /** The non-empty list at {@code field}; a ValidationException when missing or not a list. */
  public static JsonNode requireList(JsonNode parent, String field, String path, int min, int max) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      throw missing(path);
    }
    if (!node.isArray()) {
      throw wrongType(path, node, "a list");
    }
    if (node.size() < min || node.size() > max) {
      throw ApiException.validation(
          "Value at '"
              + path
              + "' failed to satisfy constraint: Member must have length between "
              + min
              + " and "
              + max
              + " (has "
              + node.size()
              + ")");
    }
    return node;
  }

  /** The string at {@code field}; a ValidationException when missing or not a string. */
  public static String requireString(JsonNode parent, String field, String path) {
    String value = optionalString(parent, field, path);
    if (value == null) {
      throw missing(path);
    }
    return value;
  }

  /** The string at {@code field} or null; a ValidationException when not a string. */
  public static String optionalString(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw wrongType(path, node, "a string");
    }
    return node.asText();
  }

  /** The integer at {@code field} within [min, max]; a ValidationException otherwise. */
  public static int requireInt(JsonNode parent, String field, String path, int min, int max) {
    Integer value = optionalInt(parent, field, path, min, max);
    if (value == null) {
      throw missing(path);
    }
    return value;
  }

  /** The integer at {@code field} within [min, max], or null when absent. */
  public static Integer optionalInt(JsonNode parent, String field, String path, int min, int max) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw wrongType(path, node, "an integer");
    }
    int value = node.intValue();
    if (value < min || value > max) {
      throw ApiException.validation(
          "Value '"
              + value
              + "' at '"
              + path
              + "' failed to satisfy constraint: Member must have"
              + " value between "
              + min
              + " and "
              + max);
    }
    return value;
  }

  /** The number at {@code field} or null; a ValidationException when not a number. */
  public static Double optionalNumber(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      throw wrongType(path, node, "a number");
    }
    return node.doubleValue();
  }

  /**
   * SageMaker's answer for a map that breaks a constraint: "1 validation error detected: Value
   * '{k=v, ...}' at 'hyperParameters' failed to satisfy constraint: ...", the map echoed as the
   * service's Java front end prints it (here cut after 1,000 characters) and the path in its lower
   * camel case.
   */
  private static ApiException mapConstraint(JsonNode map, String path, String constraint) {
    StringBuilder echo = new StringBuilder("{");
    for (java.util.Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      echo.append(entry.getKey()).append('=').append(entry.getValue().asText());
      if (it.hasNext()) {
        echo.append(", ");
      }
    }
    echo.append('}');
    String value = echo.length() <= 1000 ? echo.toString() : echo.substring(0, 1000) + "...";
    StringBuilder camel = new StringBuilder();
    for (String segment : path.split("\\.")) {
      if (camel.length() > 0) {
        camel.append('.');
      }
      camel.append(
          segment.isEmpty()
              ? segment
              : Character.toLowerCase(segment.charAt(0)) + segment.substring(1));
    }
    return ApiException.validation(
        "1 validation error detected: Value '"
            + value
            + "' at '"
            + camel
            + "' failed to satisfy constraint: "
            + constraint);
  }

  /** A string-to-string map at {@code field} (empty when absent), with SageMaker's limits. */
  public static Map<String, String> stringMap(
      JsonNode parent, String field, String path, int maxEntries, int maxKey, int maxValue) {
    Map<String, String> map = new LinkedHashMap<>();
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return map;
    }
    if (!node.isObject()) {
      throw wrongType(path, node, "a map of strings to strings");
    }
    if (node.size() > maxEntries) {
      throw mapConstraint(
          node, path, "Member must have length less than or equal to " + maxEntries);
    }
    for (java.util.Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      if (!value.isTextual()) {
        throw wrongType(path + "." + key, value, "a string");
      }
      if (key.length() > maxKey) {
        throw mapConstraint(
            node,
            path,
            "Map key must satisfy constraint: [Member must have length less than or equal to "
                + maxKey
                + ", Member must have length greater than or equal to 0]");
      }
      if (value.asText().length() > maxValue) {
        throw mapConstraint(
            node,
            path,
            "Map value must satisfy constraint: [Member must have length less than or equal to "
                + maxValue
                + ", Member must have length greater than or equal to 0]");
      }
      map.put(key, value.asText());
    }
    return map;
  }

  /** Checks a resource name against SageMaker's 63-character pattern. */
  public static String requireName(JsonNode parent, String field) {
    String name = requireString(parent, field, field);
    checkName(field, name);
    return name;
  }

  /** Checks a resource name against SageMaker's 63-character pattern. */
  public static void checkName(String field, String name) {
    if (name.isEmpty() || name.length() > 63) {
      throw ApiException.validation(
          "Value '"
              + name
              + "' at '"
              + field
              + "' failed to satisfy constraint: Member must have"
              + " length between 1 and 63");
    }
    if (!NAME.matcher(name).matches()) {
      throw ApiException.validation(
          "Value '"
              + name
              + "' at '"
              + field
              + "' failed to satisfy constraint: Member must"
              + " satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*");
    }
  }

  /** Checks an IAM role ARN the way SageMaker's model does (the role itself is not used). */
  public static String requireRoleArn(JsonNode parent, String field) {
    String arn = requireString(parent, field, field);
    if (arn.length() < 20 || arn.length() > 2048 || !ROLE_ARN.matcher(arn).matches()) {
      throw ApiException.validation(
          "Value '"
              + arn
              + "' at '"
              + field
              + "' failed to satisfy constraint: Member must"
              + " satisfy regular expression pattern:"
              + " ^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$");
    }
    return arn;
  }

  /** Checks that {@code value} is one of {@code allowed}. */
  public static String checkEnum(String path, String value, String... allowed) {
    for (String candidate : allowed) {
      if (candidate.equals(value)) {
        return value;
      }
    }
    throw ApiException.validation(
        "Value '"
            + value
            + "' at '"
            + path
            + "' failed to satisfy constraint: Member must satisfy"
            + " enum value set: "
            + String.join(", ", allowed));
  }

  private static ApiException missing(String path) {
    return ApiException.validation(
        "1 validation error detected: Value null at '"
            + path
            + "' failed to satisfy constraint:"
            + " Member must not be null");
  }

  private static ApiException wrongType(String path, JsonNode node, String expected) {
    return new ApiException(
        400,
        "SerializationException",
        "Field '"
            + path
            + "' must be "
            + expected
            + " but was "
            + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
            + " ("
            + abbreviate(node.toString())
            + ")");
  }

  private static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }
}
