package dev.sagemakerbeam.transforms.serde;

import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DoubleCoder;

/**
 * CSV responses with one value per row ({@code text/csv}), as XGBoost and linear models answer:
 * values separated by newlines or commas.
 */
public final class CsvResponseDeserializer implements ResponseDeserializer<Double> {
  private static final long serialVersionUID = 1L;

  @Override
  public String accept() {
    return "text/csv";
  }

  @Override
  public List<Double> deserialize(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    List<Double> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == ',' || text.charAt(i) == '\n') {
        String token = text.substring(start, i).trim();
        if (!token.isEmpty()) {
          try {
            out.add(Double.parseDouble(token));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "CSV response value " + out.size() + " '" + token + "' is not a number", e);
          }
        }
        start = i + 1;
      }
    }
    return out;
  }

  @Override
  public Coder<Double> predictionCoder() {
    return DoubleCoder.of();
  }
}
