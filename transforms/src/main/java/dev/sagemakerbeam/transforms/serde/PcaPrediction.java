package dev.sagemakerbeam.transforms.serde;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.beam.sdk.coders.DefaultCoder;

/** PCA inference output for one row: its projection on the principal components. */
@DefaultCoder(PredictionCoders.PcaPredictionCoder.class)
public final class PcaPrediction implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] projection;

  public PcaPrediction(double[] projection) {
    this.projection = projection;
  }

  /** The projection (not copied). */
  public double[] projection() {
    return projection;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PcaPrediction && Arrays.equals(projection, ((PcaPrediction) o).projection);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(projection);
  }

  @Override
  public String toString() {
    return "PcaPrediction" + Arrays.toString(projection);
  }
}
