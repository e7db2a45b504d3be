package dev.sagemakerbeam.local.algorithm.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained Linear Learner model and the worker that serves it.
 *
 * <p>Artifact ({@link ModelFile}, algorithm {@code linear-learner}): {@code "predictor_type"},
 * {@code "feature_dim"}, {@code "outputs"} (1, or num_classes for the multiclass classifier),
 * {@code "loss"}, {@code "weights"} (outputs rows of feature_dim numbers, on the raw features: the
 * normalization is folded in), {@code "bias"} (outputs numbers, the label's scale folded in for a
 * regressor), {@code "threshold"} (binary classifier), and {@code "models"}: every model trained
 * with its settings and selection metric, {@code "selected"} the index of the one kept.
 *
 * <p>Inference answers, per row, as SageMaker's Linear Learner does: a binary classifier {@code
 * score} (the probability of label 1 for the logistic loss, the raw margin for hinge loss) and
 * {@code predicted_label} (1 when the score is above the threshold); a multiclass classifier {@code
 * score} (the probability of each class) and {@code predicted_label} (the most probable class); a
 * regressor {@code score}.
 */
final class LinearLearnerModel implements ModelWorker {
  static final String ALGORITHM = "linear-learner";

  private final String predictorType;
  private final int featureDim;
  private final int outputs;
  private final LinearLoss loss;
  private final double[] weights;
  private final double[] bias;
  private final double threshold;
  private ArrayNode models;
  private int selected;

  LinearLearnerModel(
      String predictorType,
      int featureDim,
      LinearLoss loss,
      double[] weights,
      double[] bias,
      double threshold) {
    this.predictorType = predictorType;
    this.featureDim = featureDim;
    this.outputs = bias.length;
    this.loss = loss;
    this.weights = weights;
    this.bias = bias;
    this.threshold = threshold;
  }

  String predictorType() {
    return predictorType;
  }

  LinearLoss loss() {
    return loss;
  }

  double threshold() {
    return threshold;
  }

  /** A copy with another threshold. */
  LinearLearnerModel withThreshold(double t) {
    return new LinearLearnerModel(predictorType, featureDim, loss, weights, bias, t);
  }

  /** Records the models trained and which was kept, for the artifact. */
  void describeSelection(ArrayNode models, int selected) {
    this.models = models;
    this.selected = selected;
  }

  /** The raw output scores of one row: {@code w . x + b} per output. */
  double[] rawScores(FeatureVector x) {
    double[] out = new double[outputs];
    for (int o = 0; o < outputs; o++) {
      out[o] = bias[o] + LinearLearnerTrainer.dot(x, weights, o * featureDim);
    }
    return out;
  }

  /** The binary classifier's score of a raw output: a probability for the logistic loss. */
  double binaryScore(double raw) {
    return loss == LinearLoss.LOGISTIC ? LinearLoss.sigmoid(raw) : raw;
  }

  void save(Path modelDir) throws AlgorithmException {
    ObjectNode root = ModelFile.create(ALGORITHM);
    root.put("predictor_type", predictorType);
    root.put("feature_dim", featureDim);
    root.put("outputs", outputs);
    root.put("loss", loss.hyperparameter());
    double[][] rows = new double[outputs][];
    for (int o = 0; o < outputs; o++) {
      rows[o] = java.util.Arrays.copyOfRange(weights, o * featureDim, (o + 1) * featureDim);
    }
    root.set("weights", ModelFile.matrix(rows));
    root.set("bias", ModelFile.array(bias));
    root.put("threshold", threshold);
    if (models != null) {
      root.set("models", models);
      root.put("selected", selected);
    }
    ModelFile.write(modelDir, root);
  }

  static LinearLearnerModel load(Path modelDir) throws AlgorithmException {
    JsonNode root = ModelFile.read(modelDir, ALGORITHM);
    int featureDim = root.path("feature_dim").asInt();
    int outputs = root.path("outputs").asInt();
    String type = root.path("predictor_type").asText();
    if (featureDim <= 0 || outputs <= 0 || type.isEmpty()) {
      throw new AlgorithmException(
          "The Linear Learner model needs predictor_type and positive feature_dim and outputs,"
              + " has "
              + type
              + ", "
              + featureDim
              + " and "
              + outputs);
    }
    double[][] rows = ModelFile.readMatrix(root.get("weights"), outputs, featureDim, "weights");
    double[] weights = new double[outputs * featureDim];
    for (int o = 0; o < outputs; o++) {
      System.arraycopy(rows[o], 0, weights, o * featureDim, featureDim);
    }
    return new LinearLearnerModel(
        type,
        featureDim,
        LinearLoss.of(root.path("loss").asText()),
        weights,
        ModelFile.readArray(root.get("bias"), outputs, "bias"),
        root.path("threshold").asDouble(0.5));
  }

  @Override
  public Invocation invoke(byte[] body, String contentType, String accept) throws ModelError {
    String responseType = InferenceResponses.responseType(accept);
    List<FeatureVector> rows = InferenceRequests.parse(body, contentType, featureDim);
    float[][][] values = new float[rows.size()][][];
    String[] names;
    boolean[] scalar;
    switch (predictorType) {
      case "binary_classifier":
        names = new String[] {"score", "predicted_label"};
        scalar = new boolean[] {true, true};
        for (int i = 0; i < values.length; i++) {
          double score = binaryScore(rawScores(rows.get(i))[0]);
          values[i] = new float[][] {{(float) score}, {score > threshold ? 1f : 0f}};
        }
        break;
      case "multiclass_classifier":
        names = new String[] {"score", "predicted_label"};
        scalar = new boolean[] {false, true};
        double[] p = new double[outputs];
        for (int i = 0; i < values.length; i++) {
          LinearLearnerTrainer.softmax(rawScores(rows.get(i)), p);
          float[] score = new float[outputs];
          int best = 0;
          for (int o = 0; o < outputs; o++) {
            score[o] = (float) p[o];
            if (p[o] > p[best]) {
              best = o;
            }
          }
          values[i] = new float[][] {score, {best}};
        }
        break;
      default:
        names = new String[] {"score"};
        scalar = new boolean[] {true};
        for (int i = 0; i < values.length; i++) {
          values[i] = new float[][] {{(float) rawScores(rows.get(i))[0]}};
        }
    }
    return InferenceResponses.write(
        responseType, new InferenceResponses.Outputs("predictions", names, scalar, values));
  }
}
