package dev.sagemakerbeam.transforms.serde;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;

/** K-Means inference output for one row: the closest cluster and the distance to its centre. */
@DefaultCoder(PredictionCoders.KMeansPredictionCoder.class)
public final class KMeansPrediction implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double closestCluster;
  private final double distanceToCluster;

  public KMeansPrediction(double closestCluster, double distanceToCluster) {
    this.closestCluster = closestCluster;
    this.distanceToCluster = distanceToCluster;
  }

  public double closestCluster() {
    return closestCluster;
  }

  public double distanceToCluster() {
    return distanceToCluster;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KMeansPrediction
        && Double.compare(closestCluster, ((KMeansPrediction) o).closestCluster) == 0
        && Double.compare(distanceToCluster, ((KMeansPrediction) o).distanceToCluster) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(closestCluster) * 31 + Double.hashCode(distanceToCluster);
  }

  @Override
  public String toString() {
    return "KMeansPrediction{closestCluster="
        + closestCluster
        + ", distanceToCluster="
        + distanceToCluster
        + "}";
  }
}
