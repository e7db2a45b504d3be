package dev.sagemakerbeam.transforms.serde;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.transforms.inference.RequestSerializer;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Rows as LibSVM lines ({@code text/libsvm}): {@code <label> <index>:<value> ...} with 1-based
 * indices and zeros left out. The unlabelled form writes only the {@code index:value} pairs.
 */
public final class LibSvmRequestSerializer<T> implements RequestSerializer<T> {
  private static final long serialVersionUID = 1L;
  public static final String CONTENT_TYPE = "text/libsvm";

  private final SerializableFunction<T, FeatureVector> features;
  private final SerializableFunction<T, Double> label; // null: unlabelled

  private LibSvmRequestSerializer(
      SerializableFunction<T, FeatureVector> features, SerializableFunction<T, Double> label) {
    this.features = features;
    this.label = label;
  }

  public static <T> LibSvmRequestSerializer<T> labelled(
      SerializableFunction<T, FeatureVector> features, SerializableFunction<T, Double> label) {
    if (label == null) {
      throw new IllegalArgumentException(
          "a labelled LibSVM serializer needs a label function; use unlabelled(...)");
    }
    return new LibSvmRequestSerializer<>(features, label);
  }

  public static <T> LibSvmRequestSerializer<T> unlabelled(
      SerializableFunction<T, FeatureVector> features) {
    return new LibSvmRequestSerializer<>(features, null);
  }

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public byte[] serialize(T element) {
    FeatureVector v = features.apply(element);
    if (v == null) {
      throw new IllegalArgumentException("the feature extractor returned null for " + element);
    }
    StringBuilder sb = new StringBuilder(v.numStored() * 8 + 8);
    boolean first = true;
    if (label != null) {
      Double l = label.apply(element);
      if (l == null) {
        throw new IllegalArgumentException(
            "the label function returned null for "
                + element
                + "; use LibSvmRequestSerializer.unlabelled for rows without labels");
      }
      TextRows.appendNumber(sb, l);
      first = false;
    }
    double[] values = v.values();
    int[] indices = v.indices();
    for (int i = 0; i < values.length; i++) {
      if (values[i] == 0.0) {
        continue;
      }
      if (!first) {
        sb.append(' ');
      }
      first = false;
      sb.append((indices == null ? i : indices[i]) + 1).append(':');
      TextRows.appendNumber(sb, values[i]);
    }
    sb.append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
