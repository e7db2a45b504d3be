package dev.sagemakerbeam.io.beam;

import dev.sagemakerbeam.io.FeatureVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic example data whose values survive the float32 narrowing of Amazon Records; shared
 * with other modules' tests through io's test jar.
 */
public final class TrainingExamples {
  /**
   * Float bits of the RecordIO magic word: a payload holding it at an aligned offset is multi-part.
   */
  public static final double MAGIC_FLOAT = Float.intBitsToFloat(0xCED7230A);

  private TrainingExamples() {}

  public static List<LabeledExample> dense(int count, int dims, boolean labelled, long seed) {
    Random random = new Random(seed);
    List<LabeledExample> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double[] values = new double[dims];
      for (int d = 0; d < dims; d++) {
        values[d] = (float) random.nextGaussian();
      }
      if (i % 7 == 3 && dims > 2) {
        // put the magic word in several places so some payloads hold it at an aligned offset
        values[1] = MAGIC_FLOAT;
        values[2] = MAGIC_FLOAT;
      }
      FeatureVector v = FeatureVector.dense(values);
      out.add(labelled ? LabeledExample.of(i % 10, v) : LabeledExample.unlabeled(v));
    }
    return out;
  }

  public static List<LabeledExample> sparse(
      int count, int size, int nonZeros, boolean labelled, long seed) {
    Random random = new Random(seed);
    List<LabeledExample> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int[] indices = random.ints(0, size).distinct().limit(nonZeros).sorted().toArray();
      double[] values = new double[indices.length];
      for (int k = 0; k < values.length; k++) {
        values[k] = (float) (random.nextDouble() * 255);
      }
      FeatureVector v = FeatureVector.sparse(size, indices, values);
      out.add(
          labelled ? LabeledExample.of(random.nextInt(3) - 1.5, v) : LabeledExample.unlabeled(v));
    }
    return out;
  }
}
