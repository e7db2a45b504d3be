package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.io.FeatureVector;

/**
 * Dense cluster centers with their squared norms cached, so that the squared distance of a sparse
 * row costs one sparse dot product per center: {@code |x - c|^2 = |x|^2 - 2 x.c + |c|^2}.
 */
final class ClusterCenters {
  private final double[][] centers;
  private final double[] norms;

  ClusterCenters(double[][] centers) {
    this.centers = centers;
    this.norms = new double[centers.length];
    for (int c = 0; c < centers.length; c++) {
      refreshNorm(c);
    }
  }

  int count() {
    return centers.length;
  }

  double[] center(int c) {
    return centers[c];
  }

  double[][] centers() {
    return centers;
  }

  /** Recomputes the cached norm after {@code center(c)} changed. */
  void refreshNorm(int c) {
    double s = 0;
    for (double v : centers[c]) {
      s += v * v;
    }
    norms[c] = s;
  }

  /**
   * The index of the center nearest to {@code x}; its squared distance goes to {@code
   * squaredDistance[0]}.
   */
  int nearest(FeatureVector x, double xSquaredNorm, double[] squaredDistance) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < centers.length; c++) {
      double d = xSquaredNorm - 2 * dot(x, centers[c]) + norms[c];
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    squaredDistance[0] = Math.max(0.0, bestDistance);
    return best;
  }

  static double squaredNorm(FeatureVector x) {
    double s = 0;
    for (double v : x.values()) {
      s += v * v;
    }
    return s;
  }

  static double dot(FeatureVector x, double[] dense) {
    double[] values = x.values();
    int[] indices = x.indices();
    double s = 0;
    if (indices == null) {
      for (int i = 0; i < values.length; i++) {
        s += values[i] * dense[i];
      }
    } else {
      for (int i = 0; i < values.length; i++) {
        s += values[i] * dense[indices[i]];
      }
    }
    return s;
  }

  static double squaredDistance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return s;
  }
}
