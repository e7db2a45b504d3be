package dev.sagemakerbeam.transforms.serde;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.beam.sdk.coders.DefaultCoder;

/** LDA's answer for one document: its topic mixture, one share per topic, summing to 1. */
@DefaultCoder(PredictionCoders.LdaPredictionCoder.class)
public final class LdaPrediction implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] topicMixture;

  public LdaPrediction(double[] topicMixture) {
    this.topicMixture = topicMixture.clone();
  }

  public double[] topicMixture() {
    return topicMixture.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LdaPrediction
        && Arrays.equals(topicMixture, ((LdaPrediction) o).topicMixture);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(topicMixture);
  }

  @Override
  public String toString() {
    return "LdaPrediction{topicMixture=" + Arrays.toString(topicMixture) + "}";
  }
}
