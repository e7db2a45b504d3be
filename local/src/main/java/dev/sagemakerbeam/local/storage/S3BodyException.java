package dev.sagemakerbeam.local.storage;

import java.io.IOException;

/**
 * An upload body that does not match what its headers promised (framing, length, checksum), found
 * while S3Proxy reads it, or an S3 error the store finds below S3Proxy (404 NoSuchUpload); {@link
 * S3RequestAuthenticator} answers it with S3's error (400, or 403 for a chunk signature).
 */
final class S3BodyException extends IOException {
  private final int status;
  private final String code;

  /**
   * @param code S3's error code, for example {@code BadDigest} or {@code IncompleteBody}
   */
  S3BodyException(String code, String message) {
    this(400, code, message);
  }

  /**
   * @param status the HTTP status S3 answers with, e.g. 403 for a wrong chunk signature
   */
  S3BodyException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
