package dev.sagemakerbeam.local;

import java.util.Objects;

/**
 * The access key pair SageMaker Local accepts (SigV4) on every endpoint. {@link #toString()} never
 * shows the secret.
 *
 * @param accessKeyId the access key id clients sign with
 * @param secretAccessKey the secret key clients sign with
 */
public record LocalCredentials(String accessKeyId, String secretAccessKey) {

  /** The pair used when none is configured; fine for loopback, never for a shared network. */
  public static final LocalCredentials DEFAULT = new LocalCredentials("local", "localsecret");

  public LocalCredentials {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    if (accessKeyId.isBlank() || secretAccessKey.isBlank()) {
      throw new IllegalArgumentException("access key id and secret access key must not be blank");
    }
  }

  @Override
  public String toString() {
    return "LocalCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****]";
  }
}
