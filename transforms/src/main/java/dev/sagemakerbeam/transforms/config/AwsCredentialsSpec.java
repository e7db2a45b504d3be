package dev.sagemakerbeam.transforms.config;

import java.io.Serializable;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A serializable description of where AWS credentials come from: static keys, the default provider
 * chain, or a named profile. SDK credential providers are not serializable, so pipelines carry this
 * description to the workers and {@link #resolve()} it there.
 *
 * <p>{@link #toString()} never shows a secret: static keys print as {@code static(redacted)}.
 */
public final class AwsCredentialsSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The kind of credential source. */
  public enum Kind {
    STATIC,
    DEFAULT_CHAIN,
    PROFILE
  }

  private final Kind kind;
  private final String accessKeyId;
  private final String secretAccessKey;
  private final String sessionToken;
  private final String profileName;

  private AwsCredentialsSpec(
      Kind kind,
      String accessKeyId,
      String secretAccessKey,
      String sessionToken,
      String profileName) {
    this.kind = kind;
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.sessionToken = sessionToken;
    this.profileName = profileName;
  }

  /** Fixed access key and secret (for SageMaker Local, or tests). */
  public static AwsCredentialsSpec staticKeys(String accessKeyId, String secretAccessKey) {
    return staticKeys(accessKeyId, secretAccessKey, null);
  }

  /** Fixed temporary credentials with a session token (null for none). */
  public static AwsCredentialsSpec staticKeys(
      String accessKeyId, String secretAccessKey, String sessionToken) {
    if (accessKeyId == null
        || accessKeyId.isEmpty()
        || secretAccessKey == null
        || secretAccessKey.isEmpty()) {
      throw new IllegalArgumentException(
          "static credentials need a non-empty access key id and secret access key;"
              + " use AwsCredentialsSpec.defaultChain() to take them from the environment instead");
    }
    return new AwsCredentialsSpec(Kind.STATIC, accessKeyId, secretAccessKey, sessionToken, null);
  }

  /**
   * The SDK's default chain (environment, system properties, profile, container, instance role).
   */
  public static AwsCredentialsSpec defaultChain() {
    return new AwsCredentialsSpec(Kind.DEFAULT_CHAIN, null, null, null, null);
  }

  /** A named profile of the shared config and credentials files. */
  public static AwsCredentialsSpec profile(String profileName) {
    if (profileName == null || profileName.isBlank()) {
      throw new IllegalArgumentException(
          "profile name must not be blank, got '" + profileName + "'");
    }
    return new AwsCredentialsSpec(Kind.PROFILE, null, null, null, profileName);
  }

  public Kind kind() {
    return kind;
  }

  /** The profile name for {@link Kind#PROFILE}, else null. */
  public String profileName() {
    return profileName;
  }

  /** Builds the SDK credentials provider this spec describes. */
  public AwsCredentialsProvider resolve() {
    switch (kind) {
      case STATIC:
        return StaticCredentialsProvider.create(
            sessionToken == null
                ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken));
      case PROFILE:
        return ProfileCredentialsProvider.create(profileName);
      case DEFAULT_CHAIN:
      default:
        return DefaultCredentialsProvider.builder().build();
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AwsCredentialsSpec)) {
      return false;
    }
    AwsCredentialsSpec s = (AwsCredentialsSpec) o;
    return kind == s.kind
        && Objects.equals(accessKeyId, s.accessKeyId)
        && Objects.equals(secretAccessKey, s.secretAccessKey)
        && Objects.equals(sessionToken, s.sessionToken)
        && Objects.equals(profileName, s.profileName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, accessKeyId, profileName);
  }

  /** Names the source only; keys, secrets and tokens are never printed. */
  @Override
  public String toString() {
    switch (kind) {
      case STATIC:
        return "static(redacted)";
      case PROFILE:
        return "profile(" + profileName + ")";
      default:
        return "defaultChain";
    }
  }
}
