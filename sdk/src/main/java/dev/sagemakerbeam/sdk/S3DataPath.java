package dev.sagemakerbeam.sdk;

import java.net.URI;
import java.util.Objects;

/** A bucket and an object path (prefix) in it. */
public final class S3DataPath implements S3Resource {
  private static final long serialVersionUID = 1L;
  private final String bucket;
  private final String objectPath;

  public S3DataPath(String bucket, String objectPath) {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("S3DataPath needs a bucket name, got '" + bucket + "'");
    }
    this.bucket = bucket;
    this.objectPath = objectPath == null ? "" : objectPath.replaceAll("^/+|/+$", "");
  }

  /** Parses {@code s3://bucket/path}. */
  public static S3DataPath parse(String uri) {
    URI u = URI.create(uri.trim());
    if (!"s3".equals(u.getScheme()) && !"s3a".equals(u.getScheme())) {
      throw new IllegalArgumentException("'" + uri + "' is not an s3://bucket/path URI");
    }
    return new S3DataPath(u.getHost(), u.getPath());
  }

  public String bucket() {
    return bucket;
  }

  public String objectPath() {
    return objectPath;
  }

  /** This path with {@code child} appended. */
  public S3DataPath resolve(String child) {
    return new S3DataPath(bucket, objectPath.isEmpty() ? child : objectPath + "/" + child);
  }

  /** {@code s3://bucket/path} without a trailing slash. */
  public String toS3Uri() {
    return "s3://" + bucket + (objectPath.isEmpty() ? "" : "/" + objectPath);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof S3DataPath
        && ((S3DataPath) o).bucket.equals(bucket)
        && ((S3DataPath) o).objectPath.equals(objectPath);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bucket, objectPath);
  }

  @Override
  public String toString() {
    return toS3Uri();
  }
}
