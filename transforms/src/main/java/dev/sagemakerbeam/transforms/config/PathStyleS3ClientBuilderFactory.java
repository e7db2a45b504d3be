package dev.sagemakerbeam.transforms.config;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's S3 client factory with path-style addressing, for S3 endpoints that are not virtual-host
 * capable (SageMaker Local's S3 on loopback, most S3-compatible stores). Set by {@link
 * SageMakerClients#configureS3FileSystem} when the configuration asks for path style.
 */
public final class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory().createBuilder(options).forcePathStyle(true);
  }
}
