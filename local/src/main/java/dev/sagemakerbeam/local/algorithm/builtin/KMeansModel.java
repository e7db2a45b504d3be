package dev.sagemakerbeam.local.algorithm.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained K-Means model and the worker that serves it.
 *
 * <p>Artifact ({@link ModelFile}, algorithm {@code kmeans}): {@code "feature_dim"}, {@code "k"},
 * {@code "centers"} (k lists of feature_dim numbers; center i is cluster i).
 *
 * <p>Inference answers, per row, {@code closest_cluster} (the index of the nearest center, as a
 * float like SageMaker's) and {@code distance_to_cluster} (the Euclidean distance to it).
 */
final class KMeansModel implements ModelWorker {
  static final String ALGORITHM = "kmeans";
  private static final String[] OUTPUT_NAMES =
      dev.sagemakerbeam.algorithms.AlgorithmCatalog.KMEANS.responseKeys().toArray(new String[0]);
  private static final boolean[] OUTPUT_SCALAR = {true, true};

  private final int featureDim;
  private final ClusterCenters centers;

  KMeansModel(int featureDim, double[][] centers) {
    this.featureDim = featureDim;
    this.centers = new ClusterCenters(centers);
  }

  int featureDim() {
    return featureDim;
  }

  double[][] centers() {
    return centers.centers();
  }

  void save(Path modelDir) throws AlgorithmException {
    ObjectNode root = ModelFile.create(ALGORITHM);
    root.put("feature_dim", featureDim);
    root.put("k", centers.count());
    root.set("centers", ModelFile.matrix(centers.centers()));
    ModelFile.write(modelDir, root);
  }

  static KMeansModel load(Path modelDir) throws AlgorithmException {
    JsonNode root = ModelFile.read(modelDir, ALGORITHM);
    int featureDim = root.path("feature_dim").asInt();
    int k = root.path("k").asInt();
    if (featureDim <= 0 || k <= 0) {
      throw new AlgorithmException(
          "The K-Means model needs positive feature_dim and k, has " + featureDim + " and " + k);
    }
    return new KMeansModel(
        featureDim, ModelFile.readMatrix(root.get("centers"), k, featureDim, "centers"));
  }

  @Override
  public Invocation invoke(byte[] body, String contentType, String accept) throws ModelError {
    String responseType = InferenceResponses.responseType(accept);
    List<FeatureVector> rows = InferenceRequests.parse(body, contentType, featureDim);
    float[][][] values = new float[rows.size()][][];
    double[] squared = new double[1];
    for (int i = 0; i < values.length; i++) {
      FeatureVector x = rows.get(i);
      int c = centers.nearest(x, ClusterCenters.squaredNorm(x), squared);
      values[i] = new float[][] {{c}, {(float) Math.sqrt(squared[0])}};
    }
    return InferenceResponses.write(
        responseType,
        new InferenceResponses.Outputs("predictions", OUTPUT_NAMES, OUTPUT_SCALAR, values));
  }
}
