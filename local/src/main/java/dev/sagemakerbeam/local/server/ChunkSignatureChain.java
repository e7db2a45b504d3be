package dev.sagemakerbeam.local.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The signatures of a {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]} upload's chunks: each
 * chunk is signed over the previous signature (the first over the request's own, the seed) and the
 * SHA-256 of its bytes, and the trailer over the last chunk's signature and the trailing headers,
 * so a chunk cannot be replaced, dropped, reordered or moved to another request. Not thread-safe:
 * one per request body.
 */
public final class ChunkSignatureChain {
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private final byte[] signingKey;
  private final String amzDate;
  private final String scope;
  private String previous;

  ChunkSignatureChain(byte[] signingKey, String amzDate, String scope, String seedSignature) {
    this.signingKey = signingKey.clone();
    this.amzDate = amzDate;
    this.scope = scope;
    this.previous = seedSignature;
  }

  /**
   * Checks the next chunk's signature and moves the chain on.
   *
   * @param chunkSha256 the SHA-256 of the chunk's bytes
   * @param signature the chunk's {@code chunk-signature}, or null if the chunk had none
   * @return whether it is the signature that chunk must carry
   */
  public boolean verifyChunk(byte[] chunkSha256, String signature) {
    String expected =
        sign(
            "AWS4-HMAC-SHA256-PAYLOAD\n"
                + amzDate
                + "\n"
                + scope
                + "\n"
                + previous
                + "\n"
                + EMPTY_SHA256
                + "\n"
                + HexFormat.of().formatHex(chunkSha256));
    previous = expected;
    return matches(expected, signature);
  }

  /**
   * Checks the trailer's {@code x-amz-trailer-signature}.
   *
   * @param canonicalTrailer the trailing headers as signed: {@code name:value\n} for each, in order
   */
  public boolean verifyTrailer(String canonicalTrailer, String signature) {
    String expected =
        sign(
            "AWS4-HMAC-SHA256-TRAILER\n"
                + amzDate
                + "\n"
                + scope
                + "\n"
                + previous
                + "\n"
                + HexFormat.of()
                    .formatHex(
                        S3RequestSignature.sha256(
                            canonicalTrailer.getBytes(StandardCharsets.UTF_8))));
    previous = expected;
    return matches(expected, signature);
  }

  private String sign(String stringToSign) {
    return HexFormat.of().formatHex(S3RequestSignature.hmac(signingKey, stringToSign));
  }

  private static boolean matches(String expected, String signature) {
    return signature != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            signature.getBytes(StandardCharsets.US_ASCII));
  }
}
