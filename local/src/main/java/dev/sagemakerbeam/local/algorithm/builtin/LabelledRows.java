package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.io.FeatureVector;
import java.util.List;

/** A channel's rows held in memory with their labels as given. */
record LabelledRows(String name, List<FeatureVector> rows, double[] labels) {
  int size() {
    return labels.length;
  }
}
