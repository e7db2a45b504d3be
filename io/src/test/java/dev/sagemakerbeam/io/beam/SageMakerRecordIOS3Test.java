package dev.sagemakerbeam.io.beam;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.io.FileBasedSource;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.SourceTestUtils;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code s3://} write -> read through Beam's AWS v2 file system, against a real S3 endpoint
 * (S3Proxy over an in-memory blob store) on a free loopback port.
 */
class SageMakerRecordIOS3Test {
  private static final String ACCESS_KEY = "test-access";
  private static final String SECRET_KEY = "test-secret";
  private static final String BUCKET = "training";

  static BlobStoreContext blobs;
  static S3Proxy proxy;
  static URI endpoint;
  static S3Client s3;

  /**
   * Beam's default S3 client with path-style addressing (the bucket is not a DNS name on loopback)
   * and checksums only where S3 requires them: S3Proxy 2.6 rejects the SDK's default CRC trailer on
   * multipart upload parts ("x-amz-content-sha256 does not match").
   */
  public static final class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
    @Override
    public S3ClientBuilder createBuilder(S3Options options) {
      return new DefaultS3ClientBuilderFactory()
          .createBuilder(options)
          .forcePathStyle(true)
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
  }

  @BeforeAll
  static void startS3() throws Exception {
    blobs =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(blobs.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            // Beam's S3 file system always sends x-amz-server-side-encryption-bucket-key-enabled
            .ignoreUnknownHeaders(true)
            .build();
    proxy.start();
    for (int i = 0; i < 100 && !"STARTED".equals(proxy.getState()); i++) {
      Thread.sleep(50);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    s3 =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .forcePathStyle(true)
            .build();
    s3.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (proxy != null) {
      proxy.stop();
    }
    if (blobs != null) {
      blobs.close();
    }
  }

  @Test
  void writesShardsToS3AndReadsThemBackSplit() throws Exception {
    List<LabeledExample> examples = new ArrayList<>(TrainingExamples.dense(300, 30, true, 21));
    examples.addAll(TrainingExamples.sparse(300, 100_000, 50, true, 22));
    String prefix = "s3://" + BUCKET + "/job-1/train/";

    Pipeline write = Pipeline.create(options());
    write.apply(Create.of(examples)).apply(SageMakerRecordIO.write().to(prefix).withNumShards(2));
    write.run().waitUntilFinish();

    List<String> keys =
        s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("job-1/train/")).contents().stream()
            .map(S3Object::key)
            .collect(Collectors.toList());
    assertThat(keys, hasSize(2));
    assertThat(keys, everyItem(matchesPattern("job-1/train/part-0000[01]-of-00002\\.pbr")));

    Pipeline read = Pipeline.create(options());
    PCollection<LabeledExample> back =
        read.apply(SageMakerRecordIO.readExamples().from(prefix + "*.pbr"));
    PAssert.that(back).containsInAnyOrder(examples);
    read.run().waitUntilFinish();

    // the source splits S3 objects too (seeking the S3 channel to each split's start)
    S3Options options = options();
    Pipeline.create(
        options); // registers the S3 file system with these options for the direct calls below
    FileBasedSource<LabeledExample> source =
        SageMakerRecordIO.readExamples().from(prefix + "*.pbr").withMinBundleSize(1).source();
    List<? extends BoundedSource<LabeledExample>> splits = source.split(8192, options);
    assertThat(splits.size(), greaterThan(4));
    List<LabeledExample> union = new ArrayList<>();
    for (BoundedSource<LabeledExample> split : splits) {
      union.addAll(SourceTestUtils.readFromSource(split, options));
    }
    assertThat(union, hasSize(examples.size()));
    assertThat(union, containsInAnyOrder(examples.toArray()));
  }

  private static S3Options options() {
    S3Options options =
        PipelineOptionsFactory.fromArgs("--runner=DirectRunner").as(S3Options.class);
    options.setAwsRegion(Region.US_EAST_1);
    options.setEndpoint(endpoint);
    options.setAwsCredentialsProvider(
        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    return options;
  }
}
