package dev.sagemakerbeam.transforms.serde;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;

/**
 * LDA protobuf responses: each record's {@code topic_mixture} label, as an {@link LdaPrediction} (a
 * vector even for a single topic).
 */
public final class LdaProtobufResponseDeserializer implements ResponseDeserializer<LdaPrediction> {
  private static final long serialVersionUID = 1L;
  public static final String TOPIC_MIXTURE = "topic_mixture";

  @Override
  public String accept() {
    return ProtobufResponseDeserializer.ACCEPT;
  }

  @Override
  public List<LdaPrediction> deserialize(byte[] body) {
    List<AmazonRecord> records = ProtobufResponseDeserializer.readRecords(body);
    List<LdaPrediction> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      out.add(
          new LdaPrediction(
              ProtobufResponseDeserializer.requireLabel(records.get(i), i, TOPIC_MIXTURE)
                  .values()));
    }
    return out;
  }

  @Override
  public Coder<LdaPrediction> predictionCoder() {
    return PredictionCoders.LdaPredictionCoder.of();
  }
}
