package dev.sagemakerbeam.local.algorithm.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The model artifact of the built-in algorithms: one JSON file, {@value #NAME}, in the model
 * directory (and so in model.tar.gz). It holds {@code "format": "sagemaker-beam-local"}, {@code
 * "version": 1}, {@code "algorithm"} ({@code kmeans} or {@code pca}), and the algorithm's numbers
 * as documented on {@link KMeansModel} and {@link PcaModel}. JSON because it is small (kilobytes to
 * a few megabytes), readable with any tool, and exact: Jackson writes doubles in their shortest
 * round-tripping form.
 */
final class ModelFile {
  static final String NAME = "model.json";
  static final String FORMAT = "sagemaker-beam-local";
  static final int VERSION = 1;

  static final ObjectMapper JSON = new ObjectMapper();

  private ModelFile() {}

  static ObjectNode create(String algorithm) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("algorithm", algorithm);
    return root;
  }

  static void write(Path modelDir, ObjectNode root) throws AlgorithmException {
    try {
      Files.createDirectories(modelDir);
      JSON.writeValue(modelDir.resolve(NAME).toFile(), root);
    } catch (IOException e) {
      throw new AlgorithmException(
          "Cannot write the model to " + modelDir + ": " + e.getMessage(), e);
    }
  }

  /** Reads and checks the header; the algorithm must be {@code algorithm}. */
  static JsonNode read(Path modelDir, String algorithm) throws AlgorithmException {
    Path file = modelDir.resolve(NAME);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new AlgorithmException(
          "The model artifact has no "
              + NAME
              + "; it was not written by this "
              + algorithm
              + " algorithm (model directory "
              + modelDir
              + ")");
    } catch (IOException e) {
      throw new AlgorithmException("Cannot read the model file " + file + ": " + e.getMessage(), e);
    }
    if (root == null
        || !FORMAT.equals(root.path("format").asText())
        || root.path("version").asInt() != VERSION) {
      throw new AlgorithmException(
          "The model file " + file + " is not a " + FORMAT + " model of version " + VERSION);
    }
    String found = root.path("algorithm").asText();
    if (!algorithm.equals(found)) {
      throw new AlgorithmException(
          "The model file " + file + " holds a " + found + " model, not a " + algorithm + " model");
    }
    return root;
  }

  static ArrayNode array(double[] values) {
    ArrayNode a = JSON.createArrayNode();
    for (double v : values) {
      a.add(v);
    }
    return a;
  }

  static ArrayNode matrix(double[][] rows) {
    ArrayNode a = JSON.createArrayNode();
    for (double[] row : rows) {
      a.add(array(row));
    }
    return a;
  }

  static double[] readArray(JsonNode node, int length, String field) throws AlgorithmException {
    if (node == null || !node.isArray() || node.size() != length) {
      throw new AlgorithmException(
          "The model's " + field + " must be a list of " + length + " numbers");
    }
    double[] out = new double[length];
    for (int i = 0; i < length; i++) {
      out[i] = node.get(i).asDouble();
    }
    return out;
  }

  static double[][] readMatrix(JsonNode node, int rows, int columns, String field)
      throws AlgorithmException {
    if (node == null || !node.isArray() || node.size() != rows) {
      throw new AlgorithmException("The model's " + field + " must be a list of " + rows + " rows");
    }
    double[][] out = new double[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = readArray(node.get(r), columns, field + "[" + r + "]");
    }
    return out;
  }
}
