package dev.sagemakerbeam.local.tuning;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random: each job's hyperparameters drawn independently and uniformly in the scaled space (so a
 * Logarithmic range is uniform in the logarithm). In a space of integers and categories only, no
 * combination is tried twice.
 */
final class RandomSearch implements SearchStrategy {
  private final ParameterSpace space;
  private final Random random;
  private final Set<Map<String, String>> tried = new HashSet<>();

  RandomSearch(ParameterSpace space, long seed) {
    this.space = space;
    this.random = new Random(seed);
  }

  @Override
  public Map<String, String> next(List<Observation> observed, List<Map<String, String>> pending) {
    return draw(space, random, tried);
  }

  /** A uniform point not in {@code tried} when the space is discrete; null when none is left. */
  static Map<String, String> draw(
      ParameterSpace space, Random random, Set<Map<String, String>> tried) {
    boolean discrete = space.isDiscrete();
    if (discrete && tried.size() >= space.combinations()) {
      return null;
    }
    Map<String, String> values = space.decode(space.randomPoint(random));
    for (int attempt = 0; discrete && tried.contains(values) && attempt < 10_000; attempt++) {
      values = space.decode(space.randomPoint(random));
    }
    tried.add(values);
    return values;
  }
}
