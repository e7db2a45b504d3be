package dev.sagemakerbeam.io.beam;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.FeatureVector;
import java.io.Serializable;
import java.util.Objects;
import java.util.OptionalDouble;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One training example: a feature vector and an optional scalar label. The element type of the
 * training-data sinks ({@link SageMakerRecordIO#write()}, {@link TrainingDataIO#write}) and of
 * {@link SageMakerRecordIO#readExamples()}.
 *
 * <p>Build it from Beam {@code Row}s with {@link LabeledExampleRows}. Immutable; the feature
 * vector's arrays are shared, not copied.
 */
@DefaultCoder(LabeledExampleCoder.class)
public final class LabeledExample implements Serializable {
  private static final long serialVersionUID = 1L;

  private final FeatureVector features;
  private final boolean hasLabel;
  private final double label;

  private LabeledExample(FeatureVector features, boolean hasLabel, double label) {
    if (features == null) {
      throw new IllegalArgumentException("a LabeledExample needs features; got null");
    }
    this.features = features;
    this.hasLabel = hasLabel;
    this.label = label;
  }

  /** An example with a label. */
  public static LabeledExample of(double label, FeatureVector features) {
    return new LabeledExample(features, true, label);
  }

  /** An example without a label (for unsupervised algorithms and inference). */
  public static LabeledExample unlabeled(FeatureVector features) {
    return new LabeledExample(features, false, 0.0);
  }

  /**
   * The example an Amazon Record holds: features from {@code features["values"]}, the label from
   * {@code label["values"]} when present.
   *
   * @throws IllegalArgumentException if the record has no {@code features["values"]}
   */
  public static LabeledExample fromRecord(AmazonRecord record) {
    FeatureVector features = record.featureVector();
    if (features == null) {
      throw new IllegalArgumentException(
          "Amazon Record has no features[\"values\"] tensor (feature keys: "
              + record.features().keySet()
              + "); read it with SageMakerRecordIO.read() to get the whole record");
    }
    OptionalDouble label = record.scalarLabel();
    return label.isPresent() ? of(label.getAsDouble(), features) : unlabeled(features);
  }

  public FeatureVector features() {
    return features;
  }

  public boolean hasLabel() {
    return hasLabel;
  }

  /** The label, or empty for an unlabelled example. */
  public OptionalDouble label() {
    return hasLabel ? OptionalDouble.of(label) : OptionalDouble.empty();
  }

  /**
   * The label of a labelled example.
   *
   * @throws IllegalStateException if the example has no label
   */
  public double labelValue() {
    if (!hasLabel) {
      throw new IllegalStateException("example has no label: " + this);
    }
    return label;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LabeledExample)) {
      return false;
    }
    LabeledExample other = (LabeledExample) o;
    return hasLabel == other.hasLabel
        && Double.compare(label, other.label) == 0
        && features.equals(other.features);
  }

  @Override
  public int hashCode() {
    return Objects.hash(features, hasLabel, label);
  }

  @Override
  public String toString() {
    return "LabeledExample("
        + (hasLabel ? "label=" + label + ", " : "unlabeled, ")
        + features
        + ")";
  }
}
