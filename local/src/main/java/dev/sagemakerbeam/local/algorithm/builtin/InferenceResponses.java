package dev.sagemakerbeam.local.algorithm.builtin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sagemakerbeam.io.RecordIoWriter;
import dev.sagemakerbeam.io.protobuf.AmazonRecordProtos;
import dev.sagemakerbeam.local.algorithm.ModelWorker.Invocation;
import dev.sagemakerbeam.local.algorithm.ModelWorker.ModelError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a built-in algorithm's answers in the Accept type asked for, as SageMaker's built-ins do.
 * Each row has the same named outputs, each a scalar ({@code closest_cluster}) or a vector ({@code
 * projection}):
 *
 * <ul>
 *   <li>{@code application/json} (the default, also for a missing Accept or {@code *}{@code /*}):
 *       {@code {"predictions": [{"closest_cluster": 1.0, "distance_to_cluster": 3.0}, ...]}}, for
 *       PCA {@code {"projections": [{"projection": [...]}, ...]}};
 *   <li>{@code application/jsonlines}: one such object per line;
 *   <li>{@code application/x-recordio-protobuf}: one Amazon Record per row with the outputs in
 *       {@code label} under their names as float32 tensors;
 *   <li>{@code text/csv}: the outputs of a row as one line.
 * </ul>
 */
final class InferenceResponses {
  static final String JSON = "application/json";
  static final String JSON_LINES = "application/jsonlines";
  static final String RECORDIO_PROTOBUF = "application/x-recordio-protobuf";
  static final String CSV = "text/csv";

  private static final JsonFactory JSON_FACTORY = new JsonFactory();

  /**
   * The rows' outputs: {@code values[row][output]}, a single value for a scalar output.
   *
   * @param jsonList the key of the list in a JSON answer: {@code predictions} for most built-ins,
   *     {@code projections} for PCA (as SageMaker's response format pages show them)
   */
  record Outputs(String jsonList, String[] names, boolean[] scalar, float[][][] values) {}

  private InferenceResponses() {}

  /** The response type for {@code accept}: the first type of the list that is supported. */
  static String responseType(String accept) throws ModelError {
    if (accept == null || accept.isBlank()) {
      return JSON;
    }
    for (String part : accept.split(",")) {
      String type = MediaType.parse(part).type();
      switch (type) {
        case "*/*":
        case "application/*":
        case JSON:
          return JSON;
        case JSON_LINES:
        case "application/json-lines":
        case "application/x-jsonlines":
          return JSON_LINES;
        case RECORDIO_PROTOBUF:
          return RECORDIO_PROTOBUF;
        case CSV:
        case "text/*":
          return CSV;
        default:
          break;
      }
    }
    throw new ModelError(
        406,
        "Accept \""
            + accept
            + "\" is not supported; use application/json,"
            + " application/jsonlines, application/x-recordio-protobuf or text/csv");
  }

  static Invocation write(String responseType, Outputs outputs) {
    try {
      switch (responseType) {
        case RECORDIO_PROTOBUF:
          return new Invocation(recordIo(outputs), RECORDIO_PROTOBUF);
        case CSV:
          return new Invocation(csv(outputs), CSV);
        case JSON_LINES:
          return new Invocation(json(outputs, true), JSON_LINES);
        default:
          return new Invocation(json(outputs, false), JSON);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
  }

  private static byte[] json(Outputs outputs, boolean lines) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + outputs.values().length * 48);
    try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
      g.setRootValueSeparator(null); // JSON lines: the newline alone separates the objects
      if (!lines) {
        g.writeStartObject();
        g.writeFieldName(outputs.jsonList());
        g.writeStartArray();
      }
      for (float[][] row : outputs.values()) {
        g.writeStartObject();
        for (int o = 0; o < outputs.names().length; o++) {
          g.writeFieldName(outputs.names()[o]);
          if (outputs.scalar()[o]) {
            g.writeNumber(row[o][0]);
          } else {
            g.writeStartArray();
            for (float v : row[o]) {
              g.writeNumber(v);
            }
            g.writeEndArray();
          }
        }
        g.writeEndObject();
        if (lines) {
          g.writeRaw('\n');
        }
      }
      if (!lines) {
        g.writeEndArray();
        g.writeEndObject();
      }
    }
    return out.toByteArray();
  }

  private static byte[] csv(Outputs outputs) {
    StringBuilder sb = new StringBuilder(outputs.values().length * 24);
    for (float[][] row : outputs.values()) {
      boolean first = true;
      for (float[] output : row) {
        for (float v : output) {
          if (!first) {
            sb.append(',');
          }
          sb.append(v);
          first = false;
        }
      }
      sb.append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] recordIo(Outputs outputs) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + outputs.values().length * 40);
    try (RecordIoWriter writer = new RecordIoWriter(out)) {
      for (float[][] row : outputs.values()) {
        AmazonRecordProtos.Record.Builder record = AmazonRecordProtos.Record.newBuilder();
        for (int o = 0; o < outputs.names().length; o++) {
          AmazonRecordProtos.Float32Tensor.Builder tensor =
              AmazonRecordProtos.Float32Tensor.newBuilder();
          for (float v : row[o]) {
            tensor.addValues(v);
          }
          record.putLabel(
              outputs.names()[o],
              AmazonRecordProtos.Value.newBuilder().setFloat32Tensor(tensor).build());
        }
        writer.write(record.build().toByteArray());
      }
    }
    return out.toByteArray();
  }
}
