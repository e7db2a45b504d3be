package dev.sagemakerbeam.transforms.serde;

import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.ListCoder;

/**
 * CSV responses with one row of numbers per line ({@code text/csv}), as XGBoost answers for {@code
 * multi:softprob} (the class probabilities of a row on its line): a list of numbers per row.
 */
public final class CsvVectorResponseDeserializer implements ResponseDeserializer<List<Double>> {
  private static final long serialVersionUID = 1L;

  @Override
  public String accept() {
    return "text/csv";
  }

  @Override
  public List<List<Double>> deserialize(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    List<List<Double>> out = new ArrayList<>();
    int width = -1;
    for (String line : text.split("\r?\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.split(",");
      if (width >= 0 && fields.length != width) {
        throw new IllegalArgumentException(
            "CSV response line "
                + (out.size() + 1)
                + " has "
                + fields.length
                + " values where line 1 has "
                + width);
      }
      width = fields.length;
      List<Double> row = new ArrayList<>(fields.length);
      for (String f : fields) {
        try {
          row.add(Double.parseDouble(f.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "CSV response line " + (out.size() + 1) + " value '" + f + "' is not a number", e);
        }
      }
      out.add(row);
    }
    return out;
  }

  @Override
  public Coder<List<Double>> predictionCoder() {
    return ListCoder.of(DoubleCoder.of());
  }
}
