package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;
import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * SageMaker's LDA ({@code lda:1}), trained for real. SageMaker fits LDA by a spectral
 * decomposition; SageMaker Local fits the same model by batch variational Bayes (Blei, Ng and
 * Jordan 2003; Hoffman, Blei and Bach 2010), a sound method whose quality its tests show:
 *
 * <ul>
 *   <li>channels {@code train} (required) and {@code test}: word-count documents of {@code
 *       feature_dim} words, RecordIO-protobuf (dense or sparse counts) or {@code text/csv} (every
 *       column a count); a negative count fails naming the row and the word;
 *   <li>the mixtures' Dirichlet prior is symmetric with {@code alpha0 / num_topics} per topic, the
 *       topics' prior {@code 1 / num_topics} per word;
 *   <li>{@code max_restarts} starts from different random topics, each fitted for {@value
 *       #RESTART_ITERATIONS} iterations under a prior of at least 1 per topic (a sparse prior from
 *       the start locks variational EM into merged or dead topics); the one with the best per-word
 *       log-likelihood is fitted on under the prior asked for until its relative improvement is
 *       below {@code tol} or {@code max_iterations} iterations in all;
 *   <li>final metrics {@code train:pwll} and {@code test:pwll} (per-word log-likelihood, as
 *       SageMaker names it).
 * </ul>
 *
 * The E-step runs on all cores; training checks for a stop between iterations.
 */
public final class LdaAlgorithm implements Algorithm {
  private static final AlgorithmSpec SPEC = AlgorithmCatalog.LDA;

  /** Iterations each restart gets before the best one is fitted on. */
  static final int RESTART_ITERATIONS = 30;

  @Override
  public void validateHyperparameters(Map<String, String> hyperparameters)
      throws AlgorithmException {
    CheckedHyperparameters.of(SPEC, hyperparameters);
  }

  @Override
  public ModelWorker load(Path modelDir, Map<String, String> environment)
      throws AlgorithmException {
    return LdaModel.load(modelDir);
  }

  @Override
  public Map<String, Double> train(TrainingJobContext job)
      throws AlgorithmException, InterruptedException {
    CheckedHyperparameters h = CheckedHyperparameters.of(SPEC, job.hyperparameters());
    int k = h.intValue("num_topics");
    int v = h.intValue("feature_dim");
    if (job.channels().get("train") == null) {
      throw new AlgorithmException(
          "LDA needs a channel named train; the job has " + job.channels().keySet());
    }
    List<FeatureVector> train = read(job, "train", v);
    List<FeatureVector> test = job.channels().containsKey("test") ? read(job, "test", v) : null;
    if (train.size() != h.intValue("mini_batch_size")) {
      job.log()
          .accept(
              "mini_batch_size is "
                  + h.intValue("mini_batch_size")
                  + " but the train channel holds "
                  + train.size()
                  + " documents; SageMaker documents mini_batch_size as the number of documents");
    }
    double[] alpha = new double[k];
    Arrays.fill(alpha, h.doubleValue("alpha0") / k);
    double eta = 1.0 / k;
    int restarts = h.intValue("max_restarts");
    int maxIterations = h.intValue("max_iterations");
    double tol = h.doubleValue("tol");
    double totalWords = 0;
    for (FeatureVector d : train) {
      for (double c : d.values()) {
        totalWords += c;
      }
    }
    job.log()
        .accept(
            String.format(
                Locale.ROOT,
                "LDA: %d documents, %d words, %.0f word occurrences, %d topics, alpha0 %s, %d"
                    + " restarts",
                train.size(),
                v,
                totalWords,
                k,
                h.string("alpha0"),
                restarts));
    long started = System.nanoTime();
    double[][] best = null;
    double[][] bestGammas = null;
    double bestLikelihood = Double.NEGATIVE_INFINITY;
    int first = Math.min(RESTART_ITERATIONS, maxIterations);
    // restarts run with a prior of at least 1 per topic (annealed to alpha0 / K afterwards): a
    // sparse prior from the start locks variational EM into merged or dead topics
    double[] startAlpha = new double[k];
    Arrays.fill(startAlpha, Math.max(1.0, alpha[0]));
    for (int r = 0; r < restarts; r++) {
      double[][] lambda = initial(k, v, totalWords, new Random(1000L + r));
      double[][] gammas = new double[train.size()][];
      double likelihood = Double.NaN;
      for (int i = 0; i < first; i++) {
        KMeansAlgorithm.checkStop(job, "restart " + r);
        Iteration it = iterate(lambda, startAlpha, eta, train, totalWords, gammas);
        lambda = it.lambda;
        likelihood = it.likelihood;
      }
      job.log()
          .accept(
              String.format(
                  Locale.ROOT,
                  "restart %d: per-word log-likelihood %.6f after %d iterations",
                  r,
                  likelihood,
                  first));
      if (likelihood > bestLikelihood || best == null) {
        bestLikelihood = likelihood;
        best = lambda;
        bestGammas = gammas;
      }
    }
    double previous = bestLikelihood;
    int iterations = first;
    while (iterations < maxIterations) {
      KMeansAlgorithm.checkStop(job, "iteration " + iterations);
      Iteration it = iterate(best, alpha, eta, train, totalWords, bestGammas);
      best = it.lambda;
      iterations++;
      double change = Math.abs(it.likelihood - previous) / Math.max(1e-300, Math.abs(previous));
      previous = it.likelihood;
      if (iterations % 10 == 0) {
        job.log()
            .accept(
                String.format(
                    Locale.ROOT,
                    "iteration %d: per-word log-likelihood %.6f",
                    iterations,
                    it.likelihood));
      }
      if (change < tol) {
        job.log()
            .accept(
                String.format(
                    Locale.ROOT,
                    "converged after %d iterations (relative change %.3g < tol %s)",
                    iterations,
                    change,
                    h.string("tol")));
        break;
      }
    }
    job.log()
        .accept(
            String.format(
                Locale.ROOT, "LDA fitted in %.2f s", (System.nanoTime() - started) / 1e9));
    double[][] logTopics = LdaModel.expectedLogTopics(best);
    LdaModel model = new LdaModel(v, alpha, normalized(best), logTopics);
    model.save(job.modelDir(), logTopics);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("train:pwll", model.perWordLogLikelihood(train));
    if (test != null) {
      metrics.put("test:pwll", model.perWordLogLikelihood(test));
    }
    metrics.forEach(
        (name, value) ->
            job.log()
                .accept(String.format(Locale.ROOT, "#quality_metric: %s = %.6g", name, value)));
    return metrics;
  }

  private record Iteration(double[][] lambda, double likelihood) {}

  /**
   * One variational EM iteration: every document's E-step under the current topics (in parallel,
   * each worker with its own statistics), then the topics' update {@code lambda = eta + stats *
   * exp(E[log beta])}; the likelihood is the per-word log-likelihood under the current topics.
   */
  private static Iteration iterate(
      double[][] lambda,
      double[] alpha,
      double eta,
      List<FeatureVector> docs,
      double words,
      double[][] gammas) {
    int k = lambda.length;
    int v = lambda[0].length;
    double[][] logTopics = LdaModel.expectedLogTopics(lambda);
    double[][] topics = normalized(lambda);
    LdaModel model = new LdaModel(v, alpha, topics, logTopics);
    int workers = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), docs.size()));
    double[][][] stats = new double[workers][k][v];
    double[] likelihood = new double[workers];
    IntStream.range(0, workers)
        .parallel()
        .forEach(
            worker -> {
              for (int d = worker; d < docs.size(); d += workers) {
                FeatureVector doc = docs.get(d);
                double[] gamma = model.eStep(doc, stats[worker], gammas[d]);
                gammas[d] = gamma;
                double sum = 0;
                for (double g : gamma) {
                  sum += g;
                }
                double[] values = doc.values();
                int[] indices = doc.indices();
                for (int n = 0; n < values.length; n++) {
                  if (values[n] == 0) {
                    continue;
                  }
                  int w = indices == null ? n : indices[n];
                  double p = 0;
                  for (int t = 0; t < k; t++) {
                    p += gamma[t] / sum * topics[t][w];
                  }
                  likelihood[worker] += values[n] * Math.log(Math.max(p, 1e-300));
                }
              }
            });
    double[][] next = new double[k][v];
    for (int t = 0; t < k; t++) {
      for (int w = 0; w < v; w++) {
        double s = 0;
        for (int worker = 0; worker < workers; worker++) {
          s += stats[worker][t][w];
        }
        next[t][w] = eta + s * model.expLogBeta(t, w);
      }
    }
    double total = 0;
    for (double l : likelihood) {
      total += l;
    }
    return new Iteration(next, total / Math.max(1, words));
  }

  private static double[][] initial(int k, int v, double words, Random random) {
    double[][] lambda = new double[k][v];
    double scale = Math.max(1, words / (k * (double) v));
    for (int t = 0; t < k; t++) {
      for (int w = 0; w < v; w++) {
        lambda[t][w] = scale * (0.5 + random.nextDouble());
      }
    }
    return lambda;
  }

  static double[][] normalized(double[][] lambda) {
    double[][] out = new double[lambda.length][];
    for (int t = 0; t < lambda.length; t++) {
      double sum = 0;
      for (double x : lambda[t]) {
        sum += x;
      }
      out[t] = new double[lambda[t].length];
      for (int w = 0; w < lambda[t].length; w++) {
        out[t][w] = lambda[t][w] / sum;
      }
    }
    return out;
  }

  private static List<FeatureVector> read(TrainingJobContext job, String name, int featureDim)
      throws AlgorithmException, InterruptedException {
    TrainingDataReader reader = TrainingDataReader.open(job.channels().get(name), featureDim);
    if (reader.isLibSvm()) {
      throw new AlgorithmException(
          "Channel "
              + name
              + " is LibSVM; LDA reads application/x-recordio-protobuf or text/csv word counts");
    }
    List<FeatureVector> docs = new ArrayList<>();
    reader.forEachRow(
        doc -> {
          double[] values = doc.values();
          int[] indices = doc.indices();
          for (int n = 0; n < values.length; n++) {
            if (values[n] < 0 || !Double.isFinite(values[n])) {
              throw new AlgorithmException(
                  String.format(
                      Locale.ROOT,
                      "Channel %s document %d has count %s for word %d: LDA takes word counts,"
                          + " which are non-negative",
                      name,
                      docs.size() + 1,
                      values[n],
                      indices == null ? n : indices[n]));
            }
          }
          docs.add(doc);
        });
    if (docs.isEmpty()) {
      throw new AlgorithmException("Channel " + name + " holds no documents");
    }
    return docs;
  }
}
