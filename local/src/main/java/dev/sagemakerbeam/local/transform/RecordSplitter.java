package dev.sagemakerbeam.local.transform;

import dev.sagemakerbeam.io.RecordIoReader;
import dev.sagemakerbeam.io.RecordIoWriter;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Cuts one input object into records as a transform job's {@code SplitType} says: {@code None} the
 * whole object is one record; {@code Line} each line with its {@code \n} (a last line without one
 * as it is); {@code RecordIO} each RecordIO record, re-framed (multi-part records come back whole,
 * framed as the writer frames them), so that records put side by side are a RecordIO stream again.
 */
abstract class RecordSplitter implements AutoCloseable {
  private final InputStream in;

  private RecordSplitter(InputStream in) {
    this.in = in;
  }

  static RecordSplitter of(String splitType, InputStream in) {
    switch (splitType) {
      case "Line":
        return new LineSplitter(in);
      case "RecordIO":
        return new RecordIoSplitter(in);
      case "None":
        return new WholeObject(in);
      default:
        throw new IllegalArgumentException("SplitType " + splitType + " is not supported");
    }
  }

  /**
   * The next record, or null at the end of the object.
   *
   * @throws IOException when the object cannot be read or (RecordIO) breaks the framing
   */
  abstract byte[] next() throws IOException;

  @Override
  public void close() throws IOException {
    in.close();
  }

  private static final class WholeObject extends RecordSplitter {
    private InputStream remaining;

    WholeObject(InputStream in) {
      super(in);
      this.remaining = in;
    }

    @Override
    byte[] next() throws IOException {
      if (remaining == null) {
        return null;
      }
      byte[] all = remaining.readAllBytes();
      remaining = null;
      return all;
    }
  }

  private static final class LineSplitter extends RecordSplitter {
    private final BufferedInputStream buffered;

    LineSplitter(InputStream in) {
      super(in);
      this.buffered = new BufferedInputStream(in, 1 << 16);
    }

    @Override
    byte[] next() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream(128);
      int b;
      while ((b = buffered.read()) >= 0) {
        line.write(b);
        if (b == '\n') {
          break;
        }
      }
      return line.size() == 0 ? null : line.toByteArray();
    }
  }

  private static final class RecordIoSplitter extends RecordSplitter {
    private final RecordIoReader reader;

    RecordIoSplitter(InputStream in) {
      super(in);
      this.reader = new RecordIoReader(new BufferedInputStream(in, 1 << 16));
    }

    @Override
    byte[] next() throws IOException {
      return reader.next() ? RecordIoWriter.frame(reader.buffer(), 0, reader.length()) : null;
    }
  }
}
