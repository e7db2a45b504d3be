package dev.sagemakerbeam.local.storage;

import dev.sagemakerbeam.local.server.ApiException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * S3's rules for bucket names and the length of keys (at most 1,024 bytes in UTF-8, else 400
 * KeyTooLongError). Nothing else about a key is refused: {@code .}, {@code ..} and any other
 * segment are ordinary characters, as in S3, since the store never uses a key as a path ({@link
 * AtomicFileBlobStore}).
 */
final class S3Names {
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS =
      Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  private S3Names() {}

  /**
   * Checks a request's bucket and key, and the bucket of its copy source.
   *
   * @param rawPath the request URI's path, percent-encoded
   * @param copySource {@code x-amz-copy-source}, or null
   * @throws ApiException 400 InvalidBucketName or KeyTooLongError
   */
  static void check(String rawPath, String copySource) {
    String path = percentDecode(rawPath == null ? "/" : rawPath, false);
    String rest = path.startsWith("/") ? path.substring(1) : path;
    if (!rest.isEmpty()) {
      int slash = rest.indexOf('/');
      checkBucket(slash < 0 ? rest : rest.substring(0, slash));
      if (slash >= 0) {
        checkKeyLength(rest.substring(slash + 1));
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
    }
  }

  static void checkKeyLength(String key) {
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > AtomicFileBlobStore.MAX_KEY_BYTES) {
      throw new ApiException(
          400,
          "KeyTooLongError",
          "Your key is too long: "
              + bytes
              + " bytes in UTF-8, at most "
              + AtomicFileBlobStore.MAX_KEY_BYTES
              + " allowed");
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
