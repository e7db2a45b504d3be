package dev.sagemakerbeam.transforms.serde;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * The answer for one row of the built-ins that answer {@code score} and {@code predicted_label}
 * (Linear Learner, Factorization Machines): the {@code score} (one value for a binary classifier,
 * the probability of label 1, or for a regressor, the prediction; one probability per class for a
 * multiclass classifier) and the {@code predicted_label} (NaN for a regressor, which has none).
 */
@DefaultCoder(PredictionCoders.ScoredPredictionCoder.class)
public final class ScoredPrediction implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] scores;
  private final double predictedLabel;

  public ScoredPrediction(double[] scores, double predictedLabel) {
    this.scores = scores.clone();
    this.predictedLabel = predictedLabel;
  }

  /**
   * The score: for a binary classifier or a regressor, its only value; for a multiclass classifier,
   * the score of the predicted class.
   */
  public double score() {
    if (scores.length == 1 || Double.isNaN(predictedLabel)) {
      return scores[0];
    }
    return scores[(int) predictedLabel];
  }

  /** Every value of the score: one per class for a multiclass classifier. */
  public double[] scores() {
    return scores.clone();
  }

  /** The predicted label; NaN for a regressor. */
  public double predictedLabel() {
    return predictedLabel;
  }

  public boolean hasPredictedLabel() {
    return !Double.isNaN(predictedLabel);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScoredPrediction
        && Arrays.equals(scores, ((ScoredPrediction) o).scores)
        && Double.compare(predictedLabel, ((ScoredPrediction) o).predictedLabel) == 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(scores) * 31 + Double.hashCode(predictedLabel);
  }

  @Override
  public String toString() {
    return "ScoredPrediction{score="
        + (scores.length == 1 ? Double.toString(scores[0]) : Arrays.toString(scores))
        + (hasPredictedLabel() ? ", predictedLabel=" + predictedLabel : "")
        + "}";
  }
}
