package dev.sagemakerbeam.transforms.config;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import javax.annotation.Nullable;
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
 * <p>An AutoValue value: equal when kind, keys and profile are equal.
 *
 * <p>{@link #toString()} never shows a secret: static keys print as {@code static(redacted)}.
 */
@AutoValue
public abstract class AwsCredentialsSpec implements Serializable {
  private static final long serialVersionUID = 2L;

  /** The kind of credential source. */
  public enum Kind {
    STATIC,
    DEFAULT_CHAIN,
    PROFILE
  }

  AwsCredentialsSpec() {}

  private static AwsCredentialsSpec of(
      Kind kind,
      @Nullable String accessKeyId,
      @Nullable String secretAccessKey,
      @Nullable String sessionToken,
      @Nullable String profileName) {
    return new AutoValue_AwsCredentialsSpec(
        kind, accessKeyId, secretAccessKey, sessionToken, profileName);
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
    return of(Kind.STATIC, accessKeyId, secretAccessKey, sessionToken, null);
  }

  /**
   * The SDK's default chain (environment, system properties, profile, container, instance role).
   */
  public static AwsCredentialsSpec defaultChain() {
    return of(Kind.DEFAULT_CHAIN, null, null, null, null);
  }

  /** A named profile of the shared config and credentials files. */
  public static AwsCredentialsSpec profile(String profileName) {
    if (profileName == null || profileName.isBlank()) {
      throw new IllegalArgumentException(
          "profile name must not be blank, got '" + profileName + "'");
    }
    return of(Kind.PROFILE, null, null, null, profileName);
  }

  public abstract Kind kind();

  abstract @Nullable String accessKeyId();

  abstract @Nullable String secretAccessKey();

  abstract @Nullable String sessionToken();

  /** The profile name for {@link Kind#PROFILE}, else null. */
  public abstract @Nullable String profileName();

  /** Builds the SDK credentials provider this spec describes. */
  public AwsCredentialsProvider resolve() {
    switch (kind()) {
      case STATIC:
        return StaticCredentialsProvider.create(
            sessionToken() == null
                ? AwsBasicCredentials.create(accessKeyId(), secretAccessKey())
                : AwsSessionCredentials.create(accessKeyId(), secretAccessKey(), sessionToken()));
      case PROFILE:
        return ProfileCredentialsProvider.create(profileName());
      case DEFAULT_CHAIN:
      default:
        return DefaultCredentialsProvider.builder().build();
    }
  }

  /** Names the source only; keys, secrets and tokens are never printed. */
  @Override
  public final String toString() {
    switch (kind()) {
      case STATIC:
        return "static(redacted)";
      case PROFILE:
        return "profile(" + profileName() + ")";
      default:
        return "defaultChain";
    }
  }
}
