package dev.sagemakerbeam.local;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sts.StsClient;

/** The real AWS SDK v2 clients pointed at a {@link SageMakerLocal}, as users configure them. */
public final class LocalClients implements AutoCloseable {
  public final SageMakerClient sageMaker;
  public final SageMakerRuntimeClient runtime;
  public final S3Client s3;
  public final StsClient sts;

  public LocalClients(SageMakerLocal local) {
    this(local, local.credentials().accessKeyId(), local.credentials().secretAccessKey(), 50);
  }

  public LocalClients(
      SageMakerLocal local, String accessKey, String secretKey, int maxConnections) {
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    Region region = Region.of(local.region());
    ClientOverrideConfiguration noRetries =
        ClientOverrideConfiguration.builder()
            .retryStrategy(RetryMode.STANDARD)
            .apiCallTimeout(Duration.ofSeconds(90))
            .build();
    sageMaker =
        SageMakerClient.builder()
            .endpointOverride(local.apiEndpoint())
            .region(region)
            .credentialsProvider(credentials)
            .overrideConfiguration(noRetries)
            .httpClientBuilder(ApacheHttpClient.builder().maxConnections(maxConnections))
            .build();
    runtime =
        SageMakerRuntimeClient.builder()
            .endpointOverride(local.runtimeEndpoint())
            .region(region)
            .credentialsProvider(credentials)
            .overrideConfiguration(noRetries)
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .maxConnections(maxConnections)
                    .socketTimeout(Duration.ofSeconds(70)))
            .build();
    s3 =
        S3Client.builder()
            .endpointOverride(local.s3Endpoint())
            .region(region)
            .credentialsProvider(credentials)
            .forcePathStyle(true)
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();
    sts =
        StsClient.builder()
            .endpointOverride(local.stsEndpoint())
            .region(region)
            .credentialsProvider(credentials)
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();
  }

  @Override
  public void close() {
    sageMaker.close();
    runtime.close();
    s3.close();
    sts.close();
  }
}
