package dev.sagemakerbeam.local.server;

import dev.sagemakerbeam.local.LocalCredentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.internal.BaseAws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.core.checksums.SdkChecksum;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * Checks AWS Signature Version 4 on incoming requests by signing the same canonical request again
 * with the AWS SDK's own signer (same headers, date, region and service as the client used) and
 * comparing the signatures, so the canonicalisation rules are the SDK's, not a re-implementation.
 */
@SuppressWarnings("deprecation") // Aws4Signer: see verify()
public final class SigV4Verifier {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SigV4Verifier.class);
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*"
              + "SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);

  private final LocalCredentials credentials;
  private final String region;
  private final Aws4Signer signer = Aws4Signer.create();
  private final DeclaredPayloadHashSigner declaredPayloadSigner = new DeclaredPayloadHashSigner();

  /**
   * @param region the server's region: a credential scope naming another is refused, as AWS does
   */
  public SigV4Verifier(LocalCredentials credentials, String region) {
    this.credentials = credentials;
    this.region = region;
  }

  /**
   * Verifies a request.
   *
   * @param headers request headers, names in any case, each with its values
   * @param expectedService the signing name the operation belongs to (sagemaker, sts)
   * @throws ApiException 403 with the code AWS uses when the request is unsigned or wrong
   */
  public void verify(
      String method,
      String host,
      int port,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body,
      String expectedService) {
    verify(method, host, port, rawPath, rawQuery, headers, body, expectedService, false);
  }

  /**
   * Verifies an S3 request, whose canonical request uses the payload hash the client declared in
   * {@code x-amz-content-sha256} (a hex SHA-256, {@code UNSIGNED-PAYLOAD} or a {@code STREAMING-*}
   * literal) and S3's path rules (no double URL-encoding, no path normalisation). The body is not
   * read here: whoever consumes it must check a hex hash against it, and the chunk signatures of a
   * {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]} body with the returned chain.
   *
   * @return the chain of chunk signatures seeded by this request's signature, for a signed
   *     streaming upload; null otherwise
   * @throws ApiException 403 with the code AWS uses when the request is unsigned or wrong; 400
   *     AuthorizationHeaderMalformed when it is signed for another region
   */
  public ChunkSignatureChain verifyS3(
      String method,
      String host,
      int port,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers) {
    if (header(headers, "authorization") != null
        && header(headers, "x-amz-content-sha256") == null) {
      throw new ApiException(
          400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
    }
    return verify(method, host, port, rawPath, rawQuery, headers, new byte[0], "s3", true);
  }

  private ChunkSignatureChain verify(
      String method,
      String host,
      int port,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body,
      String expectedService,
      boolean s3) {
    String authorization = header(headers, "authorization");
    if (authorization == null) {
      throw new ApiException(
          403,
          "MissingAuthenticationTokenException",
          "Missing Authentication Token: sign requests with AWS Signature Version 4 using the"
              + " access key configured for SageMaker Local");
    }
    Matcher m = AUTHORIZATION.matcher(authorization.trim());
    if (!m.matches()) {
      throw new ApiException(
          403,
          "IncompleteSignatureException",
          "Authorization header is not a well-formed AWS4-HMAC-SHA256 signature");
    }
    String accessKey = m.group(1);
    String date = m.group(2);
    String region = m.group(3);
    String service = m.group(4);
    List<String> signedHeaders = List.of(m.group(5).split(";"));
    String signature = m.group(6);
    if (!accessKey.equals(credentials.accessKeyId())) {
      throw new ApiException(
          403,
          "UnrecognizedClientException",
          "The security token included in the request is invalid: access key '"
              + accessKey
              + "' is not the one SageMaker Local was started with");
    }
    if (!service.equals(expectedService)) {
      throw new ApiException(
          403,
          "InvalidSignatureException",
          "Credential should be scoped to correct service: '" + expectedService + "'");
    }
    if (!region.equals(this.region)) {
      if (s3) {
        // S3's answer (with the expected region in the message and in <Region>)
        throw new ApiException(
            400,
            "AuthorizationHeaderMalformed",
            "The authorization header is malformed; the region '"
                + region
                + "' is wrong; expecting '"
                + this.region
                + "'");
      }
      throw new ApiException(
          403,
          "InvalidSignatureException",
          "Credential should be scoped to a valid region, not '" + region + "'. ");
    }
    String amzDate = header(headers, "x-amz-date");
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate == null ? "" : amzDate));
    } catch (DateTimeParseException e) {
      throw new ApiException(
          403, "IncompleteSignatureException", "X-Amz-Date header missing or malformed");
    }
    if (Duration.between(signedAt, Instant.now()).abs().compareTo(MAX_SKEW) > 0) {
      throw new ApiException(
          403,
          "InvalidSignatureException",
          "Signature expired: " + amzDate + " is more than 15 minutes from the server time");
    }

    SdkHttpFullRequest.Builder request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .uri(
                URI.create(
                    "http://"
                        + (host == null ? "localhost:" + port : host)
                        + rawPath
                        + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery)))
            .contentStreamProvider(ContentStreamProvider.fromByteArray(body));
    for (String name : signedHeaders) {
      if (name.equals("host") || name.equals("x-amz-date")) {
        continue;
      }
      List<String> values = headerValues(headers, name);
      if (values == null) {
        throw new ApiException(
            403, "IncompleteSignatureException", "Signed header '" + name + "' is missing");
      }
      request.putHeader(name, values);
    }
    String contentSha = header(headers, "x-amz-content-sha256");
    if (!s3
        && contentSha != null
        && !contentSha.startsWith("UNSIGNED")
        && !contentSha.startsWith("STREAMING")
        && !contentSha.equals(sha256(body))) {
      throw new ApiException(
          403, "InvalidSignatureException", "x-amz-content-sha256 does not match the body");
    }
    if (s3
        && signedHeaders.stream()
            .anyMatch(S3RequestSignature.HEADERS_THE_SDK_DOES_NOT_SIGN::contains)) {
      // the SDK's signer would leave these out of the canonical request (see S3RequestSignature)
      String expected =
          S3RequestSignature.sign(
              method,
              rawPath,
              rawQuery,
              signedHeaders,
              S3RequestSignature.headerLookup(headers),
              contentSha == null ? "UNSIGNED-PAYLOAD" : contentSha,
              amzDate,
              m.group(2),
              region,
              service,
              credentials.secretAccessKey());
      if (!MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.US_ASCII),
          signature.getBytes(StandardCharsets.US_ASCII))) {
        throw signatureMismatch();
      }
      return chain(contentSha, amzDate, date, region, service, signature);
    }
    // The SDK's Aws4Signer signs exactly the headers it is given (the newer AwsV4HttpSigner always
    // adds x-amz-content-sha256, which botocore and the AWS CLI do not sign).
    SdkHttpFullRequest signed =
        (s3 ? declaredPayloadSigner : signer)
            .sign(
                request.build(),
                Aws4SignerParams.builder()
                    .awsCredentials(
                        AwsBasicCredentials.create(
                            credentials.accessKeyId(), credentials.secretAccessKey()))
                    .signingName(service)
                    .signingRegion(Region.of(region))
                    .signingClockOverride(Clock.fixed(signedAt, ZoneOffset.UTC))
                    .doubleUrlEncode(!s3)
                    .normalizePath(!s3)
                    .build());
    String expected = signed.firstMatchingHeader("Authorization").orElse("");
    if (LOG.isDebugEnabled() && !expected.endsWith(signature)) {
      LOG.debug(
          "Signature mismatch for {} {}: client signed headers {}, server re-signed as {}",
          method,
          rawPath,
          signedHeaders,
          signed.headers());
    }
    Matcher e = AUTHORIZATION.matcher(expected);
    if (!e.matches()
        || !MessageDigest.isEqual(
            e.group(6).getBytes(StandardCharsets.US_ASCII),
            signature.getBytes(StandardCharsets.US_ASCII))) {
      throw signatureMismatch();
    }
    return s3 ? chain(contentSha, amzDate, date, region, service, signature) : null;
  }

  private ChunkSignatureChain chain(
      String contentSha,
      String amzDate,
      String date,
      String region,
      String service,
      String seedSignature) {
    if (contentSha == null || !contentSha.startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")) {
      return null;
    }
    return new ChunkSignatureChain(
        S3RequestSignature.signingKey(credentials.secretAccessKey(), date, region, service),
        amzDate,
        date + "/" + region + "/" + service + "/aws4_request",
        seedSignature);
  }

  private static ApiException signatureMismatch() {
    return new ApiException(
        403,
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check"
            + " your AWS Secret Access Key and signing method.");
  }

  /**
   * The SDK's SigV4 signer with the payload hash taken from the request's {@code
   * x-amz-content-sha256} header instead of hashing the content, as S3 signs: the body of an upload
   * is streamed to the store and not available when the signature is checked.
   */
  private static final class DeclaredPayloadHashSigner extends BaseAws4Signer {
    @Override
    protected String calculateContentHash(
        SdkHttpFullRequest.Builder request, Aws4SignerParams params) {
      return request.firstMatchingHeader("x-amz-content-sha256").orElse("UNSIGNED-PAYLOAD");
    }

    @Override
    protected String calculateContentHash(
        SdkHttpFullRequest.Builder request, Aws4SignerParams params, SdkChecksum checksum) {
      return calculateContentHash(request, params);
    }
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String header(Map<String, List<String>> headers, String name) {
    List<String> values = headerValues(headers, name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static List<String> headerValues(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(name)) {
        return entry.getValue();
      }
    }
    return null;
  }
}
