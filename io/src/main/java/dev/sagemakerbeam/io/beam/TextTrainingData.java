package dev.sagemakerbeam.io.beam;

import dev.sagemakerbeam.io.FeatureVector;
import java.io.Serializable;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads training data written as text, the way {@link LibSvmSink} and {@link CsvSink} write it and
 * SageMaker's algorithms read it, into {@link LabeledExample}s:
 *
 * <ul>
 *   <li>LibSVM: {@code label index:value ...}, 1-based increasing indices, a sparse vector of
 *       {@code featureDim}; blank lines and {@code #} comments are skipped.
 *   <li>CSV: {@code label,value,value,...} (SageMaker's label-first layout), a dense vector; with
 *       {@link #unlabelled()}, every column is a feature.
 * </ul>
 *
 * <pre>{@code
 * PCollection<LabeledExample> train =
 *     p.apply(TextTrainingData.libSvm(784).from("s3://bucket/mnist/train-*.libsvm.gz"));
 * }</pre>
 *
 * A line that does not parse fails the pipeline with the line and the rule it breaks. Files are
 * read with {@link TextIO} (gzip and other compressions by file suffix, any Beam file system).
 */
public final class TextTrainingData {
  private TextTrainingData() {}

  /** LibSVM lines into sparse vectors of {@code featureDim} features. */
  public static Read libSvm(int featureDim) {
    if (featureDim < 1) {
      throw new IllegalArgumentException(
          "featureDim must be positive (the size of every vector), was " + featureDim);
    }
    return new Read(Format.LIBSVM, featureDim, true, null);
  }

  /** CSV lines, label first, into dense vectors; {@code featureDim} 0 takes each line's width. */
  public static Read csv(int featureDim) {
    if (featureDim < 0) {
      throw new IllegalArgumentException(
          "featureDim must be 0 (any width) or the number of feature columns, was " + featureDim);
    }
    return new Read(Format.CSV, featureDim, true, null);
  }

  enum Format {
    LIBSVM,
    CSV
  }

  /** Reads files or parses lines; see {@link TextTrainingData}. */
  public static final class Read extends PTransform<PBegin, PCollection<LabeledExample>> {
    private static final long serialVersionUID = 1L;
    private final Format format;
    private final int featureDim;
    private final boolean labelled;
    private final String filepattern;

    private Read(Format format, int featureDim, boolean labelled, String filepattern) {
      this.format = format;
      this.featureDim = featureDim;
      this.labelled = labelled;
      this.filepattern = filepattern;
    }

    /** The files to read: a Beam file pattern ({@code gs://}, {@code s3://}, local, ...). */
    public Read from(String filepattern) {
      if (filepattern == null || filepattern.isBlank()) {
        throw new IllegalArgumentException(
            "from(...) needs a file pattern, e.g. s3://bucket/train/*.libsvm");
      }
      return new Read(format, featureDim, labelled, filepattern);
    }

    /** CSV without a label column: every column is a feature. */
    public Read unlabelled() {
      if (format != Format.CSV) {
        throw new IllegalStateException(
            "unlabelled() is for CSV; LibSVM lines always start with a label");
      }
      return new Read(format, featureDim, false, filepattern);
    }

    /** Parses lines already in a {@code PCollection<String>} instead of reading files. */
    public PTransform<PCollection<String>, PCollection<LabeledExample>> lines() {
      Read read = this;
      return new PTransform<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public PCollection<LabeledExample> expand(PCollection<String> lines) {
          return lines
              .apply(
                  "Parse" + format,
                  ParDo.of(
                      new ParseFn(new LineParser(read.format, read.featureDim, read.labelled))))
              .setCoder(LabeledExampleCoder.of());
        }
      };
    }

    @Override
    public PCollection<LabeledExample> expand(PBegin begin) {
      if (filepattern == null) {
        throw new IllegalStateException(
            "TextTrainingData needs the files to read: call from(\"<file pattern>\"), or apply lines() to"
                + " a PCollection<String>");
      }
      return begin.apply("Read" + format, TextIO.read().from(filepattern)).apply(lines());
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(DisplayData.item("format", format.name()))
          .add(DisplayData.item("featureDim", featureDim))
          .add(DisplayData.item("labelled", labelled))
          .addIfNotNull(DisplayData.item("filepattern", filepattern));
    }
  }

  private static final class ParseFn extends DoFn<String, LabeledExample> {
    private static final long serialVersionUID = 1L;
    private final LineParser parser;

    ParseFn(LineParser parser) {
      this.parser = parser;
    }

    @ProcessElement
    public void process(@Element String line, OutputReceiver<LabeledExample> out) {
      LabeledExample example = parser.parse(line);
      if (example != null) {
        out.output(example);
      }
    }
  }

  /** One line to one example (null for a blank or comment line). */
  static final class LineParser implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Format format;
    private final int featureDim;
    private final boolean labelled;

    LineParser(Format format, int featureDim, boolean labelled) {
      this.format = format;
      this.featureDim = featureDim;
      this.labelled = labelled;
    }

    LabeledExample parse(String line) {
      String s = line.strip();
      if (s.isEmpty() || (format == Format.LIBSVM && s.startsWith("#"))) {
        return null;
      }
      return format == Format.LIBSVM ? libSvm(s, line) : csv(s, line);
    }

    private LabeledExample libSvm(String s, String line) {
      int hash = s.indexOf('#');
      String[] tokens = (hash >= 0 ? s.substring(0, hash) : s).trim().split("\\s+");
      double label = number(tokens[0], "the label", line);
      int[] indices = new int[tokens.length - 1];
      double[] values = new double[tokens.length - 1];
      int previous = 0;
      for (int t = 1; t < tokens.length; t++) {
        int colon = tokens[t].indexOf(':');
        if (colon <= 0) {
          throw bad(line, "'" + tokens[t] + "' is not index:value");
        }
        int index;
        try {
          index = Integer.parseInt(tokens[t].substring(0, colon));
        } catch (NumberFormatException e) {
          throw bad(line, "'" + tokens[t] + "' has no integer index");
        }
        if (index <= previous) {
          throw bad(
              line,
              "index "
                  + index
                  + " is not above the one before ("
                  + previous
                  + "): LibSVM indices are 1-based and increasing");
        }
        if (index > featureDim) {
          throw bad(
              line,
              "index "
                  + index
                  + " is beyond featureDim "
                  + featureDim
                  + "; read with the right featureDim");
        }
        previous = index;
        indices[t - 1] = index - 1;
        values[t - 1] = number(tokens[t].substring(colon + 1), "the value of index " + index, line);
      }
      return LabeledExample.of(label, FeatureVector.sparse(featureDim, indices, values));
    }

    private LabeledExample csv(String s, String line) {
      String[] cells = s.split(",", -1);
      int first = labelled ? 1 : 0;
      int width = cells.length - first;
      if (width < 1) {
        throw bad(line, "no feature columns");
      }
      if (featureDim > 0 && width != featureDim) {
        throw bad(line, width + " feature columns where featureDim is " + featureDim);
      }
      double[] values = new double[width];
      for (int i = 0; i < width; i++) {
        values[i] = number(cells[first + i], "column " + (first + i + 1), line);
      }
      FeatureVector features = FeatureVector.dense(values);
      return labelled
          ? LabeledExample.of(number(cells[0], "the label (column 1)", line), features)
          : LabeledExample.unlabeled(features);
    }

    private static double number(String token, String what, String line) {
      try {
        return Double.parseDouble(token.trim());
      } catch (NumberFormatException e) {
        throw bad(line, what + " '" + token + "' is not a number");
      }
    }

    private static IllegalArgumentException bad(String line, String why) {
      String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
      return new IllegalArgumentException(
          "Cannot read training data line \"" + shown + "\": " + why);
    }
  }
}
