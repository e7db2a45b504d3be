package dev.sagemakerbeam.io.testing;

import dev.sagemakerbeam.io.FeatureVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Sparse rows where only a pairwise interaction predicts the label: two categorical variables of
 * {@code levels} values each, one-hot encoded side by side ({@code 2 * levels} features, two of
 * them 1 in every row), and the label {@code (a + b) mod 2}. Each variable alone says nothing about
 * the label (every value is as often with label 0 as with 1), so a linear model scores about 0.5; a
 * factorization machine's pairwise term can represent it exactly.
 */
public final class InteractionData {
  private final List<FeatureVector> rows;
  private final double[] labels;

  private InteractionData(List<FeatureVector> rows, double[] labels) {
    this.rows = rows;
    this.labels = labels;
  }

  /** {@code n} rows drawn with {@code seed}. */
  public static InteractionData generate(int n, int levels, long seed) {
    Random random = new Random(seed);
    List<FeatureVector> rows = new ArrayList<>(n);
    double[] labels = new double[n];
    for (int i = 0; i < n; i++) {
      int a = random.nextInt(levels);
      int b = random.nextInt(levels);
      rows.add(FeatureVector.sparse(2 * levels, new int[] {a, levels + b}, new double[] {1, 1}));
      labels[i] = (a + b) % 2;
    }
    return new InteractionData(rows, labels);
  }

  public List<FeatureVector> rows() {
    return rows;
  }

  public double[] labels() {
    return labels;
  }

  public int size() {
    return rows.size();
  }
}
