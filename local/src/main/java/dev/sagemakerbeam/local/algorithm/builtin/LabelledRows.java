package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A channel's rows held in memory with their labels as given. */
record LabelledRows(String name, List<FeatureVector> rows, double[] labels) {

  /** An algorithm's rule for labels: null when {@code label} is fine, else what is wrong. */
  interface LabelRule {
    String problem(double label);
  }

  int size() {
    return labels.length;
  }

  /**
   * Reads channel {@code name} of {@code job} (null when the job has none) through {@link
   * TrainingDataReader#openLabelled}: every row must have {@code featureDim} features and a finite
   * label that {@code rule} accepts; a break fails naming the channel, the row and the fix.
   */
  static LabelledRows read(TrainingJobContext job, String name, int featureDim, LabelRule rule)
      throws AlgorithmException, InterruptedException {
    TrainingJobContext.Channel channel = job.channels().get(name);
    if (channel == null) {
      return null;
    }
    TrainingDataReader reader = TrainingDataReader.openLabelled(channel);
    List<FeatureVector> rows = new ArrayList<>();
    List<Double> labels = new ArrayList<>();
    long started = System.nanoTime();
    reader.forEachLabelledRow(
        (label, features) -> {
          long row = rows.size() + 1;
          if (features.size() != featureDim) {
            throw new AlgorithmException(
                String.format(
                    Locale.ROOT,
                    "Channel %s row %d has %d features but feature_dim is %d: set feature_dim"
                        + " = %d or fix the data",
                    name,
                    row,
                    features.size(),
                    featureDim,
                    features.size()));
          }
          String problem = Double.isFinite(label) ? rule.problem(label) : "labels must be finite";
          if (problem != null) {
            throw new AlgorithmException(
                "Channel " + name + " row " + row + " has label " + label + ": " + problem);
          }
          rows.add(features);
          labels.add(label);
          if (row % 100_000 == 0) {
            KMeansAlgorithm.checkStop(job, "reading channel " + name);
          }
        });
    if (rows.isEmpty()) {
      throw new AlgorithmException("Channel " + name + " holds no rows");
    }
    job.log()
        .accept(
            String.format(
                Locale.ROOT,
                "Read %d rows from channel %s in %.2f s",
                rows.size(),
                name,
                (System.nanoTime() - started) / 1e9));
    return new LabelledRows(name, rows, labels.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
