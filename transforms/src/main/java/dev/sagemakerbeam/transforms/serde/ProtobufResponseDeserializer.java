package dev.sagemakerbeam.transforms.serde;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.AmazonRecordDecoder;
import dev.sagemakerbeam.io.RecordIoReader;
import dev.sagemakerbeam.io.Tensor;
import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;

/**
 * Reads RecordIO-framed Amazon Record protobuf responses ({@code application/x-recordio-protobuf}),
 * one record per row, and keeps the label tensors under the given keys (for example {@code score},
 * {@code predicted_label}) as a {@link LabelValues}. Uses io's {@link RecordIoReader} and {@link
 * AmazonRecordDecoder}.
 */
public final class ProtobufResponseDeserializer implements ResponseDeserializer<LabelValues> {
  private static final long serialVersionUID = 1L;
  public static final String ACCEPT = "application/x-recordio-protobuf";

  private final String[] labelKeys;

  private ProtobufResponseDeserializer(String[] labelKeys) {
    this.labelKeys = labelKeys;
  }

  /** Keeps the label tensors under {@code labelKeys}; every key must be present in every record. */
  public static ProtobufResponseDeserializer forLabelKeys(String... labelKeys) {
    if (labelKeys == null || labelKeys.length == 0) {
      throw new IllegalArgumentException(
          "give at least one label key to read from the response records, e.g. \"score\"");
    }
    return new ProtobufResponseDeserializer(labelKeys.clone());
  }

  @Override
  public String accept() {
    return ACCEPT;
  }

  @Override
  public List<LabelValues> deserialize(byte[] body) {
    List<AmazonRecord> records = readRecords(body);
    List<LabelValues> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      Map<String, double[]> values = new LinkedHashMap<>();
      for (String key : labelKeys) {
        values.put(key, requireLabel(records.get(i), i, key).values());
      }
      out.add(new LabelValues(values));
    }
    return out;
  }

  @Override
  public Coder<LabelValues> predictionCoder() {
    return PredictionCoders.LabelValuesCoder.of();
  }

  /** Every record of a RecordIO protobuf body, in order. */
  static List<AmazonRecord> readRecords(byte[] body) {
    List<AmazonRecord> records = new ArrayList<>();
    try (RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(body))) {
      while (reader.next()) {
        records.add(AmazonRecordDecoder.decode(reader.buffer(), 0, reader.length()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading a RecordIO protobuf response", e);
    }
    return records;
  }

  static Tensor requireLabel(AmazonRecord record, int index, String key) {
    Tensor t = record.label(key);
    if (t == null) {
      throw new IllegalArgumentException(
          "response record "
              + index
              + " has no label '"
              + key
              + "'; it has "
              + Arrays.toString(record.label().keySet().toArray())
              + ". Check the deserializer matches the algorithm");
    }
    return t;
  }
}
