package dev.sagemakerbeam.transforms.serde;

import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoWriter;
import dev.sagemakerbeam.transforms.inference.RequestSerializer;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Rows as RecordIO-framed Amazon Record protobuf ({@code application/x-recordio-protobuf}), the
 * format SageMaker's built-in algorithms read: features under {@code features["values"]}, an
 * optional label under {@code label["values"]}. Encoding and framing are io's {@link
 * AmazonRecordEncoder} and {@link RecordIoWriter}.
 */
public final class RecordIoProtobufRequestSerializer<T> implements RequestSerializer<T> {
  private static final long serialVersionUID = 1L;
  public static final String CONTENT_TYPE = "application/x-recordio-protobuf";

  private final SerializableFunction<T, FeatureVector> features;
  private final SerializableFunction<T, Double> label; // null: unlabelled
  private transient AmazonRecordEncoder encoder;

  private RecordIoProtobufRequestSerializer(
      SerializableFunction<T, FeatureVector> features, SerializableFunction<T, Double> label) {
    this.features = features;
    this.label = label;
  }

  /** Unlabelled records of the vectors {@code features} extracts. */
  public static <T> RecordIoProtobufRequestSerializer<T> of(
      SerializableFunction<T, FeatureVector> features) {
    return new RecordIoProtobufRequestSerializer<>(features, null);
  }

  /** Records with a label (null label values are left out). */
  public static <T> RecordIoProtobufRequestSerializer<T> labelled(
      SerializableFunction<T, FeatureVector> features, SerializableFunction<T, Double> label) {
    return new RecordIoProtobufRequestSerializer<>(features, label);
  }

  /** For a {@code PCollection<FeatureVector>}. */
  public static RecordIoProtobufRequestSerializer<FeatureVector> forFeatureVectors() {
    return of(v -> v);
  }

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public byte[] serialize(T element) {
    FeatureVector vector = features.apply(element);
    if (vector == null) {
      throw new IllegalArgumentException("the feature extractor returned null for " + element);
    }
    if (encoder == null) {
      encoder = new AmazonRecordEncoder();
    }
    Double l = label == null ? null : label.apply(element);
    int length = l == null ? encoder.encode(vector) : encoder.encode(vector, l);
    return RecordIoWriter.frame(encoder.buffer(), 0, length);
  }
}
