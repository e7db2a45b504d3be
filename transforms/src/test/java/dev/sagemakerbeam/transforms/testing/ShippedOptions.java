package dev.sagemakerbeam.transforms.testing;

import java.nio.charset.StandardCharsets;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.SerializableUtils;

/** Pipeline options as runners ship them to workers: Java-serialized JSON. */
public final class ShippedOptions {
  private ShippedOptions() {}

  /** The bytes a runner sends, as text (the JSON inside is ASCII for ASCII values). */
  public static String of(PipelineOptions options) {
    byte[] bytes = SerializableUtils.serializeToByteArray(new SerializablePipelineOptions(options));
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
