package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * An XGBoost model served as the {@code sagemaker-xgboost} container serves it: any model XGBoost
 * reads (its binary format, JSON or UBJSON, however it was trained) from {@code xgboost-model} or
 * the model directory's only file.
 *
 * <p>Requests: {@code text/csv} (features only, no label column; an empty field is a missing
 * value), {@code text/libsvm} (1-based indices; a leading label is ignored), {@code
 * application/x-recordio-protobuf} and {@code application/json} ({@code {"instances": [{"features":
 * [...]}]}}). Answers ({@code Accept}, {@code text/csv} when absent): {@code text/csv} with one
 * prediction per line ({@code multi:softprob}: the class probabilities of a row on its line),
 * {@code application/json} {@code {"predictions": [{"score": 0.97}, ...]}} (a list per row for
 * {@code multi:softprob}), {@code application/jsonlines}, or RecordIO-protobuf with {@code score}.
 */
final class XGBoostModel implements ModelWorker {
  private static final String[] OUTPUT_NAMES = {"score"};

  private final Booster booster;
  private final int numFeatures;

  private XGBoostModel(Booster booster, int numFeatures) {
    this.booster = booster;
    this.numFeatures = numFeatures;
  }

  static XGBoostModel load(Path modelDir) throws AlgorithmException {
    Path file = modelDir.resolve(XGBoostAlgorithm.MODEL_FILE);
    if (!Files.isRegularFile(file)) {
      List<Path> files;
      try (Stream<Path> list = Files.list(modelDir)) {
        files = list.filter(Files::isRegularFile).collect(Collectors.toList());
      } catch (IOException e) {
        throw new AlgorithmException("Cannot list the model directory " + modelDir, e);
      }
      if (files.size() != 1) {
        throw new AlgorithmException(
            "The model artifact has no "
                + XGBoostAlgorithm.MODEL_FILE
                + " file (it has "
                + files.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList())
                + "); an XGBoost model.tar.gz holds one file, xgboost-model, written by"
                + " Booster.save_model");
      }
      file = files.get(0);
    }
    try {
      Booster booster = XGBoost.loadModel(Files.readAllBytes(file));
      return new XGBoostModel(booster, (int) booster.getNumFeature());
    } catch (XGBoostError e) {
      throw new AlgorithmException(
          "The model file "
              + file.getFileName()
              + " is not a model XGBoost can read (binary, JSON or UBJSON, as"
              + " Booster.save_model writes; pickled boosters of containers before 1.3-1 are not"
              + " read): "
              + firstLines(e),
          e);
    } catch (IOException e) {
      throw new AlgorithmException("Cannot read the model file " + file, e);
    }
  }

  int numFeatures() {
    return numFeatures;
  }

  @Override
  public Invocation invoke(byte[] body, String contentType, String accept) throws ModelError {
    String responseType =
        accept == null || accept.isBlank() || accept.trim().equals("*/*")
            ? InferenceResponses.CSV
            : InferenceResponses.responseType(accept);
    XGBoostMatrix rows = parse(body, contentType);
    float[][] predictions;
    try {
      DMatrix m = rows.toDMatrix(numFeatures, false);
      try {
        predictions = booster.predict(m);
      } finally {
        m.dispose();
      }
    } catch (XGBoostError e) {
      throw new ModelError(400, "XGBoost cannot score the request: " + firstLines(e));
    }
    boolean scalar = predictions.length == 0 || predictions[0].length == 1;
    float[][][] values = new float[predictions.length][][];
    for (int i = 0; i < predictions.length; i++) {
      values[i] = new float[][] {predictions[i]};
    }
    return InferenceResponses.write(
        responseType,
        new InferenceResponses.Outputs(
            "predictions", OUTPUT_NAMES, new boolean[] {scalar}, values));
  }

  private XGBoostMatrix parse(byte[] body, String contentType) throws ModelError {
    String type = contentType == null ? "" : MediaType.parse(contentType).type();
    XGBoostMatrix rows = new XGBoostMatrix();
    switch (type) {
      case "text/csv":
        lines(body, rows, true);
        break;
      case "text/libsvm":
      case "text/x-libsvm":
      case "libsvm":
        lines(body, rows, false);
        break;
      case "application/x-recordio-protobuf":
      case "application/json":
      case "application/jsonlines":
        for (FeatureVector row : InferenceRequests.parse(body, contentType, numFeatures)) {
          rows.add(0, row);
        }
        break;
      default:
        throw new ModelError(
            415,
            "Content-Type \""
                + contentType
                + "\" is not supported by XGBoost; use text/csv, text/libsvm,"
                + " application/x-recordio-protobuf or application/json");
    }
    if (rows.rows() == 0) {
      throw new ModelError(400, "The request (" + type + ") holds no rows to score");
    }
    return rows;
  }

  private void lines(byte[] body, XGBoostMatrix rows, boolean csv) throws ModelError {
    int lineNumber = 0;
    for (String line : new String(body, StandardCharsets.UTF_8).split("\r?\n")) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      try {
        rows.add(0, csv ? csvRow(line) : libsvmRow(line));
      } catch (IllegalArgumentException e) {
        throw new ModelError(
            400, (csv ? "CSV" : "LibSVM") + " line " + lineNumber + ": " + e.getMessage());
      }
    }
  }

  private FeatureVector csvRow(String line) {
    String[] fields = line.split(",", -1);
    if (fields.length != numFeatures) {
      String fix;
      if (fields.length == numFeatures + 1) {
        fix = "; send the features only (drop the label column)";
      } else if (fields.length == numFeatures - 1) {
        fix =
            "; a model trained on 1-based LibSVM data has an unused feature 0: score it with"
                + " text/libsvm, or start each CSV row with an empty column";
      } else {
        fix = "; send one column per feature, no label";
      }
      throw new IllegalArgumentException(
          "the row has "
              + fields.length
              + " columns but the model takes "
              + numFeatures
              + " features"
              + fix);
    }
    double[] values = new double[fields.length];
    for (int i = 0; i < fields.length; i++) {
      String f = fields[i].trim();
      if (f.isEmpty()) {
        values[i] = Double.NaN; // missing
        continue;
      }
      try {
        values[i] = Double.parseDouble(f);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "column " + (i + 1) + " \"" + f + "\" is not a number", e);
      }
    }
    return FeatureVector.dense(values);
  }

  private FeatureVector libsvmRow(String line) {
    String trimmed = line.trim();
    int firstSpace = trimmed.indexOf(' ');
    String first = firstSpace < 0 ? trimmed : trimmed.substring(0, firstSpace);
    // "label index:value ..." or, at inference, "index:value ..." without a label
    String row = first.contains(":") ? "0 " + trimmed : trimmed;
    FeatureVector v = FeatureRows.libsvm(row, Integer.MAX_VALUE, false);
    int[] indices = v.indices();
    if (indices.length > 0 && indices[indices.length - 1] >= numFeatures) {
      throw new IllegalArgumentException(
          "index "
              + indices[indices.length - 1]
              + " is beyond the model's features 0.."
              + (numFeatures - 1)
              + " (XGBoost reads a LibSVM index as the feature number)");
    }
    return v;
  }

  @Override
  public void close() {
    booster.dispose();
  }

  /** An XGBoostError's message without XGBoost's native stack trace. */
  static String firstLines(XGBoostError e) {
    String message = String.valueOf(e.getMessage());
    int trace = message.indexOf("Stack trace:");
    if (trace >= 0) {
      message = message.substring(0, trace);
    }
    return message.replaceAll("\\[\\d\\d:\\d\\d:\\d\\d\\] ", "").trim();
  }
}
