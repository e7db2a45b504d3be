package dev.sagemakerbeam.local.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The aws-chunked framings the SDKs send, decoded, and broken ones refused. */
class AwsChunkedInputStreamTest {
  private static final String SIG = "chunk-signature=" + "ab".repeat(32);

  static byte[] data(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  static String crc32(byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(data);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /**
   * Frames {@code data} in chunks of {@code chunkSize}, signed or not, with an optional trailer.
   */
  static byte[] frame(byte[] data, int chunkSize, boolean signed, String trailer)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int start = 0; start < data.length; start += chunkSize) {
      int n = Math.min(chunkSize, data.length - start);
      out.write(
          (Integer.toHexString(n) + (signed ? ";" + SIG : "") + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(data, start, n);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(("0" + (signed ? ";" + SIG : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
    if (trailer != null) {
      out.write(trailer.getBytes(StandardCharsets.US_ASCII));
      if (signed) {
        out.write(
            ("x-amz-trailer-signature:" + "cd".repeat(32) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
      }
    }
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static byte[] decode(byte[] framed, String trailerName, long length) throws IOException {
    try (AwsChunkedInputStream in =
        new AwsChunkedInputStream(new ByteArrayInputStream(framed), trailerName, length)) {
      return in.readAllBytes();
    }
  }

  @Test
  void unsignedWithTrailingCrc32() throws IOException {
    byte[] data = data(200_000);
    byte[] framed = frame(data, 65536, false, "x-amz-checksum-crc32:" + crc32(data) + "\r\n");
    assertArrayEquals(data, decode(framed, "x-amz-checksum-crc32", data.length));
  }

  @Test
  void signedChunksWithSignedTrailer() throws IOException {
    byte[] data = data(70_000);
    byte[] framed = frame(data, 8192, true, "x-amz-checksum-crc32:" + crc32(data) + "\r\n");
    assertArrayEquals(data, decode(framed, "x-amz-checksum-crc32", data.length));
  }

  @Test
  void signedChunksWithoutTrailer() throws IOException {
    byte[] data = data(10_000);
    assertArrayEquals(data, decode(frame(data, 4096, true, null), null, data.length));
  }

  @Test
  void emptyBody() throws IOException {
    byte[] framed =
        frame(new byte[0], 1, false, "x-amz-checksum-crc32:" + crc32(new byte[0]) + "\r\n");
    assertThat(decode(framed, "x-amz-checksum-crc32", 0).length, equalTo(0));
  }

  @Test
  void wrongChecksumIsRefused() throws IOException {
    byte[] data = data(5_000);
    byte[] other = data(5_001);
    byte[] framed = frame(data, 1024, false, "x-amz-checksum-crc32:" + crc32(other) + "\r\n");
    IOException e =
        assertThrows(IOException.class, () -> decode(framed, "x-amz-checksum-crc32", data.length));
    assertThat(e.getMessage(), containsString("did not match the calculated checksum"));
  }

  @Test
  void missingTrailerIsRefused() throws IOException {
    byte[] data = data(100);
    IOException e =
        assertThrows(
            IOException.class,
            () -> decode(frame(data, 64, false, null), "x-amz-checksum-crc32", data.length));
    assertThat(e.getMessage(), containsString("no trailing x-amz-checksum-crc32"));
  }

  @Test
  void wrongDecodedLengthIsRefused() throws IOException {
    byte[] data = data(100);
    IOException e =
        assertThrows(IOException.class, () -> decode(frame(data, 64, false, null), null, 99));
    assertThat(e.getMessage(), containsString("x-amz-decoded-content-length"));
  }

  @Test
  void truncatedBodyIsRefused() throws IOException {
    byte[] data = data(1000);
    byte[] framed = frame(data, 512, false, null);
    byte[] cut = java.util.Arrays.copyOf(framed, 700);
    assertThrows(IOException.class, () -> decode(cut, null, data.length));
  }

  @Test
  void unknownTrailerIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new AwsChunkedInputStream(
                    new ByteArrayInputStream(new byte[0]), "x-amz-checksum-md5", 0));
    assertThat(e.getMessage(), containsString("x-amz-checksum-md5"));
  }

  @Test
  void contentEncodingKeepsOtherCodings() {
    assertThat(S3RequestAuthenticator.withoutAwsChunked("aws-chunked,gzip"), equalTo("gzip"));
    assertThat(S3RequestAuthenticator.withoutAwsChunked("aws-chunked"), equalTo(null));
  }
}
