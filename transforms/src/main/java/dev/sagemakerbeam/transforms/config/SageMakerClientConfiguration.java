package dev.sagemakerbeam.transforms.config;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.transforms.display.DisplayData;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Where and how this library's AWS SDK v2 clients connect — region, credential source, the four
 * endpoints (SageMaker control plane, SageMaker runtime, S3, STS), timeouts, retries and pool size
 * — as one {@link Serializable} AutoValue value that pipelines ship to their workers. The clients
 * themselves are built from it by {@link SageMakerClients}, which also holds the one region rule
 * ({@link SageMakerClients#resolveRegion}) every layer uses.
 *
 * <p>Pointing the library at SageMaker Local is {@link #forLocal}: the four endpoint URIs, the
 * region and a key pair it hands out. Against AWS, {@link #forRegion} with the default credential
 * chain, or {@link #fromAwsOptions} to take region, credentials and endpoint from Beam's {@code
 * AwsOptions}.
 *
 * <p>Why not Beam's {@code aws2.common.ClientConfiguration}: it holds one endpoint per client,
 * while one SageMaker job needs four (API, runtime, S3, STS) to agree, and it carries the
 * credentials provider as JSON, secrets included, among its printed properties. This class keeps
 * the same idea (region + credentials + endpoint + retry, serializable) and never prints a secret:
 * {@link #toString()} shows the credentials as {@link AwsCredentialsSpec#toString()} does, by kind
 * only.
 *
 * <p>The builder's setters check their value when called, with a message naming the value and the
 * form expected.
 */
@AutoValue
public abstract class SageMakerClientConfiguration implements Serializable {
  private static final long serialVersionUID = 2L;

  /** InvokeEndpoint allows 60 s of model time; the socket must outlast it. */
  public static final Duration DEFAULT_RUNTIME_SOCKET_TIMEOUT = Duration.ofSeconds(70);

  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(50);
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CONNECTION_ACQUISITION_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_SDK_RETRIES = 5;
  public static final int DEFAULT_MAX_CONNECTIONS = 50;

  SageMakerClientConfiguration() {}

  /** A builder with the defaults: no region, default credential chain, AWS endpoints. */
  public static Builder builder() {
    return new AutoValue_SageMakerClientConfiguration.Builder()
        .setCredentials(AwsCredentialsSpec.defaultChain())
        .setMaxSdkRetries(DEFAULT_MAX_SDK_RETRIES)
        .setMaxConnections(DEFAULT_MAX_CONNECTIONS)
        .setConnectionTimeout(DEFAULT_CONNECTION_TIMEOUT)
        .setConnectionAcquisitionTimeout(DEFAULT_CONNECTION_ACQUISITION_TIMEOUT)
        .setSocketTimeout(DEFAULT_SOCKET_TIMEOUT)
        .setRuntimeSocketTimeout(DEFAULT_RUNTIME_SOCKET_TIMEOUT);
  }

  /** AWS in {@code region} with the default credential chain. */
  public static SageMakerClientConfiguration forRegion(String region) {
    return builder().region(region).build();
  }

  /**
   * A running SageMaker Local: its control-plane, runtime, S3 and STS endpoints, its region and the
   * key pair it accepts. S3 uses path-style addressing (no bucket host names on loopback).
   */
  public static SageMakerClientConfiguration forLocal(
      URI apiEndpoint,
      URI runtimeEndpoint,
      URI s3Endpoint,
      URI stsEndpoint,
      String region,
      String accessKey,
      String secretKey) {
    return builder()
        .region(region)
        .credentials(AwsCredentialsSpec.staticKeys(accessKey, secretKey))
        .sageMakerEndpoint(apiEndpoint)
        .runtimeEndpoint(runtimeEndpoint)
        .s3Endpoint(s3Endpoint)
        .stsEndpoint(stsEndpoint)
        .build();
  }

  /**
   * Region, credentials and endpoint override of Beam's {@code AwsOptions}. An endpoint override
   * there applies to every client. Static and default-chain providers are understood; any other
   * provider type is rejected because it cannot be shipped to workers.
   */
  public static SageMakerClientConfiguration fromAwsOptions(AwsOptions options) {
    Builder b = builder();
    if (options.getAwsRegion() != null) {
      b.region(options.getAwsRegion().id());
    }
    AwsCredentialsProvider provider = options.getAwsCredentialsProvider();
    if (provider instanceof StaticCredentialsProvider) {
      AwsCredentials c = provider.resolveCredentials();
      b.credentials(
          c instanceof AwsSessionCredentials
              ? AwsCredentialsSpec.staticKeys(
                  c.accessKeyId(), c.secretAccessKey(), ((AwsSessionCredentials) c).sessionToken())
              : AwsCredentialsSpec.staticKeys(c.accessKeyId(), c.secretAccessKey()));
    } else if (provider == null || provider instanceof DefaultCredentialsProvider) {
      b.credentials(AwsCredentialsSpec.defaultChain());
    } else {
      throw new IllegalArgumentException(
          "AwsOptions credentials provider "
              + provider.getClass().getName()
              + " is not supported;"
              + " set credentials with SageMakerClientConfiguration.builder().credentials("
              + "AwsCredentialsSpec.staticKeys/defaultChain/profile(...))");
    }
    URI endpoint = options.getEndpoint();
    if (endpoint != null) {
      b.sageMakerEndpoint(endpoint)
          .runtimeEndpoint(endpoint)
          .s3Endpoint(endpoint)
          .stsEndpoint(endpoint);
    }
    return b.build();
  }

  public abstract Builder toBuilder();

  /**
   * The region id, or null to let the SDK's region chain decide ({@link
   * SageMakerClients#resolveRegion} applies that rule).
   */
  public abstract @Nullable String region();

  public abstract AwsCredentialsSpec credentials();

  public abstract @Nullable URI sageMakerEndpoint();

  public abstract @Nullable URI runtimeEndpoint();

  public abstract @Nullable URI s3Endpoint();

  public abstract @Nullable URI stsEndpoint();

  /** Path-style S3 addressing; true by default when an S3 endpoint is overridden. */
  public abstract boolean s3PathStyleAccess();

  /** SDK retries of control-plane, S3 and STS calls (not of InvokeEndpoint). */
  public abstract int maxSdkRetries();

  /** Connection pool size of the synchronous clients. */
  public abstract int maxConnections();

  public abstract Duration connectionTimeout();

  public abstract Duration connectionAcquisitionTimeout();

  /** Socket timeout of the control-plane, S3 and STS clients. */
  public abstract Duration socketTimeout();

  /** Read/write timeout of the runtime client. */
  public abstract Duration runtimeSocketTimeout();

  /**
   * Adds region, endpoints and the credential source kind (never keys) to a transform's display
   * data.
   */
  public void populateDisplayData(DisplayData.Builder builder) {
    builder
        .addIfNotNull(DisplayData.item("region", region()).withLabel("AWS region"))
        .add(
            DisplayData.item("credentials", credentials().toString())
                .withLabel("Credentials source"))
        .addIfNotNull(item("sageMakerEndpoint", sageMakerEndpoint(), "SageMaker endpoint override"))
        .addIfNotNull(
            item("runtimeEndpoint", runtimeEndpoint(), "SageMaker runtime endpoint override"))
        .addIfNotNull(item("s3Endpoint", s3Endpoint(), "S3 endpoint override"))
        .addIfNotNull(item("stsEndpoint", stsEndpoint(), "STS endpoint override"))
        .add(
            DisplayData.item("runtimeSocketTimeoutMillis", runtimeSocketTimeout().toMillis())
                .withLabel("Runtime socket timeout (ms)"));
  }

  private static DisplayData.ItemSpec<String> item(String key, URI uri, String label) {
    return DisplayData.item(key, uri == null ? null : uri.toString()).withLabel(label);
  }

  /**
   * Builder. The public setters check their value when called; {@link #build()} fills in path-style
   * S3 addressing when it was not set.
   */
  @AutoValue.Builder
  public abstract static class Builder {
    Builder() {}

    abstract Builder setRegion(@Nullable String region);

    abstract Builder setCredentials(AwsCredentialsSpec credentials);

    abstract Builder setSageMakerEndpoint(@Nullable URI endpoint);

    abstract Builder setRuntimeEndpoint(@Nullable URI endpoint);

    abstract Builder setS3Endpoint(@Nullable URI endpoint);

    abstract Optional<URI> s3Endpoint();

    abstract Builder setStsEndpoint(@Nullable URI endpoint);

    abstract Builder setS3PathStyleAccess(boolean pathStyle);

    abstract Optional<Boolean> s3PathStyleAccess();

    abstract Builder setMaxSdkRetries(int retries);

    abstract Builder setMaxConnections(int maxConnections);

    abstract Builder setConnectionTimeout(Duration timeout);

    abstract Builder setConnectionAcquisitionTimeout(Duration timeout);

    abstract Builder setSocketTimeout(Duration timeout);

    abstract Builder setRuntimeSocketTimeout(Duration timeout);

    abstract SageMakerClientConfiguration autoBuild();

    /** Region id such as {@code us-east-1}; null leaves it to the SDK's region provider chain. */
    public Builder region(@Nullable String region) {
      if (region != null && !region.matches("[a-z]{2}(-[a-z]+)+-\\d+|[a-z0-9-]+")) {
        throw new IllegalArgumentException(
            "region '" + region + "' is not a region id; expected something like us-east-1");
      }
      return setRegion(region);
    }

    public Builder credentials(AwsCredentialsSpec credentials) {
      if (credentials == null) {
        throw new IllegalArgumentException(
            "credentials must not be null; use AwsCredentialsSpec.defaultChain() for the SDK's"
                + " default chain");
      }
      return setCredentials(credentials);
    }

    public Builder sageMakerEndpoint(@Nullable URI endpoint) {
      return setSageMakerEndpoint(checkEndpoint("sageMakerEndpoint", endpoint));
    }

    public Builder runtimeEndpoint(@Nullable URI endpoint) {
      return setRuntimeEndpoint(checkEndpoint("runtimeEndpoint", endpoint));
    }

    public Builder s3Endpoint(@Nullable URI endpoint) {
      return setS3Endpoint(checkEndpoint("s3Endpoint", endpoint));
    }

    public Builder stsEndpoint(@Nullable URI endpoint) {
      return setStsEndpoint(checkEndpoint("stsEndpoint", endpoint));
    }

    /** Path-style S3 addressing; defaults to true when an S3 endpoint is overridden. */
    public Builder s3PathStyleAccess(boolean pathStyle) {
      return setS3PathStyleAccess(pathStyle);
    }

    /** SDK retries of control-plane, S3 and STS calls (not of InvokeEndpoint). */
    public Builder maxSdkRetries(int retries) {
      if (retries < 0 || retries > 50) {
        throw new IllegalArgumentException("maxSdkRetries must be in [0, 50], got " + retries);
      }
      return setMaxSdkRetries(retries);
    }

    /** Connection pool size of the synchronous clients. */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException(
            "maxConnections must be at least 1, got " + maxConnections);
      }
      return setMaxConnections(maxConnections);
    }

    public Builder connectionTimeout(Duration timeout) {
      return setConnectionTimeout(checkPositive("connectionTimeout", timeout));
    }

    public Builder connectionAcquisitionTimeout(Duration timeout) {
      return setConnectionAcquisitionTimeout(
          checkPositive("connectionAcquisitionTimeout", timeout));
    }

    /** Socket timeout of the control-plane, S3 and STS clients. */
    public Builder socketTimeout(Duration timeout) {
      return setSocketTimeout(checkPositive("socketTimeout", timeout));
    }

    /** Read/write timeout of the runtime client; keep it above the 60 s SageMaker gives a model. */
    public Builder runtimeSocketTimeout(Duration timeout) {
      return setRuntimeSocketTimeout(checkPositive("runtimeSocketTimeout", timeout));
    }

    public SageMakerClientConfiguration build() {
      if (s3PathStyleAccess().isEmpty()) {
        setS3PathStyleAccess(s3Endpoint().isPresent());
      }
      return autoBuild();
    }

    private static URI checkEndpoint(String name, URI endpoint) {
      if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
        throw new IllegalArgumentException(
            name
                + " '"
                + endpoint
                + "' needs a scheme and host, for example http://127.0.0.1:8080");
      }
      return endpoint;
    }

    private static Duration checkPositive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
      }
      return d;
    }
  }
}
