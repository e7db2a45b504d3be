package dev.sagemakerbeam.transforms.serde;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.transforms.inference.RequestSerializer;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.transforms.SerializableFunction;

/** Rows as unlabelled CSV lines ({@code text/csv}): every dimension, sparse vectors densified. */
public final class CsvRequestSerializer<T> implements RequestSerializer<T> {
  private static final long serialVersionUID = 1L;
  public static final String CONTENT_TYPE = "text/csv";

  private final SerializableFunction<T, FeatureVector> features;

  private CsvRequestSerializer(SerializableFunction<T, FeatureVector> features) {
    this.features = features;
  }

  public static <T> CsvRequestSerializer<T> of(SerializableFunction<T, FeatureVector> features) {
    return new CsvRequestSerializer<>(features);
  }

  public static CsvRequestSerializer<FeatureVector> forFeatureVectors() {
    return of(v -> v);
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
    StringBuilder sb = new StringBuilder(v.size() * 4);
    for (int i = 0; i < v.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      TextRows.appendNumber(sb, v.get(i));
    }
    sb.append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
