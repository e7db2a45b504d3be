package dev.sagemakerbeam.local.algorithm.builtin;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Chooses a binary classifier's threshold for {@code binary_classifier_model_selection_criteria} on
 * calibration rows, and says how good the model is by that criterion: {@code accuracy}, {@code
 * f_beta}, {@code precision_at_target_recall} (the best precision among thresholds whose recall is
 * at least {@code target_recall}), {@code recall_at_target_precision}, or {@code loss_function}
 * (the threshold stays 0.5, or 0 for hinge loss, and the value is minus the objective). Rows are
 * predicted positive when their score is above the threshold; thresholds lie midway between
 * neighbouring scores.
 */
final class BinaryCalibration {
  private BinaryCalibration() {}

  /** {@code {threshold, value}}; a higher value is a better model. */
  static double[] choose(
      LinearLearnerModel m, LabelledRows data, int rows, CheckedHyperparameters h) {
    String criterion = h.string("binary_classifier_model_selection_criteria");
    if (criterion.equals("loss_function")) {
      return new double[] {
        m.threshold(), -LinearLearnerMetrics.objective(m, data, lossParameter(m, h))
      };
    }
    int n = Math.min(rows, data.size());
    double[] scores = new double[n];
    Integer[] order = new Integer[n];
    long positives = 0;
    for (int i = 0; i < n; i++) {
      scores[i] = m.binaryScore(m.rawScores(data.rows().get(i))[0]);
      order[i] = i;
      positives += data.labels()[i] == 1 ? 1 : 0;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    double beta = h.doubleValue("f_beta");
    double targetRecall = h.doubleValue("target_recall");
    double targetPrecision = h.doubleValue("target_precision");
    // threshold above every score: nothing predicted positive
    double bestThreshold = n == 0 ? m.threshold() : scores[order[0]] + 1e-9;
    double bestValue = value(criterion, 0, 0, positives, n, beta, targetRecall, targetPrecision);
    long tp = 0;
    long fp = 0;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      if (data.labels()[i] == 1) {
        tp++;
      } else {
        fp++;
      }
      if (k + 1 < n && scores[order[k + 1]] == scores[i]) {
        continue; // a threshold cannot separate equal scores
      }
      double value = value(criterion, tp, fp, positives, n, beta, targetRecall, targetPrecision);
      if (value > bestValue) {
        bestValue = value;
        bestThreshold =
            k + 1 < n ? (scores[i] + scores[order[k + 1]]) / 2 : Math.nextDown(scores[i]);
      }
    }
    return new double[] {bestThreshold, bestValue};
  }

  private static double value(
      String criterion,
      long tp,
      long fp,
      long positives,
      int n,
      double beta,
      double targetRecall,
      double targetPrecision) {
    long fn = positives - tp;
    long tn = n - positives - fp;
    double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    double recall = positives == 0 ? 0 : (double) tp / positives;
    switch (criterion) {
      case "f_beta":
        return LinearLearnerMetrics.fBeta(tp, fp, fn, beta);
      case "precision_at_target_recall":
        return recall >= targetRecall ? precision : 0;
      case "recall_at_target_precision":
        return precision >= targetPrecision ? recall : 0;
      default:
        return n == 0 ? 0 : (double) (tp + tn) / n;
    }
  }

  private static double lossParameter(LinearLearnerModel m, CheckedHyperparameters h) {
    return m.loss() == LinearLoss.HINGE ? h.doubleValue("margin") : 0;
  }
}
