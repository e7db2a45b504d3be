package dev.sagemakerbeam.local.storage;

import java.io.IOException;

/**
 * An upload body that does not match what its headers promised (framing, length, checksum), found
 * while S3Proxy reads it; {@link S3RequestAuthenticator} answers it with S3's 400 error.
 */
final class S3BodyException extends IOException {
  private final String code;

  /**
   * @param code S3's error code, for example {@code BadDigest} or {@code IncompleteBody}
   */
  S3BodyException(String code, String message) {
    super(message);
    this.code = code;
  }

  String code() {
    return code;
  }
}
