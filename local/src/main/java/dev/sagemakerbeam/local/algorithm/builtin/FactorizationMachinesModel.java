package dev.sagemakerbeam.local.algorithm.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained factorization machine, {@code y = w0 + sum_i w_i x_i + sum_{i<j} <v_i, v_j> x_i x_j},
 * and the worker that serves it. The pairwise term is computed as {@code 0.5 sum_f ((sum_i v_if
 * x_i)^2 - sum_i v_if^2 x_i^2)}: O(num_factors x stored values) per row, a sparse row never
 * densified.
 *
 * <p>Artifact ({@link ModelFile}, algorithm {@code factorization-machines}): {@code
 * "predictor_type"}, {@code "feature_dim"}, {@code "num_factors"}, {@code "bias"}, {@code "linear"}
 * (feature_dim numbers) and {@code "factors"} (feature_dim rows of num_factors numbers).
 *
 * <p>Inference (RecordIO-protobuf or JSON; not CSV, as on SageMaker) answers a binary classifier's
 * {@code score} (the probability of label 1) and {@code predicted_label} (1 above 0.5), a
 * regressor's {@code score}.
 */
final class FactorizationMachinesModel implements ModelWorker {
  static final String ALGORITHM = "factorization-machines";

  final String predictorType;
  final int featureDim;
  final int numFactors;
  double bias;
  final double[] linear;

  /** Row-major: factor f of feature i at {@code i * numFactors + f}. */
  final double[] factors;

  FactorizationMachinesModel(String predictorType, int featureDim, int numFactors) {
    this.predictorType = predictorType;
    this.featureDim = featureDim;
    this.numFactors = numFactors;
    this.linear = new double[featureDim];
    this.factors = new double[featureDim * numFactors];
  }

  boolean classifier() {
    return predictorType.equals("binary_classifier");
  }

  /**
   * The raw output of one row; {@code sums} (num_factors long) receives {@code sum_i v_if x_i},
   * which the gradient of the factors needs.
   */
  double raw(FeatureVector x, double[] sums) {
    double[] values = x.values();
    int[] indices = x.indices();
    java.util.Arrays.fill(sums, 0);
    double out = bias;
    double squares = 0;
    int k = numFactors;
    for (int n = 0; n < values.length; n++) {
      double xi = values[n];
      if (xi == 0) {
        continue;
      }
      int i = indices == null ? n : indices[n];
      out += linear[i] * xi;
      int base = i * k;
      for (int f = 0; f < k; f++) {
        double vx = factors[base + f] * xi;
        sums[f] += vx;
        squares += vx * vx;
      }
    }
    double pairs = 0;
    for (int f = 0; f < k; f++) {
      pairs += sums[f] * sums[f];
    }
    return out + 0.5 * (pairs - squares);
  }

  /** The score SageMaker answers: the probability of label 1, or the regressor's prediction. */
  double score(double raw) {
    return classifier() ? LinearLoss.sigmoid(raw) : raw;
  }

  void save(Path modelDir) throws AlgorithmException {
    ObjectNode root = ModelFile.create(ALGORITHM);
    root.put("predictor_type", predictorType);
    root.put("feature_dim", featureDim);
    root.put("num_factors", numFactors);
    root.put("bias", bias);
    root.set("linear", ModelFile.array(linear));
    double[][] rows = new double[featureDim][];
    for (int i = 0; i < featureDim; i++) {
      rows[i] = java.util.Arrays.copyOfRange(factors, i * numFactors, (i + 1) * numFactors);
    }
    root.set("factors", ModelFile.matrix(rows));
    ModelFile.write(modelDir, root);
  }

  static FactorizationMachinesModel load(Path modelDir) throws AlgorithmException {
    JsonNode root = ModelFile.read(modelDir, ALGORITHM);
    int featureDim = root.path("feature_dim").asInt();
    int numFactors = root.path("num_factors").asInt();
    String type = root.path("predictor_type").asText();
    if (featureDim <= 0 || numFactors <= 0 || type.isEmpty()) {
      throw new AlgorithmException(
          "The Factorization Machines model needs predictor_type and positive feature_dim and"
              + " num_factors, has "
              + type
              + ", "
              + featureDim
              + " and "
              + numFactors);
    }
    FactorizationMachinesModel m = new FactorizationMachinesModel(type, featureDim, numFactors);
    m.bias = root.path("bias").asDouble();
    System.arraycopy(
        ModelFile.readArray(root.get("linear"), featureDim, "linear"), 0, m.linear, 0, featureDim);
    double[][] rows = ModelFile.readMatrix(root.get("factors"), featureDim, numFactors, "factors");
    for (int i = 0; i < featureDim; i++) {
      System.arraycopy(rows[i], 0, m.factors, i * numFactors, numFactors);
    }
    return m;
  }

  @Override
  public Invocation invoke(byte[] body, String contentType, String accept) throws ModelError {
    String responseType = InferenceResponses.responseType(accept);
    String type = contentType == null ? "" : MediaType.parse(contentType).type();
    if (!type.equals(InferenceResponses.RECORDIO_PROTOBUF)
        && !type.equals(InferenceResponses.JSON)) {
      throw new ModelError(
          415,
          "Factorization Machines takes application/x-recordio-protobuf or application/json,"
              + " not \""
              + contentType
              + "\"");
    }
    List<FeatureVector> rows = InferenceRequests.parse(body, contentType, featureDim);
    double[] sums = new double[numFactors];
    float[][][] values = new float[rows.size()][][];
    for (int i = 0; i < values.length; i++) {
      double score = score(raw(rows.get(i), sums));
      values[i] =
          classifier()
              ? new float[][] {{(float) score}, {score > 0.5 ? 1f : 0f}}
              : new float[][] {{(float) score}};
    }
    String[] names =
        classifier() ? new String[] {"score", "predicted_label"} : new String[] {"score"};
    boolean[] scalar = classifier() ? new boolean[] {true, true} : new boolean[] {true};
    return InferenceResponses.write(
        responseType, new InferenceResponses.Outputs("predictions", names, scalar, values));
  }
}
