package dev.sagemakerbeam.local.algorithm.builtin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Linear Learner's metrics of a model on a channel, under SageMaker's names ({@code
 * <channel>:objective_loss}, {@code binary_classification_accuracy}, {@code binary_f_beta}, {@code
 * precision}, {@code recall}, {@code multiclass_accuracy}, {@code multiclass_top_k_accuracy},
 * {@code rmse}, {@code mse}, {@code absolute_loss}), in the label's own units.
 */
final class LinearLearnerMetrics {
  private LinearLearnerMetrics() {}

  /** The mean loss of the model's raw scores (softmax cross-entropy for the multiclass model). */
  static double objective(LinearLearnerModel m, LabelledRows data, double lossParameter) {
    double sum = 0;
    double[] p = null;
    for (int i = 0; i < data.size(); i++) {
      double[] raw = m.rawScores(data.rows().get(i));
      double y = data.labels()[i];
      if (m.loss() == LinearLoss.SOFTMAX) {
        if (p == null) {
          p = new double[raw.length];
        }
        LinearLearnerTrainer.softmax(raw, p);
        sum += -Math.log(Math.max(1e-15, p[(int) y]));
      } else {
        sum += m.loss().value(raw[0], y, lossParameter);
      }
    }
    return sum / Math.max(1, data.size());
  }

  static Map<String, Double> of(
      LinearLearnerModel m, LabelledRows data, double lossParameter, double fBeta, int topK) {
    String prefix = data.name() + ":";
    Map<String, Double> out = new LinkedHashMap<>();
    out.put(prefix + "objective_loss", objective(m, data, lossParameter));
    int n = data.size();
    switch (m.predictorType()) {
      case "binary_classifier":
        {
          long tp = 0;
          long fp = 0;
          long fn = 0;
          long tn = 0;
          for (int i = 0; i < n; i++) {
            boolean predicted = m.binaryScore(m.rawScores(data.rows().get(i))[0]) > m.threshold();
            boolean actual = data.labels()[i] == 1;
            if (predicted && actual) {
              tp++;
            } else if (predicted) {
              fp++;
            } else if (actual) {
              fn++;
            } else {
              tn++;
            }
          }
          out.put(prefix + "binary_classification_accuracy", (double) (tp + tn) / n);
          out.put(prefix + "binary_f_beta", fBeta(tp, fp, fn, fBeta));
          out.put(prefix + "precision", tp + fp == 0 ? 0 : (double) tp / (tp + fp));
          out.put(prefix + "recall", tp + fn == 0 ? 0 : (double) tp / (tp + fn));
          break;
        }
      case "multiclass_classifier":
        {
          long right = 0;
          long topRight = 0;
          for (int i = 0; i < n; i++) {
            double[] raw = m.rawScores(data.rows().get(i));
            int y = (int) data.labels()[i];
            int argmax = 0;
            int above = 0;
            for (int o = 0; o < raw.length; o++) {
              if (raw[o] > raw[argmax]) {
                argmax = o;
              }
              if (raw[o] > raw[y]) {
                above++;
              }
            }
            right += argmax == y ? 1 : 0;
            topRight += above < topK ? 1 : 0;
          }
          out.put(prefix + "multiclass_accuracy", (double) right / n);
          out.put(prefix + "multiclass_top_k_accuracy", (double) topRight / n);
          break;
        }
      default:
        {
          double sq = 0;
          double abs = 0;
          for (int i = 0; i < n; i++) {
            double r = m.rawScores(data.rows().get(i))[0] - data.labels()[i];
            sq += r * r;
            abs += Math.abs(r);
          }
          out.put(prefix + "mse", sq / n);
          out.put(prefix + "rmse", Math.sqrt(sq / n));
          out.put(prefix + "absolute_loss", abs / n);
        }
    }
    return out;
  }

  static double fBeta(long tp, long fp, long fn, double beta) {
    double b2 = beta * beta;
    double denominator = (1 + b2) * tp + b2 * fn + fp;
    return denominator == 0 ? 0 : (1 + b2) * tp / denominator;
  }
}
