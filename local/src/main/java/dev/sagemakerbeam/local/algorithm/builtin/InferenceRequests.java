package dev.sagemakerbeam.local.algorithm.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemakerbeam.io.AmazonRecordDecoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.MalformedRecordException;
import dev.sagemakerbeam.io.RecordIoReader;
import dev.sagemakerbeam.local.algorithm.ModelWorker.ModelError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the rows of an InvokeEndpoint request as SageMaker's built-in algorithms accept them
 * (SageMaker's "common data formats for inference"):
 *
 * <ul>
 *   <li>{@code application/x-recordio-protobuf}: RecordIO-framed Amazon Records, features under
 *       {@code features["values"]}, dense or sparse, any number per request;
 *   <li>{@code application/json}: {@code {"instances": [...]}} where an instance is {@code
 *       {"features": [..]}}, {@code {"data": {"features": {"values": [..], "keys": [..], "shape":
 *       [..]}}}} (or {@code "data": {"features": [..]}}), or a bare list of numbers; a single
 *       {@code {"features": [..]}} object is one row;
 *   <li>{@code application/jsonlines}: one such instance per line;
 *   <li>{@code text/csv}: one row per line, every column a feature.
 * </ul>
 *
 * Unreadable input and rows without {@code feature_dim} features raise a 400 {@link ModelError}
 * naming the row and the problem; an unknown content type a 415.
 */
final class InferenceRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InferenceRequests() {}

  static List<FeatureVector> parse(byte[] body, String contentType, int featureDim)
      throws ModelError {
    if (contentType == null || contentType.isBlank()) {
      throw new ModelError(
          415,
          "The request has no Content-Type; use application/x-recordio-protobuf,"
              + " application/json, application/jsonlines or text/csv");
    }
    String type = MediaType.parse(contentType).type();
    List<FeatureVector> rows;
    switch (type) {
      case "application/x-recordio-protobuf":
        rows = recordIo(body, featureDim);
        break;
      case "application/json":
        rows = json(body, featureDim);
        break;
      case "application/jsonlines":
      case "application/json-lines":
      case "application/x-jsonlines":
        rows = jsonLines(body, featureDim);
        break;
      case "text/csv":
        rows = csv(body, featureDim);
        break;
      default:
        throw new ModelError(
            415,
            "Content-Type \""
                + contentType
                + "\" is not supported; use"
                + " application/x-recordio-protobuf, application/json, application/jsonlines or"
                + " text/csv");
    }
    if (rows.isEmpty()) {
      throw new ModelError(400, "The request (" + type + ") holds no rows to score");
    }
    return rows;
  }

  private static List<FeatureVector> recordIo(byte[] body, int featureDim) throws ModelError {
    List<FeatureVector> rows = new ArrayList<>();
    RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(body));
    try {
      while (reader.next()) {
        try {
          rows.add(
              FeatureRows.record(
                  AmazonRecordDecoder.decode(reader.buffer(), 0, reader.length()), featureDim));
        } catch (MalformedRecordException e) {
          throw new ModelError(
              400,
              "Record "
                  + (rows.size() + 1)
                  + " is not an Amazon Record protobuf: "
                  + e.getMessage());
        } catch (IllegalArgumentException e) {
          throw new ModelError(400, "Record " + (rows.size() + 1) + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new ModelError(
          400,
          "The request is not valid RecordIO-protobuf after record "
              + rows.size()
              + ": "
              + e.getMessage());
    }
    return rows;
  }

  private static List<FeatureVector> json(byte[] body, int featureDim) throws ModelError {
    JsonNode root = readJson(body, "The request");
    List<FeatureVector> rows = new ArrayList<>();
    if (root.isObject() && root.has("instances")) {
      JsonNode instances = root.get("instances");
      if (!instances.isArray()) {
        throw new ModelError(
            400, "\"instances\" must be a list of instances, was " + instances.getNodeType());
      }
      for (JsonNode instance : instances) {
        rows.add(instance(instance, "Instance " + (rows.size() + 1), featureDim));
      }
    } else if (root.isArray() && root.size() > 0 && !root.get(0).isNumber()) {
      for (JsonNode instance : root) {
        rows.add(instance(instance, "Instance " + (rows.size() + 1), featureDim));
      }
    } else {
      rows.add(instance(root, "The request", featureDim));
    }
    return rows;
  }

  private static List<FeatureVector> jsonLines(byte[] body, int featureDim) throws ModelError {
    List<FeatureVector> rows = new ArrayList<>();
    int lineNumber = 0;
    for (String line : new String(body, StandardCharsets.UTF_8).split("\r?\n")) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      String where = "Line " + lineNumber;
      rows.add(instance(readJson(line.getBytes(StandardCharsets.UTF_8), where), where, featureDim));
    }
    return rows;
  }

  private static List<FeatureVector> csv(byte[] body, int featureDim) throws ModelError {
    List<FeatureVector> rows = new ArrayList<>();
    int lineNumber = 0;
    for (String line : new String(body, StandardCharsets.UTF_8).split("\r?\n")) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      try {
        rows.add(FeatureRows.csv(line, 0, featureDim));
      } catch (IllegalArgumentException e) {
        throw new ModelError(400, "CSV line " + lineNumber + ": " + e.getMessage());
      }
    }
    return rows;
  }

  private static JsonNode readJson(byte[] bytes, String where) throws ModelError {
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new ModelError(400, where + " is empty; expected JSON");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ModelError(400, where + " is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ModelError(400, where + " cannot be read: " + e.getMessage());
    }
  }

  /** One instance in any of the documented shapes. */
  private static FeatureVector instance(JsonNode node, String where, int featureDim)
      throws ModelError {
    JsonNode vector = node;
    if (node.isObject()) {
      if (node.has("features")) {
        vector = node.get("features");
      } else if (node.has("data") && node.get("data").isObject()) {
        JsonNode data = node.get("data");
        if (data.has("features")) {
          vector = data.get("features");
        } else if (data.size() == 1) {
          vector = data.elements().next();
        } else {
          throw new ModelError(400, where + ": \"data\" must hold \"features\"");
        }
      } else if (!node.has("values")) {
        throw new ModelError(
            400,
            where
                + " has neither \"features\" nor \"data\"; expected"
                + " {\"features\": [...]} or {\"data\": {\"features\": {\"values\": [...]}}}");
      }
    }
    try {
      if (vector.isArray()) {
        return FeatureRows.dense(numbers(vector, where + " features"), featureDim);
      }
      if (vector.isObject() && vector.has("values")) {
        double[] values = numbers(vector.get("values"), where + " values");
        long[] keys = vector.has("keys") ? longs(vector.get("keys"), where + " keys") : null;
        long[] shape = vector.has("shape") ? longs(vector.get("shape"), where + " shape") : null;
        return FeatureRows.sparse(keys, values, shape, featureDim);
      }
    } catch (IllegalArgumentException e) {
      throw new ModelError(400, where + ": " + e.getMessage());
    }
    throw new ModelError(
        400,
        where
            + ": features must be a list of numbers or"
            + " {\"values\": [...], \"keys\": [...], \"shape\": [...]}, was "
            + vector.getNodeType());
  }

  private static double[] numbers(JsonNode array, String where) throws ModelError {
    if (!array.isArray()) {
      throw new ModelError(400, where + " must be a list of numbers, was " + array.getNodeType());
    }
    double[] out = new double[array.size()];
    Iterator<JsonNode> it = array.elements();
    for (int i = 0; it.hasNext(); i++) {
      JsonNode n = it.next();
      if (!n.isNumber()) {
        throw new ModelError(400, where + " element " + i + " is " + n + ", not a number");
      }
      out[i] = n.doubleValue();
    }
    return out;
  }

  private static long[] longs(JsonNode array, String where) throws ModelError {
    double[] values = numbers(array, where);
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] != Math.rint(values[i])) {
        throw new ModelError(
            400, where + " element " + i + " is " + values[i] + ", not a non-negative integer");
      }
      out[i] = (long) values[i];
    }
    return out;
  }
}
