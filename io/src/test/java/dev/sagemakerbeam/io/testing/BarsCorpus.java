package dev.sagemakerbeam.io.testing;

import dev.sagemakerbeam.io.FeatureVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Griffiths and Steyvers' "bars" (PNAS 2004): 10 topics over a 5 x 5 grid of 25 words, each topic
 * one row or one column of the grid (uniform over its 5 words); each document draws a mixture from
 * a symmetric Dirichlet and then its words, and is stored as sparse word counts. The generating
 * topics and mixtures are kept so that tests can check what an LDA recovers.
 */
public final class BarsCorpus {
  public static final int WORDS = 25;
  public static final int TOPICS = 10;

  private final List<FeatureVector> documents;
  private final double[][] mixtures;

  private BarsCorpus(List<FeatureVector> documents, double[][] mixtures) {
    this.documents = documents;
    this.mixtures = mixtures;
  }

  /** The 10 true topics: word probabilities, rows 0-4 then columns 0-4 of the grid. */
  public static double[][] topics() {
    double[][] topics = new double[TOPICS][WORDS];
    for (int t = 0; t < 5; t++) {
      for (int i = 0; i < 5; i++) {
        topics[t][t * 5 + i] = 0.2; // row t
        topics[5 + t][i * 5 + t] = 0.2; // column t
      }
    }
    return topics;
  }

  /** {@code n} documents of {@code length} words, mixtures from Dirichlet({@code alpha}). */
  public static BarsCorpus generate(int n, int length, double alpha, long seed) {
    Random random = new Random(seed);
    double[][] topics = topics();
    List<FeatureVector> documents = new ArrayList<>(n);
    double[][] mixtures = new double[n][];
    for (int d = 0; d < n; d++) {
      double[] theta = dirichlet(alpha, TOPICS, random);
      mixtures[d] = theta;
      double[] counts = new double[WORDS];
      for (int i = 0; i < length; i++) {
        int topic = draw(theta, random);
        counts[draw(topics[topic], random)]++;
      }
      int stored = 0;
      for (double c : counts) {
        stored += c > 0 ? 1 : 0;
      }
      int[] indices = new int[stored];
      double[] values = new double[stored];
      int at = 0;
      for (int w = 0; w < WORDS; w++) {
        if (counts[w] > 0) {
          indices[at] = w;
          values[at++] = counts[w];
        }
      }
      documents.add(FeatureVector.sparse(WORDS, indices, values));
    }
    return new BarsCorpus(documents, mixtures);
  }

  public List<FeatureVector> documents() {
    return documents;
  }

  /** The mixture each document was drawn from. */
  public double[][] mixtures() {
    return mixtures;
  }

  /** Cosine similarity of two vectors. */
  public static double cosine(double[] a, double[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }

  /**
   * For each true topic, the learned topic most similar to it (by cosine), or -1 when none reaches
   * {@code threshold}.
   */
  public static int[] match(double[][] learned, double threshold) {
    double[][] truth = topics();
    int[] out = new int[truth.length];
    for (int t = 0; t < truth.length; t++) {
      out[t] = -1;
      double best = threshold;
      for (int l = 0; l < learned.length; l++) {
        double c = cosine(truth[t], learned[l]);
        if (c >= best) {
          best = c;
          out[t] = l;
        }
      }
    }
    return out;
  }

  private static double[] dirichlet(double alpha, int k, Random random) {
    double[] x = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      x[i] = gamma(alpha, random);
      sum += x[i];
    }
    for (int i = 0; i < k; i++) {
      x[i] /= sum;
    }
    return x;
  }

  /** Gamma(shape, 1) by Marsaglia and Tsang (boosted for shape below 1). */
  private static double gamma(double shape, Random random) {
    if (shape < 1) {
      return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  private static int draw(double[] p, Random random) {
    double u = random.nextDouble();
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += p[i];
      if (u < s) {
        return i;
      }
    }
    return p.length - 1;
  }
}
