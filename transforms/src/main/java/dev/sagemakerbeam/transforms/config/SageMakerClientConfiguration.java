package dev.sagemakerbeam.transforms.config;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.transforms.display.DisplayData;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Everything needed to build the AWS SDK v2 clients this library uses — SageMaker (control plane),
 * SageMaker runtime (async, for inference), S3 and STS — as one {@link Serializable} value that
 * pipelines ship to their workers, where the clients are built.
 *
 * <p>Pointing the library at SageMaker Local is {@link #forLocal}: the four endpoint URIs, the
 * region and a key pair it hands out. Against AWS, {@link #forRegion} with the default credential
 * chain, or {@link #fromAwsOptions} to take region, credentials and endpoint from Beam's {@code
 * AwsOptions}.
 *
 * <p>Why not Beam's {@code aws2.common.ClientConfiguration}: it holds one endpoint per client,
 * while one SageMaker job needs four (API, runtime, S3, STS) to agree, and it carries the
 * credentials provider as JSON, secrets included, among its printed properties. This class keeps
 * the same idea (region + credentials + endpoint + retry, serializable) and never prints a secret.
 *
 * <p>The runtime client gets no SDK retries: {@code InvokeEndpoint}'s engine retries each batch
 * itself, with its own bounds, so that it can split too-large batches and count throttles.
 */
public final class SageMakerClientConfiguration implements Serializable {
  private static final long serialVersionUID = 1L;

  /** InvokeEndpoint allows 60 s of model time; the socket must outlast it. */
  public static final Duration DEFAULT_RUNTIME_SOCKET_TIMEOUT = Duration.ofSeconds(70);

  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(50);
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CONNECTION_ACQUISITION_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_SDK_RETRIES = 5;
  public static final int DEFAULT_MAX_CONNECTIONS = 50;

  private static volatile SdkEventLoopGroup sharedEventLoop;

  private final String region;
  private final AwsCredentialsSpec credentials;
  private final URI sageMakerEndpoint;
  private final URI runtimeEndpoint;
  private final URI s3Endpoint;
  private final URI stsEndpoint;
  private final boolean s3PathStyleAccess;
  private final int maxSdkRetries;
  private final int maxConnections;
  private final Duration connectionTimeout;
  private final Duration connectionAcquisitionTimeout;
  private final Duration socketTimeout;
  private final Duration runtimeSocketTimeout;

  private SageMakerClientConfiguration(Builder b) {
    this.region = b.region;
    this.credentials = b.credentials;
    this.sageMakerEndpoint = b.sageMakerEndpoint;
    this.runtimeEndpoint = b.runtimeEndpoint;
    this.s3Endpoint = b.s3Endpoint;
    this.stsEndpoint = b.stsEndpoint;
    this.s3PathStyleAccess =
        b.s3PathStyleAccess != null ? b.s3PathStyleAccess : b.s3Endpoint != null;
    this.maxSdkRetries = b.maxSdkRetries;
    this.maxConnections = b.maxConnections;
    this.connectionTimeout = b.connectionTimeout;
    this.connectionAcquisitionTimeout = b.connectionAcquisitionTimeout;
    this.socketTimeout = b.socketTimeout;
    this.runtimeSocketTimeout = b.runtimeSocketTimeout;
  }

  /** A builder with the defaults: no region, default credential chain, AWS endpoints. */
  public static Builder builder() {
    return new Builder();
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

  public Builder toBuilder() {
    Builder b = new Builder();
    b.region = region;
    b.credentials = credentials;
    b.sageMakerEndpoint = sageMakerEndpoint;
    b.runtimeEndpoint = runtimeEndpoint;
    b.s3Endpoint = s3Endpoint;
    b.stsEndpoint = stsEndpoint;
    b.s3PathStyleAccess = s3PathStyleAccess;
    b.maxSdkRetries = maxSdkRetries;
    b.maxConnections = maxConnections;
    b.connectionTimeout = connectionTimeout;
    b.connectionAcquisitionTimeout = connectionAcquisitionTimeout;
    b.socketTimeout = socketTimeout;
    b.runtimeSocketTimeout = runtimeSocketTimeout;
    return b;
  }

  // ---- clients ----

  /** The SageMaker control-plane client (training jobs, models, endpoints), with SDK retries. */
  public SageMakerClient buildSageMakerClient() {
    return configureSync(SageMakerClient.builder(), sageMakerEndpoint).build();
  }

  /**
   * The async runtime client for InvokeEndpoint, on Netty with at most {@code maxConcurrency}
   * connections (requests beyond wait for one), the runtime socket timeout as read and write
   * timeout, no SDK retries (the caller retries), and request bodies sent without copies (see
   * {@link InvokeEndpointBodyInterceptor}).
   */
  public SageMakerRuntimeAsyncClient buildSageMakerRuntimeAsyncClient(int maxConcurrency) {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException(
          "maxConcurrency must be at least 1, got " + maxConcurrency);
    }
    var builder =
        SageMakerRuntimeAsyncClient.builder()
            .httpClientBuilder(
                NettyNioAsyncHttpClient.builder()
                    .eventLoopGroup(sharedEventLoopGroup())
                    .maxConcurrency(maxConcurrency)
                    .maxPendingConnectionAcquires(Math.max(10_000, maxConcurrency * 4))
                    .readTimeout(runtimeSocketTimeout)
                    .writeTimeout(runtimeSocketTimeout)
                    .connectionTimeout(connectionTimeout)
                    // InferenceBatchEngine keeps one request waiting for a connection, for as long
                    // as the request it follows may take
                    .connectionAcquisitionTimeout(
                        connectionAcquisitionTimeout.compareTo(runtimeSocketTimeout) >= 0
                            ? connectionAcquisitionTimeout
                            : runtimeSocketTimeout)
                    .tcpKeepAlive(true))
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .retryStrategy(AwsRetryStrategy.doNotRetry())
                    .addExecutionInterceptor(InvokeEndpointBodyInterceptor.INSTANCE)
                    // the read timeout catches a silent server; this catches one that answers too
                    // slowly
                    .apiCallAttemptTimeout(runtimeSocketTimeout.multipliedBy(2))
                    .build());
    applyCommon(builder, runtimeEndpoint);
    return builder.build();
  }

  /**
   * One Netty event loop for every runtime client of this JVM: each DoFn instance has its own
   * client (its own connection pool and concurrency cap), but threads are shared, and closing a
   * client does not wait out an event loop's shutdown quiet period. Daemon threads; never shut
   * down.
   */
  private static SdkEventLoopGroup sharedEventLoopGroup() {
    SdkEventLoopGroup group = sharedEventLoop;
    if (group == null) {
      synchronized (SageMakerClientConfiguration.class) {
        group = sharedEventLoop;
        if (group == null) {
          AtomicInteger threadNumber = new AtomicInteger();
          group =
              SdkEventLoopGroup.builder()
                  .numberOfThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
                  .threadFactory(
                      r -> {
                        Thread t =
                            new Thread(
                                r, "sagemaker-runtime-netty-" + threadNumber.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                      })
                  .build();
          sharedEventLoop = group;
        }
      }
    }
    return group;
  }

  public S3Client buildS3Client() {
    var builder = configureSync(S3Client.builder(), s3Endpoint);
    builder.forcePathStyle(s3PathStyleAccess);
    return builder.build();
  }

  public StsClient buildStsClient() {
    return configureSync(StsClient.builder(), stsEndpoint).build();
  }

  private <
          B extends
              software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>
                  & software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>>
      B configureSync(B builder, URI endpoint) {
    builder.httpClientBuilder(
        ApacheHttpClient.builder()
            .maxConnections(maxConnections)
            .connectionTimeout(connectionTimeout)
            .socketTimeout(socketTimeout)
            .connectionAcquisitionTimeout(connectionAcquisitionTimeout));
    builder.overrideConfiguration(
        ClientOverrideConfiguration.builder()
            .retryStrategy(
                maxSdkRetries == 0
                    ? AwsRetryStrategy.doNotRetry()
                    : AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(maxSdkRetries + 1)
                        .build())
            .build());
    applyCommon(builder, endpoint);
    return builder;
  }

  private void applyCommon(
      software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<?, ?> builder, URI endpoint) {
    if (region != null) {
      builder.region(Region.of(region));
    }
    builder.credentialsProvider(credentials.resolve());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
  }

  // ---- accessors ----

  /** The region id, or null to let the SDK's region chain decide. */
  public String region() {
    return region;
  }

  /**
   * The region every layer uses: this configuration's, else the one the SDK's default region chain
   * finds (aws.region, AWS_REGION, the profile file, instance metadata).
   *
   * @throws IllegalStateException when there is neither, saying how to target SageMaker Local or
   *     AWS
   */
  public String resolveRegion() {
    return resolveRegion(new DefaultAwsRegionProviderChain());
  }

  String resolveRegion(AwsRegionProvider chain) {
    if (region != null) {
      return region;
    }
    try {
      return chain.getRegion().id();
    } catch (SdkClientException e) {
      throw new IllegalStateException(
          "No AWS region: this SageMakerClientConfiguration names none and the"
              + " AWS SDK's region chain found none ("
              + e.getMessage()
              + "). To run on SageMaker Local, pass"
              + " SageMakerClientConfiguration.forLocal(local.apiEndpoint(), local.runtimeEndpoint(),"
              + " local.s3Endpoint(), local.stsEndpoint(), local.region(), key, secret); for AWS, use"
              + " SageMakerClientConfiguration.forRegion(\"us-east-1\") or set AWS_REGION.",
          e);
    }
  }

  /**
   * Resolves the credentials once, where a failure is still easy to read (before data is staged or
   * a job created).
   *
   * @throws IllegalStateException when none can be found, saying how to target SageMaker Local or
   *     AWS
   */
  public void checkCredentials() {
    try {
      credentials.resolve().resolveCredentials();
    } catch (SdkClientException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "No AWS credentials from "
              + credentials
              + " ("
              + e.getMessage()
              + "). To run on SageMaker Local, pass SageMakerClientConfiguration.forLocal(...) with"
              + " local.credentials(); for AWS, configure the default credential chain (AWS_ACCESS_KEY_ID"
              + " and AWS_SECRET_ACCESS_KEY, a profile, or an instance role) or give"
              + " SageMakerClientConfiguration.builder().credentials(AwsCredentialsSpec.staticKeys(...)).",
          e);
    }
  }

  /**
   * Points Beam's S3 file system ({@code s3://} paths in FileIO, TextIO, ...) at the same S3 as
   * this configuration: region, credentials, endpoint override and path-style addressing. The
   * transforms never call this (they use this configuration's own clients); call it yourself when
   * the pipeline's own reads and writes of {@code s3://} should go where SageMaker (or SageMaker
   * Local) reads.
   *
   * <p>Consequences: every {@code s3://} path of the pipeline then uses this S3 endpoint, and the
   * credentials provider is stored in the pipeline options, which Beam serializes as JSON to
   * workers and into job metadata: with {@link AwsCredentialsSpec#staticKeys} that JSON holds the
   * secret key in clear text. Prefer the default credential chain or a profile on AWS.
   */
  public void configureS3FileSystem(org.apache.beam.sdk.options.PipelineOptions options) {
    S3Options s3Options = options.as(S3Options.class);
    s3Options.setAwsRegion(Region.of(resolveRegion()));
    s3Options.setAwsCredentialsProvider(credentials.resolve());
    if (s3Endpoint != null) {
      s3Options.setEndpoint(s3Endpoint);
    }
    if (s3PathStyleAccess) {
      s3Options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
  }

  public AwsCredentialsSpec credentials() {
    return credentials;
  }

  public URI sageMakerEndpoint() {
    return sageMakerEndpoint;
  }

  public URI runtimeEndpoint() {
    return runtimeEndpoint;
  }

  public URI s3Endpoint() {
    return s3Endpoint;
  }

  public URI stsEndpoint() {
    return stsEndpoint;
  }

  public boolean s3PathStyleAccess() {
    return s3PathStyleAccess;
  }

  public int maxSdkRetries() {
    return maxSdkRetries;
  }

  public int maxConnections() {
    return maxConnections;
  }

  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  public Duration connectionAcquisitionTimeout() {
    return connectionAcquisitionTimeout;
  }

  public Duration socketTimeout() {
    return socketTimeout;
  }

  public Duration runtimeSocketTimeout() {
    return runtimeSocketTimeout;
  }

  /**
   * Adds region, endpoints and the credential source kind (never keys) to a transform's display
   * data.
   */
  public void populateDisplayData(DisplayData.Builder builder) {
    builder
        .addIfNotNull(DisplayData.item("region", region).withLabel("AWS region"))
        .add(
            DisplayData.item("credentials", credentials.toString()).withLabel("Credentials source"))
        .addIfNotNull(item("sageMakerEndpoint", sageMakerEndpoint, "SageMaker endpoint override"))
        .addIfNotNull(
            item("runtimeEndpoint", runtimeEndpoint, "SageMaker runtime endpoint override"))
        .addIfNotNull(item("s3Endpoint", s3Endpoint, "S3 endpoint override"))
        .addIfNotNull(item("stsEndpoint", stsEndpoint, "STS endpoint override"))
        .add(
            DisplayData.item("runtimeSocketTimeoutMillis", runtimeSocketTimeout.toMillis())
                .withLabel("Runtime socket timeout (ms)"));
  }

  private static DisplayData.ItemSpec<String> item(String key, URI uri, String label) {
    return DisplayData.item(key, uri == null ? null : uri.toString()).withLabel(label);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SageMakerClientConfiguration)) {
      return false;
    }
    SageMakerClientConfiguration c = (SageMakerClientConfiguration) o;
    return Objects.equals(region, c.region)
        && credentials.equals(c.credentials)
        && Objects.equals(sageMakerEndpoint, c.sageMakerEndpoint)
        && Objects.equals(runtimeEndpoint, c.runtimeEndpoint)
        && Objects.equals(s3Endpoint, c.s3Endpoint)
        && Objects.equals(stsEndpoint, c.stsEndpoint)
        && s3PathStyleAccess == c.s3PathStyleAccess
        && maxSdkRetries == c.maxSdkRetries
        && maxConnections == c.maxConnections
        && connectionTimeout.equals(c.connectionTimeout)
        && connectionAcquisitionTimeout.equals(c.connectionAcquisitionTimeout)
        && socketTimeout.equals(c.socketTimeout)
        && runtimeSocketTimeout.equals(c.runtimeSocketTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        region, credentials, sageMakerEndpoint, runtimeEndpoint, s3Endpoint, stsEndpoint);
  }

  /** Region, endpoints and settings; the credentials only by kind, never their keys. */
  @Override
  public String toString() {
    return "SageMakerClientConfiguration{region="
        + region
        + ", credentials="
        + credentials
        + ", sageMakerEndpoint="
        + sageMakerEndpoint
        + ", runtimeEndpoint="
        + runtimeEndpoint
        + ", s3Endpoint="
        + s3Endpoint
        + ", stsEndpoint="
        + stsEndpoint
        + ", s3PathStyleAccess="
        + s3PathStyleAccess
        + ", maxSdkRetries="
        + maxSdkRetries
        + ", maxConnections="
        + maxConnections
        + ", connectionTimeout="
        + connectionTimeout
        + ", socketTimeout="
        + socketTimeout
        + ", runtimeSocketTimeout="
        + runtimeSocketTimeout
        + "}";
  }

  /** Builder; {@link #build()} validates. */
  public static final class Builder {
    private String region;
    private AwsCredentialsSpec credentials = AwsCredentialsSpec.defaultChain();
    private URI sageMakerEndpoint;
    private URI runtimeEndpoint;
    private URI s3Endpoint;
    private URI stsEndpoint;
    private Boolean s3PathStyleAccess;
    private int maxSdkRetries = DEFAULT_MAX_SDK_RETRIES;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
    private Duration connectionAcquisitionTimeout = DEFAULT_CONNECTION_ACQUISITION_TIMEOUT;
    private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
    private Duration runtimeSocketTimeout = DEFAULT_RUNTIME_SOCKET_TIMEOUT;

    private Builder() {}

    /** Region id such as {@code us-east-1}; null leaves it to the SDK's region provider chain. */
    public Builder region(String region) {
      if (region != null && !region.matches("[a-z]{2}(-[a-z]+)+-\\d+|[a-z0-9-]+")) {
        throw new IllegalArgumentException(
            "region '" + region + "' is not a region id; expected something like us-east-1");
      }
      this.region = region;
      return this;
    }

    public Builder credentials(AwsCredentialsSpec credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    public Builder sageMakerEndpoint(URI endpoint) {
      this.sageMakerEndpoint = checkEndpoint("sageMakerEndpoint", endpoint);
      return this;
    }

    public Builder runtimeEndpoint(URI endpoint) {
      this.runtimeEndpoint = checkEndpoint("runtimeEndpoint", endpoint);
      return this;
    }

    public Builder s3Endpoint(URI endpoint) {
      this.s3Endpoint = checkEndpoint("s3Endpoint", endpoint);
      return this;
    }

    public Builder stsEndpoint(URI endpoint) {
      this.stsEndpoint = checkEndpoint("stsEndpoint", endpoint);
      return this;
    }

    /** Path-style S3 addressing; defaults to true when an S3 endpoint is overridden. */
    public Builder s3PathStyleAccess(boolean pathStyle) {
      this.s3PathStyleAccess = pathStyle;
      return this;
    }

    /** SDK retries of control-plane, S3 and STS calls (not of InvokeEndpoint). */
    public Builder maxSdkRetries(int retries) {
      if (retries < 0 || retries > 50) {
        throw new IllegalArgumentException("maxSdkRetries must be in [0, 50], got " + retries);
      }
      this.maxSdkRetries = retries;
      return this;
    }

    /** Connection pool size of the synchronous clients. */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException(
            "maxConnections must be at least 1, got " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    public Builder connectionTimeout(Duration timeout) {
      this.connectionTimeout = checkPositive("connectionTimeout", timeout);
      return this;
    }

    public Builder connectionAcquisitionTimeout(Duration timeout) {
      this.connectionAcquisitionTimeout = checkPositive("connectionAcquisitionTimeout", timeout);
      return this;
    }

    /** Socket timeout of the control-plane, S3 and STS clients. */
    public Builder socketTimeout(Duration timeout) {
      this.socketTimeout = checkPositive("socketTimeout", timeout);
      return this;
    }

    /** Read/write timeout of the runtime client; keep it above the 60 s SageMaker gives a model. */
    public Builder runtimeSocketTimeout(Duration timeout) {
      this.runtimeSocketTimeout = checkPositive("runtimeSocketTimeout", timeout);
      return this;
    }

    public SageMakerClientConfiguration build() {
      return new SageMakerClientConfiguration(this);
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
