package dev.sagemakerbeam.local.tuning;

import dev.sagemakerbeam.local.tuning.ParameterSpace.CategoricalRange;
import dev.sagemakerbeam.local.tuning.ParameterSpace.NumericRange;
import dev.sagemakerbeam.local.tuning.ParameterSpace.Range;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grid: every combination of the categorical values exactly once, in order (the last range varies
 * fastest).
 */
final class GridSearch implements SearchStrategy {
  private final ParameterSpace space;
  private final long combinations;
  private long index;

  GridSearch(ParameterSpace space) {
    this.space = space;
    this.combinations = space.combinations();
  }

  @Override
  public Map<String, String> next(List<Observation> observed, List<Map<String, String>> pending) {
    if (index >= combinations) {
      return null;
    }
    long rest = index++;
    List<Range> ranges = space.ranges();
    String[] values = new String[ranges.size()];
    for (int i = ranges.size() - 1; i >= 0; i--) {
      Range range = ranges.get(i);
      if (range instanceof CategoricalRange c) {
        values[i] = c.values().get((int) (rest % c.values().size()));
        rest /= c.values().size();
      } else {
        NumericRange n = (NumericRange) range;
        long k = (long) (n.max() - n.min()) + 1;
        values[i] = Long.toString((long) n.min() + rest % k);
        rest /= k;
      }
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (int i = 0; i < ranges.size(); i++) {
      result.put(ranges.get(i).name(), values[i]);
    }
    return result;
  }
}
