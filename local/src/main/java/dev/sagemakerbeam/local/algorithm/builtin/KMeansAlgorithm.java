package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext.Channel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * SageMaker's K-Means, in the way SageMaker describes it ("How K-Means Clustering Works"):
 *
 * <ol>
 *   <li>web-scale mini-batch k-means (Sculley, 2010) over {@code epochs} passes of the {@code
 *       train} channel with {@code K = k * extra_center_factor} centers, initialised from the first
 *       mini-batch by {@code init_method}; each center moves towards its points with a per-center
 *       learning rate of 1/weight, weights decaying with {@code half_life_time_size};
 *   <li>reduction of the K weighted centers to {@code k} by Lloyd's algorithm ({@code
 *       local_lloyd_*}: initialisation, iterations, tolerance), best of {@code
 *       local_lloyd_num_trials} runs;
 *   <li>one more pass measuring the model on the training data ({@code train:msd}, {@code
 *       train:ssd}) and, when there is a {@code test} channel, on it ({@code eval_metrics}).
 * </ol>
 *
 * Randomness comes from a fixed seed, so the same data and hyperparameters give the same model.
 * Training checks for a stop between mini-batches and every thousand rows, and ends with a {@link
 * TrainingStoppedException}.
 */
public final class KMeansAlgorithm implements Algorithm {
  static final long SEED = 20171129L;
  private static final int STOP_CHECK_ROWS = 1000;

  @Override
  public void validateHyperparameters(Map<String, String> hyperparameters)
      throws AlgorithmException {
    KMeansConfig.parse(hyperparameters);
  }

  @Override
  public Map<String, Double> train(TrainingJobContext job)
      throws AlgorithmException, InterruptedException {
    KMeansConfig config = KMeansConfig.parse(job.hyperparameters());
    Channel trainChannel = job.channels().get("train");
    if (trainChannel == null) {
      throw new AlgorithmException(
          "K-Means needs a channel named train; the job has " + job.channels().keySet());
    }
    TrainingDataReader train = TrainingDataReader.open(trainChannel, config.featureDim());
    Random random = new Random(SEED);
    long started = System.nanoTime();

    MiniBatchPhase phase = new MiniBatchPhase(config, job, random);
    long rows = 0;
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      phase.startEpoch();
      rows = train.forEachRow(phase::add);
      phase.finishEpoch();
      if (rows < config.k()) {
        throw new AlgorithmException(
            "The train channel has "
                + rows
                + " rows, fewer than k = "
                + config.k()
                + "; k must not exceed the number of rows");
      }
      job.log()
          .accept(
              String.format(
                  Locale.ROOT,
                  "#progress_metric: epoch %d of %d: %d rows, %d centers, mean squared distance during"
                      + " the pass %.6g",
                  epoch,
                  config.epochs(),
                  rows,
                  phase.centers.count(),
                  phase.epochSquaredDistance / rows));
    }

    double[][] finalCenters =
        reduceToK(phase.centers.centers(), phase.weights, config, job, random);
    KMeansModel model = new KMeansModel(config.featureDim(), finalCenters);

    Map<String, Double> metrics = new LinkedHashMap<>();
    double[] trainScore = score(model, train, job);
    metrics.put("train:msd", trainScore[0] / trainScore[1]);
    metrics.put("train:ssd", trainScore[0]);
    job.log()
        .accept(
            String.format(
                Locale.ROOT,
                "#quality_metric: host=algo-1, train msd <loss>=%.8g, train ssd <loss>=%.8g",
                trainScore[0] / trainScore[1],
                trainScore[0]));
    Channel testChannel = job.channels().get("test");
    if (testChannel != null) {
      double[] testScore =
          score(model, TrainingDataReader.open(testChannel, config.featureDim()), job);
      for (String metric : config.evalMetrics()) {
        double value = metric.equals("ssd") ? testScore[0] : testScore[0] / testScore[1];
        metrics.put("test:" + metric, value);
        job.log()
            .accept(
                String.format(
                    Locale.ROOT,
                    "#quality_metric: host=algo-1, test %s <loss>=%.8g",
                    metric,
                    value));
      }
    }
    metrics.put("train:progress", 100.0);
    model.save(job.modelDir());
    job.log()
        .accept(
            String.format(
                Locale.ROOT,
                "K-Means done in %.1f s: k=%d, feature_dim=%d, %d rows x %d epochs",
                (System.nanoTime() - started) / 1e9,
                config.k(),
                config.featureDim(),
                rows,
                config.epochs()));
    return metrics;
  }

  @Override
  public ModelWorker load(Path modelDir, Map<String, String> environment)
      throws AlgorithmException {
    return KMeansModel.load(modelDir);
  }

  /** The mini-batch phase: K centers, their weights, and the rows of the current batch. */
  private static final class MiniBatchPhase {
    private final KMeansConfig config;
    private final TrainingJobContext job;
    private final Random random;
    private final int targetCenters;
    private final List<FeatureVector> batch = new ArrayList<>();
    ClusterCenters centers;
    double[] weights;
    double epochSquaredDistance;
    private long rowsSinceCheck;

    MiniBatchPhase(KMeansConfig config, TrainingJobContext job, Random random) {
      this.config = config;
      this.job = job;
      this.random = random;
      this.targetCenters = config.centersDuringTraining();
    }

    void startEpoch() {
      epochSquaredDistance = 0;
    }

    void add(FeatureVector row) throws InterruptedException {
      batch.add(row);
      // the first batch also seeds the centers, so it holds at least K rows
      int target =
          centers == null
              ? Math.max(config.miniBatchSize(), targetCenters)
              : config.miniBatchSize();
      if (batch.size() >= target) {
        processBatch();
      } else if (++rowsSinceCheck % STOP_CHECK_ROWS == 0) {
        checkStop(job, "reading a mini-batch");
      }
    }

    void finishEpoch() throws InterruptedException {
      processBatch();
    }

    private void processBatch() throws InterruptedException {
      if (batch.isEmpty()) {
        return;
      }
      checkStop(job, "mini-batch k-means");
      if (centers == null) {
        centers =
            new ClusterCenters(
                config.initMethod().equals("kmeans++")
                    ? kMeansPlusPlus(batch, targetCenters, random)
                    : randomRows(batch, targetCenters, random));
        weights = new double[centers.count()];
      }
      int n = batch.size();
      int[] nearest = new int[n];
      double[] squared = new double[1];
      for (int i = 0; i < n; i++) {
        FeatureVector x = batch.get(i);
        nearest[i] = centers.nearest(x, ClusterCenters.squaredNorm(x), squared);
        epochSquaredDistance += squared[0];
      }
      if (config.halfLifeTimeSize() > 0) {
        // after half_life_time_size more points, what was seen before weighs half as much
        double decay = Math.pow(0.5, (double) n / config.halfLifeTimeSize());
        for (int c = 0; c < weights.length; c++) {
          weights[c] *= decay;
        }
      }
      for (int i = 0; i < n; i++) {
        int c = nearest[i];
        weights[c] += 1;
        double rate = 1.0 / weights[c];
        double[] center = centers.center(c);
        double keep = 1 - rate;
        for (int j = 0; j < center.length; j++) {
          center[j] *= keep;
        }
        FeatureVector x = batch.get(i);
        double[] values = x.values();
        int[] indices = x.indices();
        for (int j = 0; j < values.length; j++) {
          center[indices == null ? j : indices[j]] += rate * values[j];
        }
        centers.refreshNorm(c);
      }
      batch.clear();
    }
  }

  /** Up to {@code count} distinct rows of {@code rows}, chosen uniformly. */
  private static double[][] randomRows(List<FeatureVector> rows, int count, Random random) {
    int n = rows.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int m = Math.min(count, n);
    double[][] out = new double[m][];
    for (int i = 0; i < m; i++) {
      int j = i + random.nextInt(n - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
      out[i] = rows.get(order[i]).toDenseArray();
    }
    return out;
  }

  /** k-means++ seeding (Arthur and Vassilvitskii, 2007) of up to {@code count} centers. */
  private static double[][] kMeansPlusPlus(List<FeatureVector> rows, int count, Random random) {
    int n = rows.size();
    int m = Math.min(count, n);
    double[] norms = new double[n];
    for (int i = 0; i < n; i++) {
      norms[i] = ClusterCenters.squaredNorm(rows.get(i));
    }
    double[][] out = new double[m][];
    out[0] = rows.get(random.nextInt(n)).toDenseArray();
    double[] nearest = new double[n];
    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    for (int c = 1; c <= m; c++) {
      double[] last = out[c - 1];
      double lastNorm = 0;
      for (double v : last) {
        lastNorm += v * v;
      }
      double total = 0;
      for (int i = 0; i < n; i++) {
        double d = Math.max(0, norms[i] - 2 * ClusterCenters.dot(rows.get(i), last) + lastNorm);
        if (d < nearest[i]) {
          nearest[i] = d;
        }
        total += nearest[i];
      }
      if (c == m) {
        break;
      }
      int pick;
      if (total <= 0) {
        pick = random.nextInt(n);
      } else {
        double r = random.nextDouble() * total;
        pick = n - 1;
        for (int i = 0; i < n; i++) {
          r -= nearest[i];
          if (r < 0) {
            pick = i;
            break;
          }
        }
      }
      out[c] = rows.get(pick).toDenseArray();
    }
    return out;
  }

  /**
   * Lloyd's algorithm on the weighted centers of the mini-batch phase, best of the configured
   * number of runs by weighted squared distance.
   */
  static double[][] reduceToK(
      double[][] points,
      double[] weights,
      KMeansConfig config,
      TrainingJobContext job,
      Random random)
      throws InterruptedException {
    // centers that no row ever reached carry no information
    List<double[]> kept = new ArrayList<>();
    List<Double> keptWeights = new ArrayList<>();
    for (int i = 0; i < points.length; i++) {
      if (weights[i] > 0) {
        kept.add(points[i]);
        keptWeights.add(weights[i]);
      }
    }
    double[][] p = kept.toArray(new double[0][]);
    double[] w = keptWeights.stream().mapToDouble(Double::doubleValue).toArray();
    int k = config.k();
    int trials = config.lloydTrials(p.length);
    double[][] best = null;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (int trial = 1; trial <= trials; trial++) {
      checkStop(job, "local Lloyd trial " + trial);
      double[][] centers =
          config.localLloydInitMethod().equals("kmeans++")
              ? weightedKMeansPlusPlus(p, w, k, random)
              : weightedRandom(p, w, k, random);
      int[] assignment = new int[p.length];
      double loss = assign(p, centers, assignment, w);
      int iteration = 0;
      while (iteration < config.localLloydMaxIter()) {
        iteration++;
        updateCenters(p, w, assignment, centers);
        double next = assign(p, centers, assignment, w);
        boolean converged = loss - next <= config.localLloydTol() * loss;
        loss = next;
        if (converged) {
          break;
        }
      }
      job.log()
          .accept(
              String.format(
                  Locale.ROOT,
                  "local Lloyd trial %d of %d: %d weighted centers to %d, %d iterations, loss %.6g",
                  trial,
                  trials,
                  p.length,
                  k,
                  iteration,
                  loss));
      if (loss < bestLoss) {
        bestLoss = loss;
        best = centers;
      }
    }
    return best;
  }

  private static double assign(double[][] p, double[][] centers, int[] assignment, double[] w) {
    double loss = 0;
    for (int i = 0; i < p.length; i++) {
      int bestCenter = 0;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int c = 0; c < centers.length; c++) {
        double d = ClusterCenters.squaredDistance(p[i], centers[c]);
        if (d < bestDistance) {
          bestDistance = d;
          bestCenter = c;
        }
      }
      assignment[i] = bestCenter;
      loss += w[i] * bestDistance;
    }
    return loss;
  }

  private static void updateCenters(
      double[][] p, double[] w, int[] assignment, double[][] centers) {
    int dim = centers[0].length;
    double[][] sums = new double[centers.length][dim];
    double[] totals = new double[centers.length];
    for (int i = 0; i < p.length; i++) {
      int c = assignment[i];
      totals[c] += w[i];
      double[] sum = sums[c];
      double[] point = p[i];
      for (int j = 0; j < dim; j++) {
        sum[j] += w[i] * point[j];
      }
    }
    for (int c = 0; c < centers.length; c++) {
      if (totals[c] > 0) { // an empty cluster keeps its center
        for (int j = 0; j < dim; j++) {
          centers[c][j] = sums[c][j] / totals[c];
        }
      }
    }
  }

  private static double[][] weightedKMeansPlusPlus(double[][] p, double[] w, int k, Random random) {
    double[][] centers = new double[k][];
    centers[0] = p[pickWeighted(w, random)].clone();
    double[] nearest = new double[p.length];
    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    double[] score = new double[p.length];
    for (int c = 1; c < k; c++) {
      for (int i = 0; i < p.length; i++) {
        nearest[i] = Math.min(nearest[i], ClusterCenters.squaredDistance(p[i], centers[c - 1]));
        score[i] = w[i] * nearest[i];
      }
      int pick = pickWeighted(score, random);
      centers[c] = p[pick < 0 ? pickWeighted(w, random) : pick].clone();
    }
    return centers;
  }

  private static double[][] weightedRandom(double[][] p, double[] w, int k, Random random) {
    double[] remaining = w.clone();
    double[][] centers = new double[k][];
    for (int c = 0; c < k; c++) {
      int pick = pickWeighted(remaining, random);
      if (pick < 0) { // fewer distinct points than k: repeat some
        pick = pickWeighted(w, random);
      }
      remaining[pick] = 0;
      centers[c] = p[pick].clone();
    }
    return centers;
  }

  /** An index drawn with probability proportional to its weight, or -1 if all weights are 0. */
  private static int pickWeighted(double[] weights, Random random) {
    double total = 0;
    for (double v : weights) {
      total += v;
    }
    if (!(total > 0)) {
      return -1;
    }
    double r = random.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        last = i;
        r -= weights[i];
        if (r < 0) {
          return i;
        }
      }
    }
    return last;
  }

  /** Sum of squared distances to the nearest center, and the number of rows. */
  private static double[] score(KMeansModel model, TrainingDataReader data, TrainingJobContext job)
      throws AlgorithmException, InterruptedException {
    ClusterCenters centers = new ClusterCenters(model.centers());
    double[] total = new double[2];
    double[] squared = new double[1];
    data.forEachRow(
        x -> {
          centers.nearest(x, ClusterCenters.squaredNorm(x), squared);
          total[0] += squared[0];
          if (++total[1] % STOP_CHECK_ROWS == 0) {
            checkStop(job, "scoring the model");
          }
        });
    return total;
  }

  static void checkStop(TrainingJobContext job, String during) throws TrainingStoppedException {
    if (job.stopRequested().getAsBoolean() || Thread.currentThread().isInterrupted()) {
      throw new TrainingStoppedException("Training stopped on request during " + during);
    }
  }
}
