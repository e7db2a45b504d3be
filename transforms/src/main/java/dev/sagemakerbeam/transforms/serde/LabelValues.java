package dev.sagemakerbeam.transforms.serde;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import org.apache.beam.sdk.coders.DefaultCoder;

/** The label tensors of one protobuf response record, by key, values widened to double. */
@DefaultCoder(PredictionCoders.LabelValuesCoder.class)
public final class LabelValues implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Map<String, double[]> values;

  public LabelValues(Map<String, double[]> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public Map<String, double[]> asMap() {
    return values;
  }

  /** The values under {@code key}, or null. */
  public double[] get(String key) {
    return values.get(key);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LabelValues)) {
      return false;
    }
    Map<String, double[]> other = ((LabelValues) o).values;
    if (!values.keySet().equals(other.keySet())) {
      return false;
    }
    for (Map.Entry<String, double[]> e : values.entrySet()) {
      if (!Arrays.equals(e.getValue(), other.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return values.keySet().hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("LabelValues{");
    values.forEach((k, v) -> sb.append(k).append('=').append(Arrays.toString(v)).append(' '));
    return sb.append('}').toString();
  }
}
