package dev.sagemakerbeam.transforms.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * JSON responses ({@code application/json}): the array under a key (by default {@code predictions},
 * as built-in algorithms answer) or a top-level array; each element is kept as its JSON text.
 */
public final class JsonResponseDeserializer implements ResponseDeserializer<String> {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String arrayKey;

  private JsonResponseDeserializer(String arrayKey) {
    this.arrayKey = arrayKey;
  }

  /** Reads {@code {"predictions":[...]}}. */
  public static JsonResponseDeserializer predictions() {
    return new JsonResponseDeserializer("predictions");
  }

  /** Reads the array under {@code key}, or a top-level array. */
  public static JsonResponseDeserializer arrayUnder(String key) {
    return new JsonResponseDeserializer(key);
  }

  @Override
  public String accept() {
    return "application/json";
  }

  @Override
  public List<String> deserialize(byte[] body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("the JSON response is not valid JSON", e);
    }
    JsonNode array =
        root != null && root.isArray() ? root : root == null ? null : root.get(arrayKey);
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException(
          "the JSON response has no array under \"" + arrayKey + "\" and is not an array itself");
    }
    List<String> out = new ArrayList<>(array.size());
    for (JsonNode element : array) {
      out.add(element.toString());
    }
    return out;
  }

  @Override
  public Coder<String> predictionCoder() {
    return StringUtf8Coder.of();
  }
}
