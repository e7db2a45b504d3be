package dev.sagemakerbeam.local.storage;

import dev.sagemakerbeam.local.server.ApiException;

/**
 * A parsed {@code s3://bucket/key} URI, with the key checked so it cannot leave its bucket.
 *
 * @param bucket the bucket
 * @param key the key or prefix, without a leading slash; may be empty
 */
public record S3Location(String bucket, String key) {

  /**
   * Parses {@code uri} for the request field {@code field}.
   *
   * @throws ApiException ValidationException naming the field and the problem
   */
  public static S3Location parse(String field, String uri) {
    if (uri == null || !uri.startsWith("s3://")) {
      throw ApiException.validation(
          "Value '"
              + uri
              + "' at '"
              + field
              + "' failed to satisfy constraint: it must be an S3 URI"
              + " of the form s3://bucket/key");
    }
    String rest = uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    if (!bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
      throw ApiException.validation(
          "Bucket name '"
              + bucket
              + "' in '"
              + field
              + "' ("
              + uri
              + ") is not a valid S3 bucket name");
    }
    checkKey(field, key);
    return new S3Location(bucket, key);
  }

  /**
   * Rejects keys with {@code .} or {@code ..} segments, which would escape the bucket directory.
   */
  public static void checkKey(String field, String key) {
    for (String segment : key.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        throw ApiException.validation(
            "S3 key '"
                + key
                + "' in '"
                + field
                + "' contains a '"
                + segment
                + "' path segment; use a key without relative segments");
      }
    }
  }

  /** This location with {@code suffix} appended after a separating slash. */
  public S3Location resolve(String suffix) {
    String base = key.isEmpty() || key.endsWith("/") ? key : key + "/";
    return new S3Location(bucket, base + suffix);
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key;
  }
}
