package dev.sagemakerbeam.benchmarks;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.AmazonRecordDecoder;
import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.protobuf.AmazonRecordProtos;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encode and decode throughput of the Amazon Record codec, each beside a same-run ceiling.
 *
 * <p>Every benchmark method handles {@link #ROWS} rows per invocation, so JMH's ops/s are rows/s.
 * The ceilings are what the codec cannot beat for the same rows: encode's puts the same float32
 * values into a little-endian {@link ByteBuffer} (no tags, lengths or sparse keys); decode's reads
 * them back out of one into a new {@code double[]} per row (the decoder also hands back a fresh
 * array per row). {@code encode} is the protobuf payload only (no RecordIO framing, which is a
 * header and a copy); {@code decode} is {@link AmazonRecordDecoder#decode} to an {@link
 * AmazonRecord}.
 *
 * <p>Shapes: {@code dense784} dense 784-d rows; {@code mnistSparse} real MNIST rows from {@code
 * data/mnist/mnist-test.libsvm.gz} (about 150 of 784 non-zero; synthetic rows of 150 non-zeros if
 * the file is not found); {@code sparse100k} 100,000-d rows with 50 non-zeros. All labelled.
 *
 * <p>Run with {@link RecordCodecReport} for rows/s, MB/s and ratios, or {@code java -jar
 * tests/target/benchmarks.jar RecordCodec} for JMH's own output.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordCodecBenchmark {
  /** Rows per benchmark invocation. */
  public static final int ROWS = 256;

  @Param({"dense784", "mnistSparse", "sparse100k"})
  public String shape;

  private FeatureVector[] rows;
  private double[] labels;
  private byte[][] encoded;
  private ByteBuffer[] floatBuffers; // each row's float32 values, for the decode ceiling
  private ByteBuffer scratch;
  private final AmazonRecordEncoder encoder = new AmazonRecordEncoder();

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    rows = rows(shape);
    labels = new double[ROWS];
    encoded = new byte[ROWS][];
    floatBuffers = new ByteBuffer[ROWS];
    int maxFloats = 0;
    for (int i = 0; i < ROWS; i++) {
      labels[i] = i % 10;
      encoded[i] = encoder.toByteArray(rows[i], labels[i]);
      double[] values = rows[i].values();
      maxFloats = Math.max(maxFloats, values.length);
      ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      for (double v : values) {
        b.putFloat((float) v);
      }
      floatBuffers[i] = b;
    }
    scratch = ByteBuffer.allocate(4 * maxFloats + 4).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public int encode() {
    int bytes = 0;
    for (int i = 0; i < ROWS; i++) {
      bytes += encoder.encode(rows[i], labels[i]);
    }
    return bytes;
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public int encodeCeiling() {
    int bytes = 0;
    ByteBuffer b = scratch;
    for (int i = 0; i < ROWS; i++) {
      b.clear();
      for (double v : rows[i].values()) {
        b.putFloat((float) v);
      }
      b.putFloat((float) labels[i]);
      bytes += b.position();
    }
    return bytes;
  }

  /**
   * The original SageMaker Spark library's design (its {@code ProtobufConverter}): one generated
   * {@code Record} message built per row from boxed float lists, then serialized. Same bytes on the
   * wire as {@link #encode}.
   */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public int encodeGeneratedMessage() {
    int bytes = 0;
    for (int i = 0; i < ROWS; i++) {
      bytes += generatedRecord(rows[i], labels[i]).toByteArray().length;
    }
    return bytes;
  }

  static AmazonRecordProtos.Record generatedRecord(FeatureVector row, double label) {
    List<Float> values = new ArrayList<>(row.numStored());
    for (double v : row.values()) {
      values.add((float) v);
    }
    AmazonRecordProtos.Float32Tensor.Builder features =
        AmazonRecordProtos.Float32Tensor.newBuilder().addAllValues(values);
    if (row.isSparse()) {
      List<Long> keys = new ArrayList<>(row.numStored());
      for (int k : row.indices()) {
        keys.add((long) k);
      }
      features.addAllKeys(keys).addShape(row.size());
    }
    return AmazonRecordProtos.Record.newBuilder()
        .putFeatures(
            "values", AmazonRecordProtos.Value.newBuilder().setFloat32Tensor(features).build())
        .putLabel(
            "values",
            AmazonRecordProtos.Value.newBuilder()
                .setFloat32Tensor(
                    AmazonRecordProtos.Float32Tensor.newBuilder().addValues((float) label))
                .build())
        .build();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void decode(Blackhole blackhole) {
    for (int i = 0; i < ROWS; i++) {
      blackhole.consume(AmazonRecordDecoder.decode(encoded[i]));
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void decodeCeiling(Blackhole blackhole) {
    for (int i = 0; i < ROWS; i++) {
      ByteBuffer b = floatBuffers[i];
      double[] out = new double[b.capacity() >>> 2];
      for (int k = 0; k < out.length; k++) {
        out[k] = b.getFloat(k << 2);
      }
      blackhole.consume(out);
    }
  }

  /** Mean encoded payload bytes per row of {@code shape} (for MB/s). */
  public static double meanEncodedBytes(String shape) throws IOException {
    FeatureVector[] rows = rows(shape);
    AmazonRecordEncoder encoder = new AmazonRecordEncoder();
    long total = 0;
    for (int i = 0; i < rows.length; i++) {
      total += encoder.encode(rows[i], i % 10);
    }
    return (double) total / rows.length;
  }

  /** Mean float32 bytes per row of {@code shape}, label included (the ceiling's work). */
  public static double meanFloatBytes(String shape) throws IOException {
    long total = 0;
    for (FeatureVector row : rows(shape)) {
      total += 4L * (row.values().length + 1);
    }
    return (double) total / ROWS;
  }

  static FeatureVector[] rows(String shape) throws IOException {
    Random random = new Random(42);
    FeatureVector[] rows = new FeatureVector[ROWS];
    switch (shape) {
      case "dense784":
        for (int i = 0; i < ROWS; i++) {
          double[] v = new double[784];
          for (int k = 0; k < v.length; k++) {
            v[k] = random.nextGaussian();
          }
          rows[i] = FeatureVector.dense(v);
        }
        return rows;
      case "mnistSparse":
        List<FeatureVector> mnist = mnistRows(ROWS);
        if (mnist.size() == ROWS) {
          return mnist.toArray(new FeatureVector[0]);
        }
        return sparseRows(random, 784, 150);
      case "sparse100k":
        return sparseRows(random, 100_000, 50);
      default:
        throw new IllegalArgumentException(
            "unknown shape '" + shape + "'; use dense784, mnistSparse or sparse100k");
    }
  }

  private static FeatureVector[] sparseRows(Random random, int size, int nonZeros) {
    FeatureVector[] rows = new FeatureVector[ROWS];
    for (int i = 0; i < ROWS; i++) {
      int[] indices = random.ints(0, size).distinct().limit(nonZeros).sorted().toArray();
      double[] values = new double[nonZeros];
      for (int k = 0; k < nonZeros; k++) {
        values[k] = 1 + random.nextInt(255);
      }
      rows[i] = FeatureVector.sparse(size, indices, values);
    }
    return rows;
  }

  /** Up to {@code n} rows of MNIST from the repository's LibSVM sample, if it can be found. */
  static List<FeatureVector> mnistRows(int n) throws IOException {
    Path file = null;
    String configured = System.getProperty("mnist.libsvm");
    for (String candidate :
        Arrays.asList(
            configured, "data/mnist/mnist-test.libsvm.gz", "../data/mnist/mnist-test.libsvm.gz")) {
      if (candidate != null && Files.isRegularFile(Paths.get(candidate))) {
        file = Paths.get(candidate);
        break;
      }
    }
    List<FeatureVector> rows = new ArrayList<>();
    if (file == null) {
      System.err.println(
          "MNIST sample not found (run from the repository root or set -Dmnist.libsvm=...);"
              + " using synthetic rows with 150 of 784 non-zero");
      return rows;
    }
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII))) {
      String line;
      while (rows.size() < n && (line = in.readLine()) != null) {
        String[] parts = line.trim().split(" ");
        int[] indices = new int[parts.length - 1];
        double[] values = new double[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
          int colon = parts[i].indexOf(':');
          indices[i - 1] = Integer.parseInt(parts[i].substring(0, colon)) - 1;
          values[i - 1] = Double.parseDouble(parts[i].substring(colon + 1));
        }
        rows.add(FeatureVector.sparse(784, indices, values));
      }
    }
    return rows;
  }
}
