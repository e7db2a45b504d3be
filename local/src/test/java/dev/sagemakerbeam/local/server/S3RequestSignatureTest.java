package dev.sagemakerbeam.local.server;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.local.LocalCredentials;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * S3RequestSignature agrees with the AWS SDK's signer on every request both can sign, and accepts
 * what the SDK cannot express: a client (the AWS SDK for Java v1, as in Hadoop S3A) that signs
 * User-Agent.
 */
@SuppressWarnings("deprecation")
class S3RequestSignatureTest {
  private static final Pattern SIGNED =
      Pattern.compile(".*SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");
  private static final String SECRET = "localsecret";
  private static final Instant AT = Instant.now();
  private static final String EMPTY_SHA =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static SdkHttpFullRequest sdkSigned(
      String method, String pathAndQuery, Map<String, String> headers) {
    SdkHttpFullRequest.Builder request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .uri(URI.create("http://127.0.0.1:9000" + pathAndQuery));
    headers.forEach(request::putHeader);
    return Aws4Signer.create()
        .sign(
            request.build(),
            Aws4SignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create("local", SECRET))
                .signingName("s3")
                .signingRegion(Region.US_EAST_1)
                .signingClockOverride(Clock.fixed(AT, ZoneOffset.UTC))
                .doubleUrlEncode(false)
                .normalizePath(false)
                .build());
  }

  private static String ours(SdkHttpFullRequest signed, List<String> signedHeaders) {
    Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
    return S3RequestSignature.sign(
        signed.method().name(),
        signed.encodedPath(),
        signed.encodedQueryParameters().orElse(null),
        signedHeaders,
        S3RequestSignature.headerLookup(headers),
        signed.firstMatchingHeader("x-amz-content-sha256").orElse("UNSIGNED-PAYLOAD"),
        signed.firstMatchingHeader("X-Amz-Date").orElseThrow(),
        signed.firstMatchingHeader("X-Amz-Date").orElseThrow().substring(0, 8),
        "us-east-1",
        "s3",
        SECRET);
  }

  @Test
  void agreesWithTheSdkSigner() {
    List<String[]> requests =
        List.of(
            new String[] {"GET", "/bucket/key"},
            new String[] {"HEAD", "/bucket/a%20key/with%2Bplus/%E2%82%AC"},
            new String[] {
              "GET", "/bucket?list-type=2&prefix=a%2Fb%20c&delimiter=%2F&max-keys=1000"
            },
            new String[] {"POST", "/bucket?delete"},
            new String[] {"PUT", "/bucket/k?partNumber=2&uploadId=abc~_-."},
            new String[] {"GET", "/"});
    for (String[] r : requests) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("x-amz-content-sha256", EMPTY_SHA);
      headers.put("Content-Type", "application/octet-stream");
      headers.put("amz-sdk-invocation-id", "  spaced   value ");
      SdkHttpFullRequest signed = sdkSigned(r[0], r[1], headers);
      Matcher m = SIGNED.matcher(signed.firstMatchingHeader("Authorization").orElseThrow());
      assertThat(m.matches(), is(true));
      assertThat(r[0] + " " + r[1], ours(signed, List.of(m.group(1).split(";"))), is(m.group(2)));
    }
  }

  @Test
  void verifiesARequestThatSignsUserAgentAndRefusesATamperedOne() {
    SigV4Verifier verifier = new SigV4Verifier(new LocalCredentials("local", SECRET), "us-east-1");
    SdkHttpFullRequest base =
        sdkSigned("HEAD", "/bucket/records", Map.of("x-amz-content-sha256", EMPTY_SHA));
    List<String> signedHeaders =
        new ArrayList<>(List.of("host", "user-agent", "x-amz-content-sha256", "x-amz-date"));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Host", List.of("127.0.0.1:9000"));
    headers.put("User-Agent", List.of("Hadoop 3.3.4, aws-sdk-java/1.12.262"));
    headers.put("x-amz-content-sha256", List.of(EMPTY_SHA));
    headers.put("X-Amz-Date", List.of(base.firstMatchingHeader("X-Amz-Date").orElseThrow()));
    String date = headers.get("X-Amz-Date").get(0);
    String signature =
        S3RequestSignature.sign(
            "HEAD",
            "/bucket/records",
            null,
            signedHeaders,
            S3RequestSignature.headerLookup(headers),
            EMPTY_SHA,
            date,
            date.substring(0, 8),
            "us-east-1",
            "s3",
            SECRET);
    headers.put(
        "Authorization",
        List.of(
            "AWS4-HMAC-SHA256 Credential=local/"
                + date.substring(0, 8)
                + "/us-east-1/s3/aws4_request, SignedHeaders="
                + String.join(";", signedHeaders)
                + ", Signature="
                + signature));
    verifier.verifyS3("HEAD", "127.0.0.1:9000", 9000, "/bucket/records", null, headers);

    headers.put("User-Agent", List.of("something else"));
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                verifier.verifyS3(
                    "HEAD", "127.0.0.1:9000", 9000, "/bucket/records", null, headers));
    assertThat(e.code(), is("InvalidSignatureException"));
  }
}
