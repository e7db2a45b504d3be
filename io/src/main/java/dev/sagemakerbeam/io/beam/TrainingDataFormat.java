package dev.sagemakerbeam.io.beam;

import org.apache.beam.sdk.io.FileIO;

/**
 * The file formats SageMaker algorithms train on, each with its channel content type, a file name
 * suffix and the {@link FileIO.Sink} that writes it.
 */
public enum TrainingDataFormat {
  /** RecordIO-wrapped Amazon Record protobuf, what most built-in algorithms read. */
  RECORDIO_PROTOBUF("application/x-recordio-protobuf", ".pbr"),
  /** LibSVM text: {@code label index:value ...}, indices 1-based (XGBoost-style algorithms). */
  LIBSVM("text/libsvm", ".libsvm"),
  /** CSV text without a header: the label first (when there is one), then every feature. */
  CSV("text/csv", ".csv");

  private final String contentType;
  private final String suffix;

  TrainingDataFormat(String contentType, String suffix) {
    this.contentType = contentType;
    this.suffix = suffix;
  }

  /** The {@code ContentType} of a training channel holding files of this format. */
  public String contentType() {
    return contentType;
  }

  /** Default file name suffix. */
  public String suffix() {
    return suffix;
  }

  /** A new sink writing this format. */
  public FileIO.Sink<LabeledExample> sink() {
    switch (this) {
      case RECORDIO_PROTOBUF:
        return new AmazonRecordSink();
      case LIBSVM:
        return new LibSvmSink();
      default:
        return new CsvSink();
    }
  }
}
