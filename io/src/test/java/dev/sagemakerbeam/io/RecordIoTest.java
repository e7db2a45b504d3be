package dev.sagemakerbeam.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordIoTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] MAGIC_LE = HEX.parseHex("0a23d7ce");

  @Test
  void goldenBytesForAPaddedRecord() {
    byte[] framed =
        RecordIoWriter.frame("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    // magic 0xCED7230A little-endian, length 5, "hello", 3 zero bytes of padding
    assertThat(HEX.formatHex(framed), equalTo("0a23d7ce" + "05000000" + "68656c6c6f" + "000000"));
  }

  @Test
  void goldenBytesForAnAlignedAndAnEmptyRecord() {
    assertThat(
        HEX.formatHex(RecordIoWriter.frame(HEX.parseHex("01020304"))),
        equalTo("0a23d7ce0400000001020304"));
    assertThat(HEX.formatHex(RecordIoWriter.frame(new byte[0])), equalTo("0a23d7ce00000000"));
  }

  @Test
  void payloadHoldingTheMagicWordAtAnAlignedOffsetIsWrittenAsParts() throws IOException {
    byte[] payload = HEX.parseHex("01020304" + "0a23d7ce" + "0506");
    byte[] framed = RecordIoWriter.frame(payload);
    assertThat(
        HEX.formatHex(framed),
        equalTo(
            "0a23d7ce"
                + "04000020"
                + "01020304" // first part: flag 1, 4 bytes
                + "0a23d7ce"
                + "02000060"
                + "0506"
                + "0000")); // last part: flag 3, 2 bytes, padding
    assertThat((long) framed.length, equalTo(RecordIoCodec.framedSize(payload, 0, payload.length)));
    assertThat(readAll(framed), contentsEqual(List.of(payload)));
  }

  @Test
  void magicWordAtUnalignedOffsetIsNotSplit() throws IOException {
    byte[] payload = HEX.parseHex("00" + "0a23d7ce" + "000000");
    byte[] framed = RecordIoWriter.frame(payload);
    assertThat(HEX.formatHex(framed, 4, 8), equalTo("08000000")); // one whole record
    assertThat(readAll(framed), contentsEqual(List.of(payload)));
  }

  @Test
  void framingASliceEqualsWhatTheStreamWriterWrites() throws IOException {
    Random random = new Random(7);
    for (int length = 0; length < 64; length++) {
      for (boolean withMagic : new boolean[] {false, true}) {
        byte[] buffer = new byte[length + 6];
        random.nextBytes(buffer);
        if (withMagic && length >= 8) {
          System.arraycopy(MAGIC_LE, 0, buffer, 3 + 4, 4); // aligned within the slice at offset 3
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (RecordIoWriter writer = new RecordIoWriter(expected)) {
          writer.write(buffer, 3, length);
        }
        assertArrayEquals(
            expected.toByteArray(),
            RecordIoWriter.frame(buffer, 3, length),
            "slice of " + length + " bytes" + (withMagic ? " holding the magic word" : ""));
      }
    }
  }

  @Test
  void payloadsMadeOfMagicWordsRoundTrip() throws IOException {
    byte[] one = MAGIC_LE.clone();
    byte[] three = concat(MAGIC_LE, MAGIC_LE, MAGIC_LE);
    byte[] framedOne = RecordIoWriter.frame(one);
    // a zero-length first part and a zero-length last part, the magic word dropped between them
    assertThat(HEX.formatHex(framedOne), equalTo("0a23d7ce00000020" + "0a23d7ce00000060"));
    // flags 1, 2, 2, 3
    byte[] framedThree = RecordIoWriter.frame(three);
    assertThat(framedThree.length, is(32));
    assertThat(readAll(concat(framedOne, framedThree)), contentsEqual(List.of(one, three)));
  }

  @Test
  void randomPayloadsWithPlantedMagicWordsRoundTrip() throws IOException {
    Random random = new Random(42);
    List<byte[]> payloads = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long expectedSize = 0;
    try (RecordIoWriter writer = new RecordIoWriter(out)) {
      for (int i = 0; i < 500; i++) {
        byte[] p = new byte[random.nextInt(200)];
        random.nextBytes(p);
        for (int j = 0; j + 4 <= p.length; j += 4) {
          if (random.nextInt(6) == 0) {
            System.arraycopy(MAGIC_LE, 0, p, j, 4);
          }
        }
        payloads.add(p);
        expectedSize += RecordIoCodec.framedSize(p, 0, p.length);
        writer.write(p);
      }
      assertThat(writer.bytesWritten(), equalTo(expectedSize));
      assertThat(writer.recordsWritten(), equalTo(500L));
    }
    byte[] framed = out.toByteArray();
    assertThat((long) framed.length, equalTo(expectedSize));
    assertThat(framed.length % 4, is(0));
    // read through a stream that hands out a few bytes at a time
    List<byte[]> read = new ArrayList<>();
    try (RecordIoReader reader = new RecordIoReader(new TrickleInputStream(framed, random))) {
      long previousOffset = -1;
      while (reader.next()) {
        assertThat(reader.recordOffset(), org.hamcrest.Matchers.greaterThan(previousOffset));
        previousOffset = reader.recordOffset();
        read.add(reader.payload());
      }
      assertThat(reader.position(), equalTo(expectedSize));
    }
    assertThat(read, contentsEqual(payloads));
  }

  @Test
  void largeRecordRoundTrips() throws IOException {
    byte[] big = new byte[3 << 20];
    new Random(7).nextBytes(big);
    assertThat(readAll(RecordIoWriter.frame(big)), contentsEqual(List.of(big)));
  }

  @Test
  void writerRefusesRecordsOfTwoToThe29Bytes() {
    RecordIoWriter writer = new RecordIoWriter(OutputStreamThatCountsOnly.INSTANCE);
    byte[] tooLarge = new byte[1 << 29];
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> writer.write(tooLarge));
    assertThat(e.getMessage(), containsString("536870912 bytes is too large"));
  }

  @Test
  void truncatedHeaderNamesOffsetAndExpectation() {
    byte[] data = concat(RecordIoWriter.frame(HEX.parseHex("01020304")), HEX.parseHex("0a23d7"));
    RecordIoFormatException e = assertThrows(RecordIoFormatException.class, () -> readAll(data));
    assertThat(e.offset(), is(12L));
    assertThat(e.getMessage(), containsString("byte offset 12"));
    assertThat(e.getMessage(), containsString("8-byte record header"));
    assertThat(e.getMessage(), containsString("ends after 3 bytes"));
  }

  @Test
  void wrongMagicNamesOffsetAndBothWords() {
    byte[] data =
        concat(RecordIoWriter.frame(HEX.parseHex("01020304")), HEX.parseHex("deadbeef04000000"));
    RecordIoFormatException e = assertThrows(RecordIoFormatException.class, () -> readAll(data));
    assertThat(e.offset(), is(12L));
    assertThat(
        e.getMessage(), containsString("expected the magic word 0xCED7230A but found 0xEFBEADDE"));
  }

  @Test
  void garbageIsRejectedAtOffsetZero() {
    byte[] garbage =
        "this is not recordio at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    RecordIoFormatException e = assertThrows(RecordIoFormatException.class, () -> readAll(garbage));
    assertThat(e.offset(), is(0L));
    assertThat(e.getMessage(), containsString("magic word"));
  }

  @Test
  void truncatedPayloadNamesLengthAndWhatRemains() {
    byte[] framed = RecordIoWriter.frame(new byte[100]);
    byte[] cut = Arrays.copyOf(framed, 8 + 30);
    RecordIoFormatException e = assertThrows(RecordIoFormatException.class, () -> readAll(cut));
    assertThat(e.offset(), is(0L));
    assertThat(e.getMessage(), containsString("header says 100 payload bytes"));
    assertThat(e.getMessage(), containsString("ends after 30 of them"));
  }

  @Test
  void hugeClaimedLengthFailsWithoutAllocatingIt() throws IOException {
    // a header claiming 2^29 - 1 bytes, followed by only 16
    byte[] data = concat(MAGIC_LE, HEX.parseHex("ffffff1f"), new byte[16]);
    RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(data));
    RecordIoFormatException e = assertThrows(RecordIoFormatException.class, reader::next);
    assertThat(e.getMessage(), containsString("header says 536870911 payload bytes"));
    assertThat(e.getMessage(), containsString("ends after 16 of them"));
    assertThat(reader.buffer().length, lessThan(64 * 1024));
  }

  @Test
  void invalidContinuationFlagIsNamed() {
    byte[] data = concat(MAGIC_LE, HEX.parseHex("040000a0"), new byte[4]); // flag 5
    RecordIoFormatException e = assertThrows(RecordIoFormatException.class, () -> readAll(data));
    assertThat(e.offset(), is(4L));
    assertThat(e.getMessage(), containsString("continuation flag 5 is not one of"));
  }

  @Test
  void continuationWithoutFirstPartIsRejected() {
    byte[] data = concat(MAGIC_LE, HEX.parseHex("04000060"), new byte[4]); // flag 3 first
    RecordIoFormatException e = assertThrows(RecordIoFormatException.class, () -> readAll(data));
    assertThat(e.getMessage(), containsString("continuation part (flag 3) with no first part"));
  }

  @Test
  void firstPartFollowedByWholeRecordIsRejected() {
    byte[] data =
        concat(
            MAGIC_LE,
            HEX.parseHex("04000020"),
            new byte[4],
            MAGIC_LE,
            HEX.parseHex("04000000"),
            new byte[4]);
    RecordIoFormatException e = assertThrows(RecordIoFormatException.class, () -> readAll(data));
    assertThat(e.offset(), is(16L));
    assertThat(e.getMessage(), containsString("record that starts at offset 0 but found flag 0"));
  }

  @Test
  void inputEndingInsideMultiPartRecordIsRejected() {
    byte[] framed = RecordIoWriter.frame(HEX.parseHex("01020304" + "0a23d7ce" + "0506"));
    byte[] firstPartOnly = Arrays.copyOf(framed, 12);
    RecordIoFormatException e =
        assertThrows(RecordIoFormatException.class, () -> readAll(firstPartOnly));
    assertThat(e.offset(), is(12L));
    assertThat(
        e.getMessage(), containsString("inside the multi-part record that starts at offset 0"));
  }

  @Test
  void offsetsInErrorsCountFromTheGivenStartPosition() {
    byte[] garbage = HEX.parseHex("0000000000000000");
    RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(garbage), 4096);
    RecordIoFormatException e = assertThrows(RecordIoFormatException.class, reader::next);
    assertThat(e.offset(), is(4096L));
  }

  @Test
  void seekToRecordStartSkipsPartialRecordsAndContinuations() throws IOException {
    byte[] a = new byte[40];
    byte[] b = HEX.parseHex("11111111" + "0a23d7ce" + "22222222"); // multi-part
    byte[] c = HEX.parseHex("33");
    byte[] file = concat(RecordIoWriter.frame(a), RecordIoWriter.frame(b), RecordIoWriter.frame(c));
    int startOfB = 48;
    int startOfC = startOfB + 24; // b: two parts of 8 + 4 bytes
    assertThat(file.length, is(startOfC + 12));
    // start inside a: finds b
    assertThat(seekAndReadFrom(file, 8), contentsEqual(List.of(b, c)));
    // start inside b's first part, before its last part: the last part (flag 3) is not a start;
    // finds c
    assertThat(seekAndReadFrom(file, startOfB + 4), contentsEqual(List.of(c)));
    // start exactly at a record
    assertThat(seekAndReadFrom(file, startOfC), contentsEqual(List.of(c)));
    // start past the last record
    RecordIoReader reader =
        new RecordIoReader(new ByteArrayInputStream(file, startOfC + 4, file.length), startOfC + 4);
    assertThat(reader.seekToRecordStart(), is(-1L));
    assertFalse(reader.next());
  }

  private static List<byte[]> seekAndReadFrom(byte[] file, int start) throws IOException {
    RecordIoReader reader =
        new RecordIoReader(new ByteArrayInputStream(file, start, file.length - start), start);
    long found = reader.seekToRecordStart();
    assertTrue(found >= start, "found " + found);
    List<byte[]> out = new ArrayList<>();
    while (reader.next()) {
      if (out.isEmpty()) {
        assertThat(reader.recordOffset(), is(found));
      }
      out.add(reader.payload());
    }
    return out;
  }

  static List<byte[]> readAll(byte[] framed) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(framed))) {
      while (reader.next()) {
        out.add(reader.payload());
      }
    }
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static org.hamcrest.Matcher<List<byte[]>> contentsEqual(List<byte[]> expected) {
    return new org.hamcrest.TypeSafeMatcher<>() {
      @Override
      protected boolean matchesSafely(List<byte[]> actual) {
        if (actual.size() != expected.size()) {
          return false;
        }
        for (int i = 0; i < actual.size(); i++) {
          if (!Arrays.equals(actual.get(i), expected.get(i))) {
            return false;
          }
        }
        return true;
      }

      @Override
      public void describeTo(org.hamcrest.Description d) {
        d.appendText(expected.size() + " payloads equal to the expected ones");
      }
    };
  }

  /** Returns at most a few bytes per read, as sockets and decompressors do. */
  private static final class TrickleInputStream extends FilterInputStream {
    private final Random random;

    TrickleInputStream(byte[] data, Random random) {
      super(new ByteArrayInputStream(data));
      this.random = random;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 1 + random.nextInt(7)));
    }
  }

  private static final class OutputStreamThatCountsOnly extends java.io.OutputStream {
    static final OutputStreamThatCountsOnly INSTANCE = new OutputStreamThatCountsOnly();

    @Override
    public void write(int b) {}
  }
}
