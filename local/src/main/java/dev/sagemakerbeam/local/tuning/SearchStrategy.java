package dev.sagemakerbeam.local.tuning;

import java.util.List;
import java.util.Map;

/**
 * How a tuning job chooses the hyperparameters of its next training job
 * (HyperParameterTuningJobConfig Strategy): {@link GridSearch}, {@link RandomSearch} or {@link
 * BayesianSearch}. Deterministic for a given RandomSeed and order of results.
 */
interface SearchStrategy {

  /**
   * A finished training job whose objective was read.
   *
   * @param values its tuned hyperparameters
   * @param loss the objective, turned so that smaller is better (negated for Maximize)
   */
  record Observation(Map<String, String> values, double loss) {}

  /**
   * The tuned hyperparameters of the next training job, or null when the strategy has nothing left
   * to try.
   *
   * @param observed finished jobs that reported the objective, in the order they finished
   * @param pending the hyperparameters of the jobs still running
   */
  Map<String, String> next(List<Observation> observed, List<Map<String, String>> pending);

  /** The strategy named by {@code Strategy}. */
  static SearchStrategy of(String strategy, ParameterSpace space, long seed, int budget) {
    switch (strategy) {
      case "Grid":
        return new GridSearch(space);
      case "Random":
        return new RandomSearch(space, seed);
      default:
        return new BayesianSearch(space, seed, budget);
    }
  }
}
