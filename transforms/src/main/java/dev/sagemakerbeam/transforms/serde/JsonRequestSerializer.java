package dev.sagemakerbeam.transforms.serde;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.transforms.inference.RequestSerializer;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Rows in the JSON request format of SageMaker's built-in algorithms ({@code application/json}):
 * {@code {"instances":[{"features":[...]}, ...]}}; a sparse vector is written as {@code
 * {"data":{"features":{"keys":[...],"shape":[n],"values":[...]}}}}.
 */
public final class JsonRequestSerializer<T> implements RequestSerializer<T> {
  private static final long serialVersionUID = 1L;
  public static final String CONTENT_TYPE = "application/json";
  private static final byte[] PREFIX = "{\"instances\":[".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SEPARATOR = {','};
  private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.UTF_8);

  private final SerializableFunction<T, FeatureVector> features;

  private JsonRequestSerializer(SerializableFunction<T, FeatureVector> features) {
    this.features = features;
  }

  public static <T> JsonRequestSerializer<T> of(SerializableFunction<T, FeatureVector> features) {
    return new JsonRequestSerializer<>(features);
  }

  public static JsonRequestSerializer<FeatureVector> forFeatureVectors() {
    return of(v -> v);
  }

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public byte[] bodyPrefix() {
    return PREFIX.clone();
  }

  @Override
  public byte[] rowSeparator() {
    return SEPARATOR.clone();
  }

  @Override
  public byte[] bodySuffix() {
    return SUFFIX.clone();
  }

  @Override
  public byte[] serialize(T element) {
    FeatureVector v = features.apply(element);
    if (v == null) {
      throw new IllegalArgumentException("the feature extractor returned null for " + element);
    }
    StringBuilder sb = new StringBuilder(v.numStored() * 6 + 32);
    if (v.isSparse()) {
      sb.append("{\"data\":{\"features\":{\"keys\":[");
      int[] indices = v.indices();
      for (int i = 0; i < indices.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(indices[i]);
      }
      sb.append("],\"shape\":[").append(v.size()).append("],\"values\":");
      appendArray(sb, v.values());
      sb.append("}}}");
    } else {
      sb.append("{\"features\":");
      appendArray(sb, v.values());
      sb.append('}');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendArray(StringBuilder sb, double[] values) {
    sb.append('[');
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      TextRows.appendNumber(sb, values[i]);
    }
    sb.append(']');
  }
}
