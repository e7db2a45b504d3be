package dev.sagemakerbeam.transforms.serde;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;

/**
 * Protobuf responses of Linear Learner and Factorization Machines: each record's {@code score}
 * label (one value, or one per class for a multiclass classifier) and, for classifiers, {@code
 * predicted_label}. A record without {@code predicted_label} (a regressor's) gives a NaN predicted
 * label.
 */
public final class ScoredProtobufResponseDeserializer
    implements ResponseDeserializer<ScoredPrediction> {
  private static final long serialVersionUID = 1L;
  public static final String SCORE = "score";
  public static final String PREDICTED_LABEL = "predicted_label";

  @Override
  public String accept() {
    return ProtobufResponseDeserializer.ACCEPT;
  }

  @Override
  public List<ScoredPrediction> deserialize(byte[] body) {
    List<AmazonRecord> records = ProtobufResponseDeserializer.readRecords(body);
    List<ScoredPrediction> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      AmazonRecord r = records.get(i);
      double[] score = ProtobufResponseDeserializer.requireLabel(r, i, SCORE).values();
      double label = Double.NaN;
      if (r.label().containsKey(PREDICTED_LABEL)) {
        double[] values = ProtobufResponseDeserializer.requireLabel(r, i, PREDICTED_LABEL).values();
        if (values.length != 1) {
          throw new IllegalArgumentException(
              "response record "
                  + i
                  + " label '"
                  + PREDICTED_LABEL
                  + "' has "
                  + values.length
                  + " values; expected 1");
        }
        label = values[0];
      }
      out.add(new ScoredPrediction(score, label));
    }
    return out;
  }

  @Override
  public Coder<ScoredPrediction> predictionCoder() {
    return PredictionCoders.ScoredPredictionCoder.of();
  }
}
