package dev.sagemakerbeam.transforms.serde;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;

/**
 * PCA protobuf responses: the {@code projection} label of each record, as a {@link PcaPrediction}.
 */
public final class PcaProtobufResponseDeserializer implements ResponseDeserializer<PcaPrediction> {
  private static final long serialVersionUID = 1L;
  public static final String PROJECTION = "projection";

  @Override
  public String accept() {
    return ProtobufResponseDeserializer.ACCEPT;
  }

  @Override
  public List<PcaPrediction> deserialize(byte[] body) {
    List<AmazonRecord> records = ProtobufResponseDeserializer.readRecords(body);
    List<PcaPrediction> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      out.add(
          new PcaPrediction(
              ProtobufResponseDeserializer.requireLabel(records.get(i), i, PROJECTION).values()));
    }
    return out;
  }

  @Override
  public Coder<PcaPrediction> predictionCoder() {
    return PredictionCoders.PcaPredictionCoder.of();
  }
}
