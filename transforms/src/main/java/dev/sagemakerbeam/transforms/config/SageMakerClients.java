package dev.sagemakerbeam.transforms.config;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
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
 * Builds the AWS SDK v2 clients of a {@link SageMakerClientConfiguration}: {@link #sageMaker}
 * (control plane, with SDK retries), {@link #runtimeAsync} (InvokeEndpoint, no SDK retries), {@link
 * #s3} and {@link #sts}. Every call builds a new client, which the caller closes. The configuration
 * is the serializable value shipped to workers; this class is where it meets the SDK, so that the
 * value holds no client code and nothing here is shipped.
 *
 * <p>Also here, because they resolve what the configuration only names: {@link #resolveRegion}, the
 * one region rule of every layer (Beam transforms, Spark estimators, examples), {@link
 * #checkCredentials}, and {@link #configureS3FileSystem}, the explicit call that points Beam's
 * {@code s3://} file system at the configured S3 (no transform makes it for you).
 *
 * <p>The runtime client gets no SDK retries: {@code InvokeEndpoint}'s engine retries each batch
 * itself, with its own bounds, so that it can split too-large batches and count throttles.
 */
public final class SageMakerClients {
  private static volatile SdkEventLoopGroup sharedEventLoop;

  private SageMakerClients() {}

  /** The SageMaker control-plane client (training jobs, models, endpoints), with SDK retries. */
  public static SageMakerClient sageMaker(SageMakerClientConfiguration config) {
    return configureSync(config, SageMakerClient.builder(), config.sageMakerEndpoint()).build();
  }

  /**
   * The async runtime client for InvokeEndpoint, on Netty with at most {@code maxConcurrency}
   * connections (requests beyond wait for one), the runtime socket timeout as read and write
   * timeout, no SDK retries (the caller retries), and request bodies sent without copies (see
   * {@link InvokeEndpointBodyInterceptor}).
   */
  public static SageMakerRuntimeAsyncClient runtimeAsync(
      SageMakerClientConfiguration config, int maxConcurrency) {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException(
          "maxConcurrency must be at least 1, got " + maxConcurrency);
    }
    var runtimeSocketTimeout = config.runtimeSocketTimeout();
    var connectionAcquisitionTimeout = config.connectionAcquisitionTimeout();
    var builder =
        SageMakerRuntimeAsyncClient.builder()
            .httpClientBuilder(
                NettyNioAsyncHttpClient.builder()
                    .eventLoopGroup(sharedEventLoopGroup())
                    .maxConcurrency(maxConcurrency)
                    .maxPendingConnectionAcquires(Math.max(10_000, maxConcurrency * 4))
                    .readTimeout(runtimeSocketTimeout)
                    .writeTimeout(runtimeSocketTimeout)
                    .connectionTimeout(config.connectionTimeout())
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
    applyCommon(config, builder, config.runtimeEndpoint());
    return builder.build();
  }

  /** The S3 client, path-style when the configuration says so. */
  public static S3Client s3(SageMakerClientConfiguration config) {
    var builder = configureSync(config, S3Client.builder(), config.s3Endpoint());
    builder.forcePathStyle(config.s3PathStyleAccess());
    return builder.build();
  }

  /** The STS client (the caller's account, for default bucket names). */
  public static StsClient sts(SageMakerClientConfiguration config) {
    return configureSync(config, StsClient.builder(), config.stsEndpoint()).build();
  }

  /**
   * The region every layer uses: the configuration's, else the one the SDK's default region chain
   * finds (aws.region, AWS_REGION, the profile file, instance metadata).
   *
   * @throws IllegalStateException when there is neither, saying how to target SageMaker Local or
   *     AWS
   */
  public static String resolveRegion(SageMakerClientConfiguration config) {
    return resolveRegion(config, new DefaultAwsRegionProviderChain());
  }

  static String resolveRegion(SageMakerClientConfiguration config, AwsRegionProvider chain) {
    if (config.region() != null) {
      return config.region();
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
  public static void checkCredentials(SageMakerClientConfiguration config) {
    try {
      config.credentials().resolve().resolveCredentials();
    } catch (SdkClientException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "No AWS credentials from "
              + config.credentials()
              + " ("
              + e.getMessage()
              + "). To run on SageMaker Local, pass SageMakerClientConfiguration.forLocal(...) with"
              + " local.credentials(); for AWS, configure the default credential chain (AWS_ACCESS_KEY_ID"
              + " and AWS_SECRET_ACCESS_KEY, a profile, or an instance role) or give"
              + " SageMakerClientConfiguration.builder().credentials(AwsCredentialsSpec.staticKeys(...))."
              + " A loaded PipelineModel or stage (whose static keys were never saved) takes them"
              + " with SageMakerStages.useClientConfiguration(model, configuration).",
          e);
    }
  }

  /**
   * Points Beam's S3 file system ({@code s3://} paths in FileIO, TextIO, ...) at the same S3 as
   * {@code config}: region, credentials, endpoint override and path-style addressing. The
   * transforms never call this (they use the configuration's own clients, and their {@code
   * expand()} leaves the pipeline's options alone); call it yourself, before the pipeline is
   * created from {@code options}, when the pipeline's own reads and writes of {@code s3://} should
   * go where SageMaker (or SageMaker Local) reads.
   *
   * <p>Consequences: every {@code s3://} path of the pipeline then uses this S3 endpoint, and the
   * credentials provider is stored in the pipeline options, which Beam serializes as JSON to
   * workers and into job metadata: with {@link AwsCredentialsSpec#staticKeys} that JSON holds the
   * secret key in clear text. Prefer the default credential chain or a profile on AWS.
   */
  public static void configureS3FileSystem(
      SageMakerClientConfiguration config, PipelineOptions options) {
    S3Options s3Options = options.as(S3Options.class);
    s3Options.setAwsRegion(Region.of(resolveRegion(config)));
    s3Options.setAwsCredentialsProvider(config.credentials().resolve());
    if (config.s3Endpoint() != null) {
      s3Options.setEndpoint(config.s3Endpoint());
    }
    if (config.s3PathStyleAccess()) {
      s3Options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
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
      synchronized (SageMakerClients.class) {
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

  private static <B extends AwsSyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B configureSync(
      SageMakerClientConfiguration config, B builder, URI endpoint) {
    builder.httpClientBuilder(
        ApacheHttpClient.builder()
            .maxConnections(config.maxConnections())
            .connectionTimeout(config.connectionTimeout())
            .socketTimeout(config.socketTimeout())
            .connectionAcquisitionTimeout(config.connectionAcquisitionTimeout()));
    int retries = config.maxSdkRetries();
    builder.overrideConfiguration(
        ClientOverrideConfiguration.builder()
            .retryStrategy(
                retries == 0
                    ? AwsRetryStrategy.doNotRetry()
                    : AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(retries + 1)
                        .build())
            .build());
    applyCommon(config, builder, endpoint);
    return builder;
  }

  private static void applyCommon(
      SageMakerClientConfiguration config, AwsClientBuilder<?, ?> builder, URI endpoint) {
    if (config.region() != null) {
      builder.region(Region.of(config.region()));
    }
    builder.credentialsProvider(config.credentials().resolve());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
  }
}
