package dev.sagemakerbeam.local.storage;

import dev.sagemakerbeam.local.server.ChunkSignatureChain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * Decodes an {@code aws-chunked} upload body (S3's streaming SigV4 framing, signed or unsigned,
 * with or without trailing headers) into the plain object bytes, and checks the trailing flexible
 * checksum ({@code x-amz-checksum-crc32}, {@code -crc32c}, {@code -sha1}, {@code -sha256}) and the
 * declared decoded length when the stream ends.
 *
 * <p>Framing: each chunk is {@code <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n}; the last has
 * size 0 and is followed by trailer lines {@code name:value\r\n} (the checksum and, for signed
 * trailers, {@code x-amz-trailer-signature}) and an empty line. For a signed upload ({@code
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]}) every chunk's signature, the final empty chunk's
 * included, and the trailer's are checked against the {@link ChunkSignatureChain} seeded by the
 * request's signature: a missing or wrong one fails the read with 403 SignatureDoesNotMatch, so the
 * upload stores nothing.
 */
final class AwsChunkedInputStream extends InputStream {
  /** A chunk header or trailer line longer than this is not S3 framing. */
  private static final int MAX_LINE = 4096;

  private final InputStream in;
  private final String trailerName;
  private final long decodedLength;
  private final Checksum crc;
  private final MessageDigest digest;
  private final ChunkSignatureChain signatures;
  private final MessageDigest chunkDigest;
  private String chunkSignature;
  private long chunkRemaining;
  private long decoded;
  private boolean finished;

  /**
   * @param in the raw request body
   * @param trailerName the checksum named by {@code x-amz-trailer} (lower case), or null
   * @param decodedLength {@code x-amz-decoded-content-length}, or -1 if not given
   * @throws IllegalArgumentException if the trailer names a checksum this server cannot compute
   */
  AwsChunkedInputStream(InputStream in, String trailerName, long decodedLength) {
    this(in, trailerName, decodedLength, null);
  }

  /**
   * @param signatures the chain the chunk signatures must follow, or null for an unsigned body
   */
  AwsChunkedInputStream(
      InputStream in, String trailerName, long decodedLength, ChunkSignatureChain signatures) {
    this.in = in;
    this.signatures = signatures;
    this.chunkDigest = signatures == null ? null : messageDigest("SHA-256");
    this.trailerName = trailerName == null ? null : trailerName.trim().toLowerCase(Locale.ROOT);
    this.decodedLength = decodedLength;
    Checksum checksum = null;
    MessageDigest md = null;
    if (this.trailerName != null) {
      switch (this.trailerName) {
        case "x-amz-checksum-crc32" -> checksum = new CRC32();
        case "x-amz-checksum-crc32c" -> checksum = new CRC32C();
        case "x-amz-checksum-sha1" -> md = messageDigest("SHA-1");
        case "x-amz-checksum-sha256" -> md = messageDigest("SHA-256");
        case "x-amz-checksum-crc64nvme" -> {} // no JDK implementation; the length is checked
        default ->
            throw new IllegalArgumentException(
                "x-amz-trailer '"
                    + trailerName
                    + "' is not a checksum S3 supports"
                    + " (x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1 or -sha256)");
      }
    }
    this.crc = checksum;
    this.digest = md;
  }

  private static MessageDigest messageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (finished) {
      return -1;
    }
    if (chunkRemaining == 0) {
      chunkRemaining = readChunkSize();
      if (chunkRemaining == 0) {
        finish();
        return -1;
      }
    }
    int n = in.read(buffer, offset, (int) Math.min(length, chunkRemaining));
    if (n < 0) {
      throw new S3BodyException(
          "IncompleteBody",
          "aws-chunked body ended inside a chunk (" + chunkRemaining + " bytes missing)");
    }
    chunkRemaining -= n;
    decoded += n;
    if (crc != null) {
      crc.update(buffer, offset, n);
    }
    if (digest != null) {
      digest.update(buffer, offset, n);
    }
    if (chunkDigest != null) {
      chunkDigest.update(buffer, offset, n);
    }
    if (chunkRemaining == 0) {
      verifyChunkSignature();
      expectLineEnd();
      if (decoded == decodedLength) {
        // A reader that stops at the content length never asks for more: check the end now.
        if (readChunkSize() != 0) {
          throw new S3BodyException(
              "IncompleteBody",
              "aws-chunked body is longer than x-amz-decoded-content-length " + decodedLength);
        }
        finish();
      }
    }
    return n;
  }

  private long readChunkSize() throws IOException {
    String line = readLine();
    if (line == null) {
      throw new S3BodyException(
          "IncompleteBody", "aws-chunked body ended before its final 0-size chunk");
    }
    int semicolon = line.indexOf(';');
    String size = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
    chunkSignature = null;
    if (semicolon >= 0) {
      for (String extension : line.substring(semicolon + 1).split(";")) {
        String trimmed = extension.trim();
        if (trimmed.startsWith("chunk-signature=")) {
          chunkSignature = trimmed.substring("chunk-signature=".length());
        }
      }
    }
    long value;
    try {
      value = Long.parseLong(size, 16);
      if (value < 0) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new S3BodyException(
          "IncompleteBody", "aws-chunked chunk header '" + truncate(line) + "' has no hex size");
    }
    if (value == 0) {
      verifyChunkSignature(); // the final, empty chunk is signed too
    }
    return value;
  }

  private void verifyChunkSignature() throws S3BodyException {
    if (signatures == null) {
      return;
    }
    if (!signatures.verifyChunk(chunkDigest.digest(), chunkSignature)) {
      throw new S3BodyException(
          403,
          "SignatureDoesNotMatch",
          chunkSignature == null
              ? "aws-chunked chunk of a signed upload (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) has no"
                  + " chunk-signature"
              : "The request signature we calculated does not match the signature you provided"
                  + " (chunk-signature of the chunk ending at byte "
                  + decoded
                  + ")");
    }
  }

  private void expectLineEnd() throws IOException {
    String rest = readLine();
    if (rest == null || !rest.isEmpty()) {
      throw new S3BodyException("IncompleteBody", "aws-chunked chunk is not followed by CRLF");
    }
  }

  private void finish() throws IOException {
    finished = true;
    String trailerValue = null;
    String trailerSignature = null;
    StringBuilder canonicalTrailer = new StringBuilder();
    for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("x-amz-trailer-signature")) {
        trailerSignature = value;
        continue;
      }
      canonicalTrailer.append(name).append(':').append(value).append('\n');
      if (name.equals(trailerName)) {
        trailerValue = value;
      }
    }
    if (signatures != null
        && trailerName != null
        && !signatures.verifyTrailer(canonicalTrailer.toString(), trailerSignature)) {
      throw new S3BodyException(
          403,
          "SignatureDoesNotMatch",
          trailerSignature == null
              ? "aws-chunked trailer of a signed upload has no x-amz-trailer-signature"
              : "The request signature we calculated does not match the signature you provided"
                  + " (x-amz-trailer-signature)");
    }
    if (decodedLength >= 0 && decoded != decodedLength) {
      throw new S3BodyException(
          "IncompleteBody",
          "aws-chunked body decodes to "
              + decoded
              + " bytes but x-amz-decoded-content-length is "
              + decodedLength);
    }
    if (trailerName == null) {
      return;
    }
    if (trailerValue == null) {
      throw new S3BodyException(
          "InvalidRequest",
          "aws-chunked body has no trailing "
              + trailerName
              + " though"
              + " x-amz-trailer announced it");
    }
    byte[] expected;
    if (crc != null) {
      expected = ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
    } else if (digest != null) {
      expected = digest.digest();
    } else {
      return;
    }
    String computed = Base64.getEncoder().encodeToString(expected);
    if (!computed.equals(trailerValue)) {
      throw new S3BodyException(
          "BadDigest",
          "The "
              + trailerName
              + " you specified ("
              + truncate(trailerValue)
              + ") did not match the calculated checksum ("
              + computed
              + ")");
    }
  }

  /** A CRLF-terminated line without its terminator, or null at the end of the stream. */
  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(80);
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int end =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
      }
      if (line.size() >= MAX_LINE) {
        throw new S3BodyException(
            "IncompleteBody", "aws-chunked framing line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
  }

  private static String truncate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
