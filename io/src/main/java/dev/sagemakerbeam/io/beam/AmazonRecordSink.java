package dev.sagemakerbeam.io.beam;

import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileIO;

/**
 * A {@link FileIO.Sink} writing {@link LabeledExample}s as RecordIO-wrapped Amazon Records
 * (features as float32 under {@code features["values"]}, the label, when present, under {@code
 * label["values"]}). Use it with {@code FileIO.write().via(...)} or through {@link
 * SageMakerRecordIO#write()}.
 */
public final class AmazonRecordSink implements FileIO.Sink<LabeledExample> {
  private static final long serialVersionUID = 1L;
  private static final int BUFFER_BYTES = 1 << 16;

  private transient OutputStream out;
  private transient RecordIoWriter writer;
  private transient AmazonRecordEncoder encoder;

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    // FileIO owns the channel and closes it after flush(); the streams here are never closed
    out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
    writer = new RecordIoWriter(out);
    encoder = new AmazonRecordEncoder();
  }

  @Override
  public void write(LabeledExample element) throws IOException {
    FeatureVector features = element.features();
    int length =
        element.hasLabel()
            ? encoder.encode(features, element.labelValue())
            : encoder.encode(features);
    writer.write(encoder.buffer(), 0, length);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }
}
