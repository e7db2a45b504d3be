package dev.sagemakerbeam.local.storage;

import dev.sagemakerbeam.local.server.ApiException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * S3's rules for bucket names, and the one rule on keys that a store keeping objects as files
 * needs: no {@code .} or {@code ..} path segment (with {@code /} or {@code \} as separator) in a
 * key, or in anything the store turns into a file name (list prefixes and markers, multipart upload
 * ids, copy sources). S3 itself would take such a key as plain characters; here it would name a
 * file outside the bucket's directory, so it is refused with 400 InvalidArgument, and no message
 * ever shows a path of the host.
 */
final class S3Names {
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS =
      Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  /** Query parameters whose values the store uses as (parts of) file names. */
  private static final List<String> PATH_LIKE_PARAMETERS =
      List.of(
          "prefix",
          "marker",
          "start-after",
          "continuation-token",
          "key-marker",
          "upload-id-marker",
          "uploadId");

  private S3Names() {}

  /**
   * Checks a request's bucket, key, path-like query parameters and copy source.
   *
   * @param rawPath the request URI's path, percent-encoded
   * @param rawQuery the query string, or null
   * @param copySource {@code x-amz-copy-source}, or null
   * @throws ApiException 400 InvalidBucketName or InvalidArgument
   */
  static void check(String rawPath, String rawQuery, String copySource) {
    String path = percentDecode(rawPath == null ? "/" : rawPath, false);
    String rest = path.startsWith("/") ? path.substring(1) : path;
    if (!rest.isEmpty()) {
      int slash = rest.indexOf('/');
      checkBucket(slash < 0 ? rest : rest.substring(0, slash));
      if (slash >= 0) {
        checkKey("key", rest.substring(slash + 1));
      }
    }
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
        if (eq >= 0 && PATH_LIKE_PARAMETERS.contains(name)) {
          checkKey(name, percentDecode(pair.substring(eq + 1), true));
        }
      }
    }
    if (copySource != null) {
      String source = percentDecode(copySource, false);
      int version = source.indexOf("?versionId=");
      if (version >= 0) {
        source = source.substring(0, version);
      }
      source = source.startsWith("/") ? source.substring(1) : source;
      int slash = source.indexOf('/');
      checkBucket(slash < 0 ? source : source.substring(0, slash));
      checkKey("x-amz-copy-source", slash < 0 ? "" : source.substring(slash + 1));
    }
  }

  /** S3's rules for general purpose bucket names. */
  static void checkBucket(String bucket) {
    if (!BUCKET.matcher(bucket).matches()
        || bucket.contains("..")
        || IP_ADDRESS.matcher(bucket).matches()
        || bucket.startsWith("xn--")
        || bucket.startsWith("sthree-")
        || bucket.endsWith("-s3alias")
        || bucket.endsWith("--ol-s3")) {
      throw new ApiException(
          400,
          "InvalidBucketName",
          "The specified bucket is not valid. Bucket names are 3 to 63 characters of lowercase"
              + " letters, digits, dots and hyphens, begin and end with a letter or digit, have no"
              + " two adjacent dots and are not IP addresses ('"
              + truncate(bucket)
              + "')");
    }
  }

  private static void checkKey(String what, String value) {
    for (String segment : value.split("[/\\\\]", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        throw new ApiException(
            400,
            "InvalidArgument",
            "SageMaker Local's S3 does not accept '.' or '..' path segments in "
                + what
                + " ('"
                + truncate(value)
                + "'): its store keeps each object as a file under its bucket's directory");
      }
    }
  }

  private static String truncate(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "...";
  }

  /** Percent-decoding as S3 reads paths ({@code +} kept) or query values ({@code +} a space). */
  private static String percentDecode(String s, boolean plusIsSpace) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%'
          && i + 2 < s.length()
          && Character.digit(s.charAt(i + 1), 16) >= 0
          && Character.digit(s.charAt(i + 2), 16) >= 0) {
        bytes.write(
            Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
