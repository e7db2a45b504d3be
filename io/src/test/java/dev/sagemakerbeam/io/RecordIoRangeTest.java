package dev.sagemakerbeam.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ranges that tile a RecordIO file give every record exactly once, wherever the cuts fall. */
class RecordIoRangeTest {
  @Test
  void everyCutGivesEveryRecordOnceIncludingMultiPartRecords() throws IOException {
    List<byte[]> payloads = new ArrayList<>();
    Random random = new Random(7);
    byte[] magic = {0x0A, 0x23, (byte) 0xD7, (byte) 0xCE};
    for (int i = 0; i < 12; i++) {
      byte[] p = new byte[i % 4 == 1 ? random.nextInt(4) : 16 + random.nextInt(40)];
      random.nextBytes(p);
      if (i % 3 == 0 && p.length >= 16) {
        System.arraycopy(magic, 0, p, 4, 4); // aligned: written as a multi-part record
        System.arraycopy(magic, 0, p, 9, 4); // unaligned: left in the payload
      }
      payloads.add(p);
    }
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    try (RecordIoWriter writer = new RecordIoWriter(file)) {
      for (byte[] p : payloads) {
        writer.write(p);
      }
    }
    byte[] bytes = file.toByteArray();
    long multiPart =
        payloads.stream()
            .filter(
                p -> RecordIoCodec.framedSize(p, 0, p.length) != RecordIoCodec.framedSize(p.length))
            .count();
    assertThat(multiPart, greaterThan(0L));

    for (int cut1 = 0; cut1 <= bytes.length; cut1++) {
      int cut2 = Math.min(bytes.length, cut1 + 1 + cut1 % 37);
      List<String> read = new ArrayList<>();
      read.addAll(readRange(bytes, 0, cut1));
      read.addAll(readRange(bytes, cut1, cut2));
      read.addAll(readRange(bytes, cut2, Long.MAX_VALUE));
      assertThat("cuts at " + cut1 + " and " + cut2, read, equalTo(hex(payloads)));
    }
  }

  private static List<String> readRange(byte[] file, long start, long end) throws IOException {
    List<String> out = new ArrayList<>();
    ByteArrayInputStream in = new ByteArrayInputStream(file);
    in.skipNBytes(Math.min(start, file.length));
    try (RecordIoRange range = new RecordIoRange(in, start, end)) {
      while (range.next()) {
        out.add(hex(java.util.Arrays.copyOf(range.buffer(), range.length())));
      }
    }
    return out;
  }

  private static List<String> hex(List<byte[]> payloads) {
    List<String> out = new ArrayList<>();
    for (byte[] p : payloads) {
      out.add(hex(p));
    }
    return out;
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }
}
