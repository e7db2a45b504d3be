package dev.sagemakerbeam.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import org.junit.jupiter.api.Test;

/** The benchmark's baseline (the original library's generated-message design) writes our bytes. */
class GeneratedMessageBaselineTest {
  @Test
  void baselineAndCodecWriteTheSameBytes() throws Exception {
    AmazonRecordEncoder encoder = new AmazonRecordEncoder();
    for (String shape : new String[] {"dense784", "mnistSparse", "sparse100k"}) {
      FeatureVector[] rows = RecordCodecBenchmark.rows(shape);
      for (int i = 0; i < 16; i++) {
        assertArrayEquals(
            encoder.toByteArray(rows[i], i % 10),
            RecordCodecBenchmark.generatedRecord(rows[i], i % 10).toByteArray(),
            shape + " row " + i);
      }
    }
  }
}
