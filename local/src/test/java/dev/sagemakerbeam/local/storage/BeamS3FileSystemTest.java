package dev.sagemakerbeam.local.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.sagemakerbeam.local.SageMakerLocal;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.MimeTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's AWS v2 S3 file system against SageMaker Local's S3 with the SDK's default checksum
 * settings (flexible checksums on, so multipart parts go up aws-chunked with a CRC32 trailer): only
 * endpoint, region, credentials and path-style addressing are set.
 */
class BeamS3FileSystemTest {
  static final String BUCKET = "beam-fs-bucket";

  @TempDir static Path dataDir;
  static SageMakerLocal local;

  /** Beam's default S3 client, path-style because the bucket is not a DNS name on loopback. */
  public static final class PathStyleOnly implements S3ClientBuilderFactory {
    @Override
    public S3ClientBuilder createBuilder(S3Options options) {
      return new DefaultS3ClientBuilderFactory().createBuilder(options).forcePathStyle(true);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    local = SageMakerLocal.builder().dataDirectory(dataDir).build();
    S3Options options = PipelineOptionsFactory.create().as(S3Options.class);
    options.setAwsRegion(Region.of(local.region()));
    options.setEndpoint(local.s3Endpoint());
    options.setAwsCredentialsProvider(
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(
                local.credentials().accessKeyId(), local.credentials().secretAccessKey())));
    options.setS3ClientFactoryClass(PathStyleOnly.class);
    FileSystems.setDefaultPipelineOptions(options);
    try (software.amazon.awssdk.services.s3.S3Client s3 =
        new PathStyleOnly().createBuilder(options).build()) {
      s3.createBucket(r -> r.bucket(BUCKET));
    }
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  @Test
  void writesAMultipartObjectAndReadsItBack() throws Exception {
    byte[] data = new byte[13 * 1024 * 1024 + 5];
    new Random(3).nextBytes(data);
    ResourceId file = FileSystems.matchNewResource("s3://" + BUCKET + "/beam/big.bin", false);
    // Closing the stream closes the channel (once: Beam's S3 channel must not be closed twice).
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.BINARY))) {
      out.write(data);
    }
    MatchResult match = FileSystems.match("s3://" + BUCKET + "/beam/*.bin");
    List<MatchResult.Metadata> files = match.metadata();
    assertThat(files, hasSize(1));
    assertThat(files.get(0).sizeBytes(), is((long) data.length));
    byte[] back;
    try (ReadableByteChannel channel = FileSystems.open(file);
        InputStream in = Channels.newInputStream(channel)) {
      back = in.readAllBytes();
    }
    assertArrayEquals(data, back);

    ResourceId copy = FileSystems.matchNewResource("s3://" + BUCKET + "/beam/copy.bin", false);
    FileSystems.copy(List.of(file), List.of(copy));
    FileSystems.delete(List.of(file));
    assertThat(FileSystems.match("s3://" + BUCKET + "/beam/*.bin").metadata(), hasSize(1));
    try (ReadableByteChannel channel = FileSystems.open(copy)) {
      ByteBuffer first = ByteBuffer.allocate(16);
      channel.read(first);
      byte[] head = new byte[16];
      System.arraycopy(data, 0, head, 0, 16);
      assertArrayEquals(head, first.array());
    }
  }
}
