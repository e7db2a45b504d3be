package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains one Linear Learner model by mini-batch SGD, Adam or RMSProp, on rows kept as they were
 * read (sparse rows stay sparse). Normalization is applied on the fly: the model scores {@code b +
 * w . ((x - mean) * inverseScale)}, computed as {@code b - v . mean + v . x} with {@code v = w *
 * inverseScale}, so a sparse row costs its stored values only, and the gradient's dense correction
 * {@code - mean * sum(g)} is added once per mini-batch.
 *
 * <p>Each epoch visits the rows in a fresh shuffled order (the same order for every model of a
 * job); after each epoch the objective is measured on the evaluation rows and the weights of the
 * best epoch are kept. Training stops early when the objective has not improved by {@code
 * early_stopping_tolerance} (relative) for {@code early_stopping_patience} epochs.
 */
final class LinearLearnerTrainer {
  /** Settings shared by all models of a job; resolved from the hyperparameters. */
  record Settings(
      int featureDim,
      int outputs,
      LinearLoss loss,
      double lossParameter,
      int miniBatchSize,
      int epochs,
      boolean useBias,
      String optimizer,
      double beta1,
      double beta2,
      double momentum,
      double biasLrMult,
      double biasWdMult,
      boolean useLrScheduler,
      int lrSchedulerStep,
      double lrSchedulerFactor,
      double lrSchedulerMinimumLr,
      int earlyStoppingPatience,
      double earlyStoppingTolerance,
      String initMethod,
      double initScale,
      double initSigma,
      double initBias,
      double positiveWeight,
      double[] classWeights) {}

  /** Rows and their labels in the space training sees (a regressor's label normalized). */
  record Data(List<FeatureVector> rows, double[] labels) {
    int size() {
      return labels.length;
    }
  }

  /** The feature normalization: {@code (x - mean) * inverseScale}. */
  record Scaler(double[] mean, double[] inverseScale) {}

  /** One model: its settings of learning rate and regularization, weights and progress. */
  static final class Candidate {
    final int index;
    final double learningRate;
    final double wd;
    final double l1;
    final double[] w;
    final double[] b;
    double[] bestW;
    double[] bestB;
    double bestLoss = Double.POSITIVE_INFINITY;
    int bestEpoch = -1;
    int epochsRun;
    boolean stoppedEarly;

    Candidate(int index, double learningRate, double wd, double l1, int outputs, int featureDim) {
      this.index = index;
      this.learningRate = learningRate;
      this.wd = wd;
      this.l1 = l1;
      this.w = new double[outputs * featureDim];
      this.b = new double[outputs];
    }

    String describe() {
      return String.format(
          Locale.ROOT, "learning_rate %.3g, wd %.3g, l1 %.3g", learningRate, wd, l1);
    }
  }

  private final Settings s;
  private final Scaler scaler;

  LinearLearnerTrainer(Settings settings, Scaler scaler) {
    this.s = settings;
    this.scaler = scaler;
  }

  /** Trains {@code c} on {@code train}, keeping the weights of its best epoch on {@code eval}. */
  void train(Candidate c, Data train, Data eval, TrainingJobContext job, Consumer<String> log)
      throws TrainingStoppedException {
    int d = s.featureDim();
    int k = s.outputs();
    initialise(c, new Random(1000L + c.index));
    double[] v = new double[k * d];
    double[] offset = new double[k];
    double[] acc = new double[k * d];
    double[] sumG = new double[k];
    double[] gradW = new double[k * d];
    double[] gradB = new double[k];
    double[] m1 = new double[k * d];
    double[] m2 = new double[k * d];
    double[] m1b = new double[k];
    double[] m2b = new double[k];
    double[] scores = new double[k];
    double[] g = new double[k];
    int n = train.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long step = 0;
    int patience = 0;
    for (int epoch = 0; epoch < s.epochs(); epoch++) {
      shuffle(order, new Random(31L * epoch + 7));
      for (int start = 0; start < n; start += s.miniBatchSize()) {
        KMeansAlgorithm.checkStop(job, "epoch " + epoch);
        int end = Math.min(n, start + s.miniBatchSize());
        effective(c.w, v, offset);
        Arrays.fill(acc, 0);
        Arrays.fill(sumG, 0);
        for (int r = start; r < end; r++) {
          int row = order[r];
          FeatureVector x = train.rows().get(row);
          double y = train.labels()[row];
          score(x, v, offset, c.b, scores);
          gradientOfScores(scores, y, g);
          for (int o = 0; o < k; o++) {
            if (g[o] != 0) {
              axpy(g[o], x, acc, o * d);
              sumG[o] += g[o];
            }
          }
        }
        double inv = 1.0 / (end - start);
        double[] mean = scaler.mean();
        double[] scale = scaler.inverseScale();
        for (int o = 0; o < k; o++) {
          int base = o * d;
          for (int j = 0; j < d; j++) {
            double wj = c.w[base + j];
            double grad = (acc[base + j] - mean[j] * sumG[o]) * scale[j] * inv + c.wd * wj;
            if (c.l1 > 0 && wj != 0) {
              grad += c.l1 * Math.signum(wj);
            }
            gradW[base + j] = grad;
          }
          gradB[o] = s.useBias() ? sumG[o] * inv + c.wd * s.biasWdMult() * c.b[o] : 0;
        }
        step++;
        double lr = learningRate(c.learningRate, step, n);
        update(c.w, gradW, m1, m2, lr, step);
        if (s.useBias()) {
          update(c.b, gradB, m1b, m2b, lr * s.biasLrMult(), step);
        }
      }
      c.epochsRun = epoch + 1;
      double loss = objective(c.w, c.b, eval);
      log.accept(
          String.format(
              Locale.ROOT,
              "[model %d] epoch %d: %s objective_loss %.6g (%s)",
              c.index,
              epoch,
              eval == train ? "train" : "validation",
              loss,
              c.describe()));
      boolean improved =
          c.bestEpoch < 0
              || (Double.isFinite(loss)
                  && (c.bestLoss - loss) > s.earlyStoppingTolerance() * Math.abs(c.bestLoss));
      if (loss < c.bestLoss || c.bestEpoch < 0) {
        c.bestLoss = loss;
        c.bestEpoch = epoch;
        c.bestW = c.w.clone();
        c.bestB = c.b.clone();
      }
      patience = improved ? 0 : patience + 1;
      if (patience >= s.earlyStoppingPatience() && epoch + 1 < s.epochs()) {
        c.stoppedEarly = true;
        log.accept(
            String.format(
                Locale.ROOT,
                "[model %d] stopping early after epoch %d: no improvement of %.3g in %d epochs;"
                    + " best epoch %d",
                c.index,
                epoch,
                s.earlyStoppingTolerance(),
                s.earlyStoppingPatience(),
                c.bestEpoch));
        break;
      }
    }
  }

  private void initialise(Candidate c, Random random) {
    for (int i = 0; i < c.w.length; i++) {
      c.w[i] =
          s.initMethod().equals("normal")
              ? random.nextGaussian() * s.initSigma()
              : (random.nextDouble() * 2 - 1) * s.initScale();
    }
    Arrays.fill(c.b, s.useBias() ? s.initBias() : 0);
  }

  private double learningRate(double base, long step, int rows) {
    if (!s.useLrScheduler()) {
      return base;
    }
    int every =
        s.lrSchedulerStep() > 0
            ? s.lrSchedulerStep()
            : Math.max(1, (rows + s.miniBatchSize() - 1) / s.miniBatchSize());
    double lr = base * Math.pow(s.lrSchedulerFactor(), (double) (step / every));
    return Math.max(Math.min(base, s.lrSchedulerMinimumLr()), lr);
  }

  private void update(double[] theta, double[] grad, double[] m1, double[] m2, double lr, long t) {
    switch (s.optimizer()) {
      case "sgd":
        for (int i = 0; i < theta.length; i++) {
          m1[i] = s.momentum() * m1[i] - lr * grad[i];
          theta[i] += m1[i];
        }
        break;
      case "rmsprop":
        for (int i = 0; i < theta.length; i++) {
          m2[i] = s.beta2() * m2[i] + (1 - s.beta2()) * grad[i] * grad[i];
          theta[i] -= lr * grad[i] / (Math.sqrt(m2[i]) + 1e-8);
        }
        break;
      default: // adam
        double c1 = 1 - Math.pow(s.beta1(), t);
        double c2 = 1 - Math.pow(s.beta2(), t);
        double stepSize = lr * Math.sqrt(c2) / c1;
        for (int i = 0; i < theta.length; i++) {
          m1[i] = s.beta1() * m1[i] + (1 - s.beta1()) * grad[i];
          m2[i] = s.beta2() * m2[i] + (1 - s.beta2()) * grad[i] * grad[i];
          theta[i] -= stepSize * m1[i] / (Math.sqrt(m2[i]) + 1e-8);
        }
    }
  }

  /** {@code v = w * inverseScale} and {@code offset = -v . mean}, per output. */
  private void effective(double[] w, double[] v, double[] offset) {
    int d = s.featureDim();
    double[] mean = scaler.mean();
    double[] scale = scaler.inverseScale();
    for (int o = 0; o < s.outputs(); o++) {
      int base = o * d;
      double off = 0;
      for (int j = 0; j < d; j++) {
        double vj = w[base + j] * scale[j];
        v[base + j] = vj;
        off -= vj * mean[j];
      }
      offset[o] = off;
    }
  }

  /** The raw output scores of {@code x} (before sigmoid or softmax). */
  private void score(FeatureVector x, double[] v, double[] offset, double[] b, double[] out) {
    int d = s.featureDim();
    for (int o = 0; o < out.length; o++) {
      out[o] = b[o] + offset[o] + dot(x, v, o * d);
    }
  }

  /** The derivative of the (weighted) loss in each output score. */
  private void gradientOfScores(double[] scores, double y, double[] g) {
    if (s.loss() == LinearLoss.SOFTMAX) {
      softmax(scores, g);
      int label = (int) y;
      g[label] -= 1;
      double weight = s.classWeights() == null ? 1 : s.classWeights()[label];
      for (int o = 0; o < g.length; o++) {
        g[o] *= weight;
      }
      return;
    }
    double weight = y == 1 && s.positiveWeight() != 1 ? s.positiveWeight() : 1;
    g[0] = weight * s.loss().derivative(scores[0], y, s.lossParameter());
  }

  /** The mean objective of weights {@code w, b} on {@code data} (unweighted). */
  double objective(double[] w, double[] b, Data data) {
    double[][] scores = scores(w, b, data.rows());
    double sum = 0;
    for (int i = 0; i < scores.length; i++) {
      sum += loss(scores[i], data.labels()[i]);
    }
    return sum / Math.max(1, scores.length);
  }

  /** One row's loss. */
  double loss(double[] scores, double y) {
    if (s.loss() == LinearLoss.SOFTMAX) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : scores) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (double v : scores) {
        sum += Math.exp(v - max);
      }
      return Math.log(sum) + max - scores[(int) y];
    }
    return s.loss().value(scores[0], y, s.lossParameter());
  }

  /** The raw scores of every row, in the training space. */
  double[][] scores(double[] w, double[] b, List<FeatureVector> rows) {
    double[] v = new double[w.length];
    double[] offset = new double[s.outputs()];
    effective(w, v, offset);
    double[][] out = new double[rows.size()][s.outputs()];
    for (int i = 0; i < out.length; i++) {
      score(rows.get(i), v, offset, b, out[i]);
    }
    return out;
  }

  /** Weights in the space of the raw features: {@code w * inverseScale} and the folded bias. */
  double[][] rawWeights(double[] w, double[] b) {
    double[] v = new double[w.length];
    double[] offset = new double[s.outputs()];
    effective(w, v, offset);
    double[] bias = new double[s.outputs()];
    for (int o = 0; o < bias.length; o++) {
      bias[o] = b[o] + offset[o];
    }
    return new double[][] {v, bias};
  }

  static void softmax(double[] scores, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : scores) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int i = 0; i < scores.length; i++) {
      out[i] = Math.exp(scores[i] - max);
      sum += out[i];
    }
    for (int i = 0; i < scores.length; i++) {
      out[i] /= sum;
    }
  }

  static double dot(FeatureVector x, double[] v, int base) {
    double[] values = x.values();
    int[] indices = x.indices();
    double sum = 0;
    if (indices == null) {
      for (int i = 0; i < values.length; i++) {
        sum += values[i] * v[base + i];
      }
    } else {
      for (int i = 0; i < values.length; i++) {
        sum += values[i] * v[base + indices[i]];
      }
    }
    return sum;
  }

  private static void axpy(double a, FeatureVector x, double[] acc, int base) {
    double[] values = x.values();
    int[] indices = x.indices();
    if (indices == null) {
      for (int i = 0; i < values.length; i++) {
        acc[base + i] += a * values[i];
      }
    } else {
      for (int i = 0; i < values.length; i++) {
        acc[base + indices[i]] += a * values[i];
      }
    }
  }

  static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
