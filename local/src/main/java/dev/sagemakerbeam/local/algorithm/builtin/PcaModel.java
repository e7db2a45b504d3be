package dev.sagemakerbeam.local.algorithm.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained PCA model and the worker that serves it.
 *
 * <p>Artifact ({@link ModelFile}, algorithm {@code pca}): {@code "feature_dim"}, {@code
 * "num_components"}, {@code "subtract_mean"}, {@code "mean"} (feature_dim numbers, zeros when the
 * mean is not subtracted), {@code "components"} (num_components unit vectors of feature_dim
 * numbers), {@code "eigenvalues"} (the variance of the training data along each component) and
 * {@code "total_variance"} (the sum of the variances of all features, so that eigenvalues /
 * total_variance is the explained variance ratio). Components are ordered by increasing variance,
 * the order of SageMaker's PCA model, so the most significant component comes last.
 *
 * <p>Inference answers, per row, {@code projection}: {@code (x - mean) . component} for each
 * component, in the same order. In JSON the rows are listed under {@code "projections"}, as
 * SageMaker's PCA response format shows.
 */
final class PcaModel implements ModelWorker {
  static final String ALGORITHM = "pca";
  private static final String[] OUTPUT_NAMES =
      dev.sagemakerbeam.algorithms.AlgorithmCatalog.PCA.responseKeys().toArray(new String[0]);
  private static final boolean[] OUTPUT_SCALAR = {false};

  private final int featureDim;
  private final boolean subtractMean;
  private final double[] mean;
  private final double[][] components;
  private final double[] eigenvalues;
  private final double totalVariance;
  private final double[] meanProjection;

  PcaModel(
      int featureDim,
      boolean subtractMean,
      double[] mean,
      double[][] components,
      double[] eigenvalues,
      double totalVariance) {
    this.featureDim = featureDim;
    this.subtractMean = subtractMean;
    this.mean = mean;
    this.components = components;
    this.eigenvalues = eigenvalues;
    this.totalVariance = totalVariance;
    this.meanProjection = new double[components.length];
    for (int j = 0; j < components.length; j++) {
      double s = 0;
      for (int i = 0; i < featureDim; i++) {
        s += mean[i] * components[j][i];
      }
      meanProjection[j] = s;
    }
  }

  double[] mean() {
    return mean;
  }

  /** The components, by increasing variance. */
  double[][] components() {
    return components;
  }

  double[] eigenvalues() {
    return eigenvalues;
  }

  double totalVariance() {
    return totalVariance;
  }

  /** Share of the training data's variance the components capture. */
  double explainedVarianceRatio() {
    double s = 0;
    for (double e : eigenvalues) {
      s += e;
    }
    return totalVariance > 0 ? s / totalVariance : 0;
  }

  void save(Path modelDir) throws AlgorithmException {
    ObjectNode root = ModelFile.create(ALGORITHM);
    root.put("feature_dim", featureDim);
    root.put("num_components", components.length);
    root.put("subtract_mean", subtractMean);
    root.set("mean", ModelFile.array(mean));
    root.set("components", ModelFile.matrix(components));
    root.set("eigenvalues", ModelFile.array(eigenvalues));
    root.put("total_variance", totalVariance);
    ModelFile.write(modelDir, root);
  }

  static PcaModel load(Path modelDir) throws AlgorithmException {
    JsonNode root = ModelFile.read(modelDir, ALGORITHM);
    int featureDim = root.path("feature_dim").asInt();
    int numComponents = root.path("num_components").asInt();
    if (featureDim <= 0 || numComponents <= 0) {
      throw new AlgorithmException(
          "The PCA model needs positive feature_dim and num_components,"
              + " has "
              + featureDim
              + " and "
              + numComponents);
    }
    return new PcaModel(
        featureDim,
        root.path("subtract_mean").asBoolean(true),
        ModelFile.readArray(root.get("mean"), featureDim, "mean"),
        ModelFile.readMatrix(root.get("components"), numComponents, featureDim, "components"),
        ModelFile.readArray(root.get("eigenvalues"), numComponents, "eigenvalues"),
        root.path("total_variance").asDouble());
  }

  @Override
  public Invocation invoke(byte[] body, String contentType, String accept) throws ModelError {
    String responseType = InferenceResponses.responseType(accept);
    List<FeatureVector> rows = InferenceRequests.parse(body, contentType, featureDim);
    float[][][] values = new float[rows.size()][][];
    for (int i = 0; i < values.length; i++) {
      FeatureVector x = rows.get(i);
      float[] projection = new float[components.length];
      for (int j = 0; j < components.length; j++) {
        projection[j] = (float) (ClusterCenters.dot(x, components[j]) - meanProjection[j]);
      }
      values[i] = new float[][] {projection};
    }
    return InferenceResponses.write(
        responseType,
        new InferenceResponses.Outputs("projections", OUTPUT_NAMES, OUTPUT_SCALAR, values));
  }
}
