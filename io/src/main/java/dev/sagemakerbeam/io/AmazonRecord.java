package dev.sagemakerbeam.io;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalDouble;

/** A decoded Amazon Record: feature and label tensors by key, plus the optional string fields. */
public final class AmazonRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, Tensor> features;
  private final Map<String, Tensor> label;
  private final String uid;
  private final String metadata;
  private final String configuration;

  public AmazonRecord(
      Map<String, Tensor> features,
      Map<String, Tensor> label,
      String uid,
      String metadata,
      String configuration) {
    this.features = Collections.unmodifiableMap(features);
    this.label = Collections.unmodifiableMap(label);
    this.uid = uid;
    this.metadata = metadata;
    this.configuration = configuration;
  }

  public Map<String, Tensor> features() {
    return features;
  }

  public Map<String, Tensor> label() {
    return label;
  }

  /** The feature vector under {@code features["values"]}, or null if the record has none. */
  public FeatureVector featureVector() {
    Tensor t = features.get(AmazonRecordEncoder.VALUES_KEY);
    return t == null ? null : t.toFeatureVector();
  }

  /** The first value of {@code label["values"]}, empty if there is none. */
  public OptionalDouble scalarLabel() {
    Tensor t = label.get(AmazonRecordEncoder.VALUES_KEY);
    return t == null || t.values().length == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(t.values()[0]);
  }

  /** The label tensor under {@code key} (for example {@code closest_cluster}), or null. */
  public Tensor label(String key) {
    return label.get(key);
  }

  public String uid() {
    return uid;
  }

  public String metadata() {
    return metadata;
  }

  public String configuration() {
    return configuration;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AmazonRecord)) {
      return false;
    }
    AmazonRecord r = (AmazonRecord) o;
    return features.equals(r.features)
        && label.equals(r.label)
        && java.util.Objects.equals(uid, r.uid)
        && java.util.Objects.equals(metadata, r.metadata)
        && java.util.Objects.equals(configuration, r.configuration);
  }

  @Override
  public int hashCode() {
    return features.hashCode() * 31 + label.hashCode();
  }

  @Override
  public String toString() {
    return "AmazonRecord(features="
        + features
        + ", label="
        + label
        + (uid != null ? ", uid=" + uid : "")
        + ")";
  }
}
