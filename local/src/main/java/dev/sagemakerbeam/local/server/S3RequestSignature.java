package dev.sagemakerbeam.local.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SigV4 signature of an S3 request over exactly the headers the client listed in SignedHeaders.
 * {@link SigV4Verifier} re-signs with the AWS SDK v2's signer, which never signs {@code
 * User-Agent}, {@code Expect}, {@code Connection} or {@code X-Amzn-Trace-Id}; clients that do sign
 * them (the AWS SDK for Java v1, and so Hadoop's S3A, signs {@code User-Agent}) are checked here
 * instead, with S3's canonical form: the path URI-encoded once and not normalised, the query
 * sorted, header values trimmed, the declared payload hash. A test holds it to the SDK's signer on
 * the requests both can sign.
 */
final class S3RequestSignature {
  /** Headers the SDK v2 signer leaves out of a signature. */
  static final List<String> HEADERS_THE_SDK_DOES_NOT_SIGN =
      List.of("user-agent", "expect", "connection", "x-amzn-trace-id");

  private S3RequestSignature() {}

  /**
   * The hex signature.
   *
   * @param header the request's value(s) of a header, by lower-case name (null when absent)
   */
  static String sign(
      String method,
      String rawPath,
      String rawQuery,
      List<String> signedHeaders,
      Function<String, List<String>> header,
      String payloadHash,
      String amzDate,
      String date,
      String region,
      String service,
      String secretKey) {
    StringBuilder canonical =
        new StringBuilder()
            .append(method)
            .append('\n')
            .append(canonicalUri(rawPath))
            .append('\n')
            .append(canonicalQuery(rawQuery))
            .append('\n');
    for (String name : signedHeaders) {
      List<String> values = header.apply(name);
      List<String> trimmed = new ArrayList<>();
      for (String v : values == null ? List.<String>of() : values) {
        trimmed.add(v.trim().replaceAll("\\s+", " "));
      }
      canonical.append(name).append(':').append(String.join(",", trimmed)).append('\n');
    }
    canonical.append('\n').append(String.join(";", signedHeaders)).append('\n').append(payloadHash);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + HexFormat.of()
                .formatHex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of()
        .formatHex(hmac(signingKey(secretKey, date, region, service), stringToSign));
  }

  /** SigV4's signing key for a credential scope. */
  static byte[] signingKey(String secretKey, String date, String region, String service) {
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    return hmac(key, "aws4_request");
  }

  /** S3's canonical URI: the decoded path encoded once, slashes kept, nothing normalised. */
  static String canonicalUri(String rawPath) {
    return rawPath == null || rawPath.isEmpty() ? "/" : encode(decode(rawPath), false);
  }

  /** Parameters decoded and encoded again, sorted by name then value; a bare name gets '='. */
  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> params = new ArrayList<>();
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      params.add(new String[] {encode(decode(name), true), encode(decode(value), true)});
    }
    params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder out = new StringBuilder();
    for (String[] p : params) {
      out.append(out.length() == 0 ? "" : "&").append(p[0]).append('=').append(p[1]);
    }
    return out.toString();
  }

  /** RFC 3986 encoding of UTF-8 bytes: unreserved characters kept, '/' kept unless asked. */
  private static String encode(String s, boolean encodeSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || (c == '/' && !encodeSlash)) {
        out.append(c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** Percent-decoding only ('+' stays '+', as S3 reads it in paths and SigV4 queries). */
  private static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
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
      } else {
        byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The values of a header by lower-case name from a map whose names may have any case. */
  static Function<String, List<String>> headerLookup(Map<String, List<String>> headers) {
    return name -> {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    };
  }
}
