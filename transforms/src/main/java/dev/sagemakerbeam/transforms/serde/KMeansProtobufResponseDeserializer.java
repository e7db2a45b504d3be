package dev.sagemakerbeam.transforms.serde;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;

/** K-Means protobuf responses: labels {@code closest_cluster} and {@code distance_to_cluster}. */
public final class KMeansProtobufResponseDeserializer
    implements ResponseDeserializer<KMeansPrediction> {
  private static final long serialVersionUID = 1L;
  public static final String CLOSEST_CLUSTER = "closest_cluster";
  public static final String DISTANCE_TO_CLUSTER = "distance_to_cluster";

  @Override
  public String accept() {
    return ProtobufResponseDeserializer.ACCEPT;
  }

  @Override
  public List<KMeansPrediction> deserialize(byte[] body) {
    List<AmazonRecord> records = ProtobufResponseDeserializer.readRecords(body);
    List<KMeansPrediction> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      AmazonRecord r = records.get(i);
      out.add(
          new KMeansPrediction(
              scalar(
                  ProtobufResponseDeserializer.requireLabel(r, i, CLOSEST_CLUSTER).values(),
                  i,
                  CLOSEST_CLUSTER),
              scalar(
                  ProtobufResponseDeserializer.requireLabel(r, i, DISTANCE_TO_CLUSTER).values(),
                  i,
                  DISTANCE_TO_CLUSTER)));
    }
    return out;
  }

  private static double scalar(double[] values, int index, String key) {
    if (values.length != 1) {
      throw new IllegalArgumentException(
          "response record "
              + index
              + " label '"
              + key
              + "' has "
              + values.length
              + " values; expected 1");
    }
    return values[0];
  }

  @Override
  public Coder<KMeansPrediction> predictionCoder() {
    return PredictionCoders.KMeansPredictionCoder.of();
  }
}
