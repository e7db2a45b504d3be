package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.io.beam.TrainingDataFormat;
import java.util.Locale;

/**
 * Maps the original library's {@code trainingSparkDataFormat} names to the shared training data
 * formats.
 */
final class StagingFormat {
  private StagingFormat() {}

  static TrainingDataFormat of(String sparkFormat) {
    if (sparkFormat == null) {
      throw new IllegalArgumentException(
          "trainingSparkDataFormat must not be null; use sagemaker, libsvm or csv");
    }
    switch (sparkFormat.toLowerCase(Locale.ROOT)) {
      case "sagemaker":
        return TrainingDataFormat.RECORDIO_PROTOBUF;
      case "libsvm":
        return TrainingDataFormat.LIBSVM;
      case "csv":
        return TrainingDataFormat.CSV;
      default:
        throw new IllegalArgumentException(
            "trainingSparkDataFormat '"
                + sparkFormat
                + "' is not supported; use sagemaker (RecordIO-protobuf), libsvm or csv");
    }
  }
}
