package dev.sagemakerbeam.local.tuning;

import dev.sagemakerbeam.local.tuning.ParameterSpace.CategoricalRange;
import dev.sagemakerbeam.local.tuning.ParameterSpace.Range;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * Bayesian: sequential model-based optimisation. After a few random jobs, a Gaussian process
 * (Matérn 5/2 kernel over the ranges scaled to [0,1], categoricals one-hot; length scale and noise
 * chosen by marginal likelihood over a small grid) is fitted to the standardised objective, and the
 * next job is the candidate with the largest expected improvement among random points of the space
 * and perturbations of the best points so far. Jobs still running count as observed at the mean
 * ("constant liar"), so parallel jobs spread out.
 */
final class BayesianSearch implements SearchStrategy {
  private static final double[] LENGTH_SCALES = {0.05, 0.1, 0.15, 0.25, 0.4, 0.6, 1.0, 1.5};
  private static final double[] NOISES = {1e-6, 1e-4, 1e-2};
  private static final int RANDOM_CANDIDATES = 1500;
  private static final int LOCAL_CANDIDATES = 500;
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

  private final ParameterSpace space;
  private final Random random;
  private final int initialRandom;
  private final Set<Map<String, String>> tried = new HashSet<>();

  BayesianSearch(ParameterSpace space, long seed, int budget) {
    this.space = space;
    this.random = new Random(seed);
    int wanted = Math.max(3, Math.min(10, space.ranges().size() + 2));
    this.initialRandom = Math.max(1, Math.min(wanted, budget / 2));
  }

  @Override
  public Map<String, String> next(List<Observation> observed, List<Map<String, String>> pending) {
    if (space.isDiscrete() && tried.size() >= space.combinations()) {
      return null;
    }
    if (observed.size() < initialRandom || tried.size() < initialRandom) {
      return RandomSearch.draw(space, random, tried);
    }
    Map<String, String> chosen = maximiseExpectedImprovement(observed, pending);
    if (chosen == null) {
      return RandomSearch.draw(space, random, tried);
    }
    tried.add(chosen);
    return chosen;
  }

  private Map<String, String> maximiseExpectedImprovement(
      List<Observation> observed, List<Map<String, String>> pending) {
    int n = observed.size();
    double mean = observed.stream().mapToDouble(Observation::loss).average().orElse(0);
    double variance =
        observed.stream().mapToDouble(o -> (o.loss() - mean) * (o.loss() - mean)).sum()
            / Math.max(1, n - 1);
    double scale = variance > 0 ? Math.sqrt(variance) : 1;
    List<double[]> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    for (Observation o : observed) {
      xs.add(space.encode(o.values()));
      double y = (o.loss() - mean) / scale;
      ys.add(y);
      best = Math.min(best, y);
    }
    for (Map<String, String> p : pending) {
      xs.add(space.encode(p));
      ys.add(0.0); // the liar: a running job is taken to land at the mean
    }
    GaussianProcess gp = GaussianProcess.fit(xs, ys);
    if (gp == null) {
      return null;
    }

    List<double[]> candidates = new ArrayList<>();
    for (int i = 0; i < RANDOM_CANDIDATES; i++) {
      candidates.add(space.randomPoint(random));
    }
    List<Observation> ranked = new ArrayList<>(observed);
    ranked.sort(Comparator.comparingDouble(Observation::loss));
    for (int i = 0; i < LOCAL_CANDIDATES; i++) {
      double[] centre = space.encode(ranked.get(i % Math.min(3, ranked.size())).values());
      candidates.add(perturb(centre, 0.02 + 0.1 * random.nextDouble()));
    }
    Map<String, String> chosen = null;
    double bestImprovement = Double.NEGATIVE_INFINITY;
    for (double[] x : candidates) {
      Map<String, String> values = space.decode(x);
      if (tried.contains(values)) {
        continue;
      }
      double[] prediction = gp.predict(x);
      double improvement = expectedImprovement(prediction[0], prediction[1], best);
      if (improvement > bestImprovement) {
        bestImprovement = improvement;
        chosen = values;
      }
    }
    return chosen;
  }

  private double[] perturb(double[] centre, double sigma) {
    double[] x = centre.clone();
    int offset = 0;
    for (Range range : space.ranges()) {
      if (range instanceof CategoricalRange c) {
        if (random.nextDouble() < 0.2) {
          java.util.Arrays.fill(x, offset, offset + c.width(), 0);
          x[offset + random.nextInt(c.width())] = 1;
        }
      } else {
        x[offset] = Math.min(1, Math.max(0, x[offset] + sigma * random.nextGaussian()));
      }
      offset += range.width();
    }
    return space.encode(space.decode(x));
  }

  /** EI of a minimisation at a point with posterior mean {@code mu} and deviation {@code sigma}. */
  static double expectedImprovement(double mu, double sigma, double best) {
    double gain = best - mu;
    if (sigma < 1e-12) {
      return Math.max(0, gain);
    }
    double z = gain / sigma;
    return gain * STANDARD_NORMAL.cumulativeProbability(z) + sigma * STANDARD_NORMAL.density(z);
  }

  /** A zero-mean, unit-amplitude Gaussian process with a Matérn 5/2 kernel. */
  static final class GaussianProcess {
    private final List<double[]> xs;
    private final double lengthScale;
    private final RealMatrix lower;
    private final RealVector alpha;

    private GaussianProcess(
        List<double[]> xs, double lengthScale, RealMatrix lower, RealVector alpha) {
      this.xs = xs;
      this.lengthScale = lengthScale;
      this.lower = lower;
      this.alpha = alpha;
    }

    /** The fit of largest marginal likelihood over the grid of length scales and noises. */
    static GaussianProcess fit(List<double[]> xs, List<Double> ys) {
      int n = xs.size();
      RealVector y = new ArrayRealVector(ys.stream().mapToDouble(Double::doubleValue).toArray());
      GaussianProcess best = null;
      double bestLikelihood = Double.NEGATIVE_INFINITY;
      for (double lengthScale : LENGTH_SCALES) {
        for (double noise : NOISES) {
          RealMatrix k = new Array2DRowRealMatrix(n, n);
          for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
              double v = matern52(xs.get(i), xs.get(j), lengthScale);
              k.setEntry(i, j, v);
              k.setEntry(j, i, v);
            }
            k.addToEntry(i, i, noise);
          }
          CholeskyDecomposition cholesky;
          try {
            cholesky = new CholeskyDecomposition(k, 1e-12, 1e-12);
          } catch (NonPositiveDefiniteMatrixException e) {
            continue;
          }
          RealVector alpha = cholesky.getSolver().solve(y);
          RealMatrix lower = cholesky.getL();
          double logDet = 0;
          for (int i = 0; i < n; i++) {
            logDet += Math.log(lower.getEntry(i, i));
          }
          double likelihood = -0.5 * y.dotProduct(alpha) - logDet;
          if (likelihood > bestLikelihood) {
            bestLikelihood = likelihood;
            best = new GaussianProcess(xs, lengthScale, lower, alpha);
          }
        }
      }
      return best;
    }

    /** Posterior mean and standard deviation at {@code x}. */
    double[] predict(double[] x) {
      int n = xs.size();
      double[] k = new double[n];
      for (int i = 0; i < n; i++) {
        k[i] = matern52(x, xs.get(i), lengthScale);
      }
      RealVector kv = new ArrayRealVector(k);
      double mu = kv.dotProduct(alpha);
      RealVector v = kv.copy();
      MatrixUtils.solveLowerTriangularSystem(lower, v);
      double variance = Math.max(1e-12, 1 - v.dotProduct(v));
      return new double[] {mu, Math.sqrt(variance)};
    }

    static double matern52(double[] a, double[] b, double lengthScale) {
      double sum = 0;
      for (int i = 0; i < a.length; i++) {
        double d = a[i] - b[i];
        sum += d * d;
      }
      double r = Math.sqrt(5 * sum) / lengthScale;
      return (1 + r + r * r / 3) * Math.exp(-r);
    }
  }
}
