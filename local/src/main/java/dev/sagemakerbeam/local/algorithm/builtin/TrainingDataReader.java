package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.AmazonRecordDecoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.MalformedRecordException;
import dev.sagemakerbeam.io.RecordIoFormatException;
import dev.sagemakerbeam.io.RecordIoReader;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext.Channel;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams the rows of one training channel, file by file, as the built-in algorithms read them.
 *
 * <p>Every regular file under the channel directory is read (recursively, in path order; hidden
 * files skipped), each one a stream: nothing is loaded whole. Content types:
 *
 * <ul>
 *   <li>{@code application/x-recordio-protobuf} (the default when the channel names none):
 *       RecordIO-framed Amazon Records, features under {@code features["values"]}, dense or sparse;
 *   <li>{@code text/libsvm}, {@code text/x-libsvm}, {@code libsvm}: {@code label index:value ...},
 *       1-based increasing indices; the label is ignored;
 *   <li>{@code text/csv}: one row per line, no header. SageMaker's CSV convention puts {@code
 *       label_size} label columns first, and its docs tell users of algorithms without a target
 *       (K-Means, PCA) to declare {@code label_size=0}; these algorithms therefore read every
 *       column as a feature unless the content type says {@code text/csv;label_size=N}.
 * </ul>
 *
 * CompressionType {@code Gzip} decompresses each file. Bad data fails with an {@link
 * AlgorithmException} naming the file, the line or record, and the problem; so does a row whose
 * number of features is not {@code feature_dim}.
 */
final class TrainingDataReader {

  /** Receives the rows one at a time; may end the read by throwing. */
  interface RowVisitor {
    void accept(FeatureVector row) throws AlgorithmException, InterruptedException;
  }

  /**
   * Receives labelled rows one at a time ({@link #openLabelled}): dense rows stay dense, zeros
   * included, as supervised algorithms such as XGBoost tell a stored zero from a missing value.
   */
  interface LabelledRowVisitor {
    void accept(double label, FeatureVector row) throws AlgorithmException, InterruptedException;
  }

  private enum Format {
    RECORDIO_PROTOBUF,
    LIBSVM,
    CSV
  }

  private final Channel channel;
  private final int featureDim;
  private final Format format;
  private final int labelColumns;
  private final boolean gzip;
  private final List<Path> files;
  private LabelledRowVisitor labelled; // set while forEachLabelledRow runs

  private TrainingDataReader(
      Channel channel,
      int featureDim,
      Format format,
      int labelColumns,
      boolean gzip,
      List<Path> files) {
    this.channel = channel;
    this.featureDim = featureDim;
    this.format = format;
    this.labelColumns = labelColumns;
    this.gzip = gzip;
    this.files = files;
  }

  /**
   * Opens a channel of labelled rows with any number of features (the data says how many): LibSVM
   * labels, the first CSV column ({@code label_size} 1, the default), an Amazon Record's {@code
   * label["values"]}.
   */
  static TrainingDataReader openLabelled(Channel channel) throws AlgorithmException {
    TrainingDataReader reader = open(channel, 0, 1);
    if (reader.format == Format.CSV && reader.labelColumns != 1) {
      throw new AlgorithmException(
          "Channel "
              + channel.name()
              + " has ContentType \""
              + channel.contentType()
              + "\"; this algorithm reads one label column, the first: give text/csv (or"
              + " text/csv;label_size=1)");
    }
    return reader;
  }

  /** Whether the channel is LibSVM text, which some algorithms do not read. */
  boolean isLibSvm() {
    return format == Format.LIBSVM;
  }

  /** Checks the channel's content type and compression and lists its files. */
  static TrainingDataReader open(Channel channel, int featureDim) throws AlgorithmException {
    return open(channel, featureDim, 0);
  }

  private static TrainingDataReader open(Channel channel, int featureDim, int csvLabelColumns)
      throws AlgorithmException {
    String contentType =
        channel.contentType() == null || channel.contentType().isBlank()
            ? "application/x-recordio-protobuf"
            : channel.contentType();
    MediaType media = MediaType.parse(contentType);
    Format format;
    int labelColumns = 0;
    switch (media.type()) {
      case "application/x-recordio-protobuf":
        format = Format.RECORDIO_PROTOBUF;
        break;
      case "text/libsvm":
      case "text/x-libsvm":
      case "libsvm":
        format = Format.LIBSVM;
        break;
      case "text/csv":
        format = Format.CSV;
        labelColumns = csvLabelColumns;
        String labelSize = media.parameters().get("label_size");
        if (labelSize != null) {
          try {
            labelColumns = Integer.parseInt(labelSize);
          } catch (NumberFormatException e) {
            labelColumns = -1;
          }
          if (labelColumns < 0) {
            throw new AlgorithmException(
                "Channel "
                    + channel.name()
                    + " has ContentType \""
                    + contentType
                    + "\" whose label_size \""
                    + labelSize
                    + "\" is not a non-negative integer");
          }
        }
        break;
      default:
        throw new AlgorithmException(
            "Channel "
                + channel.name()
                + " has ContentType \""
                + contentType
                + "\", which this algorithm cannot read; use application/x-recordio-protobuf,"
                + " text/csv or text/libsvm");
    }
    String compression = channel.compressionType();
    boolean gzip;
    if (compression == null || compression.isBlank() || compression.equalsIgnoreCase("None")) {
      gzip = false;
    } else if (compression.equalsIgnoreCase("Gzip")) {
      gzip = true;
    } else {
      throw new AlgorithmException(
          "Channel "
              + channel.name()
              + " has CompressionType \""
              + compression
              + "\"; use None or Gzip");
    }
    List<Path> files;
    if (!Files.isDirectory(channel.dir())) {
      throw new AlgorithmException(
          "Channel " + channel.name() + " has no data directory (" + channel.dir() + ")");
    }
    try (Stream<Path> walk = Files.walk(channel.dir())) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .collect(Collectors.toList());
    } catch (IOException e) {
      throw new AlgorithmException(
          "Cannot list the files of channel " + channel.name() + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new AlgorithmException(
          "Channel " + channel.name() + " has no data files; it must hold at least one file");
    }
    return new TrainingDataReader(channel, featureDim, format, labelColumns, gzip, files);
  }

  /** Reads every labelled row of every file once ({@link #openLabelled}); returns the count. */
  long forEachLabelledRow(LabelledRowVisitor visitor)
      throws AlgorithmException, InterruptedException {
    labelled = visitor;
    try {
      return forEachRow(null);
    } finally {
      labelled = null;
    }
  }

  /** Reads every row of every file once; returns the number of rows. */
  long forEachRow(RowVisitor visitor) throws AlgorithmException, InterruptedException {
    long rows = 0;
    for (Path file : files) {
      String name =
          channel.name() + "/" + channel.dir().relativize(file).toString().replace('\\', '/');
      try (InputStream in = open(file)) {
        rows +=
            format == Format.RECORDIO_PROTOBUF
                ? readRecordIo(in, name, visitor)
                : readLines(in, name, visitor);
      } catch (ZipException e) {
        throw new AlgorithmException(
            "File "
                + name
                + " is not valid gzip data ("
                + e.getMessage()
                + ") but channel "
                + channel.name()
                + " has CompressionType Gzip");
      } catch (EOFException e) {
        throw new AlgorithmException(
            "File "
                + name
                + " ends early"
                + (gzip ? " (truncated gzip data)" : "")
                + ": "
                + e.getMessage());
      } catch (IOException e) {
        throw new AlgorithmException("Cannot read file " + name + ": " + e.getMessage(), e);
      }
    }
    return rows;
  }

  private InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    if (!gzip) {
      return in;
    }
    try {
      return new GZIPInputStream(in, 1 << 16);
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  private long readRecordIo(InputStream in, String name, RowVisitor visitor)
      throws IOException, AlgorithmException, InterruptedException {
    RecordIoReader reader = new RecordIoReader(in);
    long record = 0;
    while (true) {
      try {
        if (!reader.next()) {
          break;
        }
      } catch (RecordIoFormatException e) {
        throw new AlgorithmException(
            "File "
                + name
                + " is not valid RecordIO after record "
                + record
                + ": "
                + e.getMessage());
      }
      record++;
      FeatureVector row;
      double label = 0;
      try {
        AmazonRecord decoded = AmazonRecordDecoder.decode(reader.buffer(), 0, reader.length());
        row = FeatureRows.record(decoded, featureDim);
        if (labelled != null) {
          label = FeatureRows.label(decoded);
        } else if (!row.isSparse()) {
          row = FeatureRows.compact(row.values());
        }
      } catch (MalformedRecordException e) {
        throw new AlgorithmException(
            "File "
                + name
                + " record "
                + record
                + " (at byte "
                + reader.recordOffset()
                + ") is not an Amazon Record protobuf: "
                + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new AlgorithmException(
            "File "
                + name
                + " record "
                + record
                + " (at byte "
                + reader.recordOffset()
                + "): "
                + e.getMessage());
      }
      if (labelled != null) {
        labelled.accept(label, row);
      } else {
        visitor.accept(row);
      }
    }
    return record;
  }

  private long readLines(InputStream in, String name, RowVisitor visitor)
      throws IOException, AlgorithmException, InterruptedException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    long lineNumber = 0;
    long rows = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      if (line.isBlank() || (format == Format.LIBSVM && line.stripLeading().startsWith("#"))) {
        continue;
      }
      FeatureVector row;
      double label = 0;
      try {
        if (labelled != null) {
          label = FeatureRows.firstNumber(line, format == Format.CSV ? ',' : ' ');
          row =
              format == Format.CSV
                  ? FeatureRows.csvDense(line, labelColumns)
                  : FeatureRows.libsvm(line, Integer.MAX_VALUE, false);
        } else {
          row =
              format == Format.CSV
                  ? FeatureRows.csv(line, labelColumns, featureDim)
                  : FeatureRows.libsvm(line, featureDim);
        }
      } catch (IllegalArgumentException e) {
        throw new AlgorithmException(
            "File "
                + name
                + " line "
                + lineNumber
                + " ("
                + format.name().toLowerCase(Locale.ROOT)
                + "): "
                + e.getMessage());
      }
      rows++;
      if (labelled != null) {
        labelled.accept(label, row);
      } else {
        visitor.accept(row);
      }
    }
    return rows;
  }
}
