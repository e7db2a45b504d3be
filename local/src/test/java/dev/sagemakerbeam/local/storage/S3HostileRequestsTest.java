package dev.sagemakerbeam.local.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.local.SageMakerLocal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Requests a well-behaved SDK never sends, against SageMaker Local's S3: replayed bodies cut to
 * nothing, {@code ..} in keys, prefixes and markers (ordinary characters, as in S3, that reach no
 * file of the host), names S3 refuses, another region's signatures, forged chunk signatures. Raw
 * requests are signed here by the test's own SigV4 code (checked by sending a correctly signed one
 * first) and sent over a plain socket.
 */
class S3HostileRequestsTest {
  static final String BUCKET = "hostile-bucket";
  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @TempDir static Path dataDir;
  static SageMakerLocal local;
  static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    local = SageMakerLocal.builder().dataDirectory(dataDir).build();
    s3 = client(local.region());
    s3.createBucket(r -> r.bucket(BUCKET));
    // a file beside the buckets that a listing walking out of its bucket would show
    Files.writeString(dataDir.resolve("state").resolve("secret.json"), "{\"secret\":true}");
  }

  static S3Client client(String region) {
    return S3Client.builder()
        .endpointOverride(local.s3Endpoint())
        .region(Region.of(region))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    local.credentials().accessKeyId(), local.credentials().secretAccessKey())))
        .forcePathStyle(true)
        .build();
  }

  @AfterAll
  static void stop() {
    s3.close();
    local.close();
  }

  // ---- (a) a signed PUT replayed with an empty body

  @Test
  void signedPutReplayedWithAnEmptyBodyKeepsTheObject() throws Exception {
    String key = "replay/object";
    byte[] content = "the real content".getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new TreeMap<>();
    headers.put("content-length", Integer.toString(content.length));
    Raw first = send("PUT", "/" + BUCKET + "/" + key, null, headers, hex(sha256(content)), content);
    assertThat(first.body, first.status, equalTo(200));
    assertThat(get(key), equalTo("the real content"));

    // the same signed headers, Content-Length 0 (not signed), no body
    Map<String, String> replay = new TreeMap<>();
    Raw cut =
        send("PUT", "/" + BUCKET + "/" + key, null, replay, hex(sha256(content)), new byte[0]);
    assertThat(cut.body, cut.status, equalTo(400));
    assertThat(cut.body, containsString("<Code>XAmzContentSHA256Mismatch</Code>"));
    assertThat(get(key), equalTo("the real content"));

    // a truly empty body declared as such is fine
    Raw empty =
        send("PUT", "/" + BUCKET + "/replay/empty", null, replay, hex(sha256(new byte[0])), null);
    assertThat(empty.body, empty.status, equalTo(200));
    assertThat(get("replay/empty"), equalTo(""));
  }

  // ---- (b) '..' in keys, prefixes and markers

  @Test
  void listingsWithDotDotPrefixesOrMarkersListOnlyTheBucket() throws Exception {
    s3.putObject(r -> r.bucket(BUCKET).key("inside/a"), RequestBody.fromString("a"));
    for (String prefix : List.of("../../state/", "../../../../../etc/", "inside/../../")) {
      assertThat(
          prefix, s3.listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)).keyCount(), equalTo(0));
    }
    // as S3 does, a marker is a position in the bucket's keys: "../../state/a" sorts before them
    assertThat(
        keys(
            s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("inside/").startAfter("../../state/a"))
                .contents()),
        equalTo(List.of("inside/a")));
    assertThat(
        keys(
            s3.listObjects(r -> r.bucket(BUCKET).prefix("inside/").marker("../../state/a"))
                .contents()),
        equalTo(List.of("inside/a")));
    // raw, without any path or file of the host
    for (String query :
        List.of(
            "list-type=2&prefix=..%2F..%2Fstate%2F",
            "list-type=2&prefix=..%2F..%2F..%2F..%2F..%2Fetc%2F",
            "marker=..%2F..%2Fstate%2F&prefix=..%2F..%2Fstate",
            "list-type=2&start-after=..%5C..%5Cstate&prefix=..%5C..%5Cstate%5C")) {
      Raw raw = send("GET", "/" + BUCKET, query, new TreeMap<>(), hex(sha256(new byte[0])), null);
      assertThat(query, raw.status, equalTo(200));
      assertThat(raw.body, startsWith("<?xml"));
      assertThat(raw.body, not(containsString("<Contents>")));
      assertNoHostPath(raw.body);
      assertThat(raw.body, not(containsString("secret")));
    }
  }

  private static List<String> keys(List<S3Object> objects) {
    return objects.stream().map(S3Object::key).collect(Collectors.toList());
  }

  @Test
  void keysWithDotSegmentsAreStoredAsKeysAndNothingIsWrittenOutsideTheStore() throws Exception {
    Map<String, String> sentAndStored = new LinkedHashMap<>();
    sentAndStored.put("../escaped", "../escaped");
    sentAndStored.put("a/../../escaped", "a/../../escaped");
    sentAndStored.put("..%5C..%5Cescaped", "..\\..\\escaped");
    sentAndStored.put("a/./b", "a/./b");
    sentAndStored.put("%2E%2E/escaped2", "../escaped2");
    List<String> before;
    try (Stream<Path> files = Files.walk(dataDir)) {
      before = files.map(Path::toString).filter(p -> !p.contains("_store")).sorted().toList();
    }
    for (Map.Entry<String, String> key : sentAndStored.entrySet()) {
      byte[] body = ("content of " + key.getValue()).getBytes(StandardCharsets.UTF_8);
      Map<String, String> headers = new TreeMap<>();
      headers.put("content-length", Integer.toString(body.length));
      Raw put =
          send("PUT", "/" + BUCKET + "/" + key.getKey(), null, headers, hex(sha256(body)), body);
      assertThat(key + ": " + put.body, put.status, equalTo(200));
      Raw got =
          send(
              "GET",
              "/" + BUCKET + "/" + key.getKey(),
              null,
              new TreeMap<>(),
              hex(sha256(new byte[0])),
              null);
      assertThat(key + ": " + got.body, got.status, equalTo(200));
      assertThat(got.body, containsString("content of " + key.getValue()));
      // and with the SDK, which sends the key as it is
      assertThat(get(key.getValue()), equalTo("content of " + key.getValue()));
    }
    List<String> listed =
        s3.listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents().stream()
            .map(S3Object::key)
            .filter(k -> k.contains("escaped") || k.startsWith("a/"))
            .sorted()
            .toList();
    assertThat(listed, equalTo(sentAndStored.values().stream().sorted().toList()));
    // CopyObject from outside the bucket finds no such key
    Map<String, String> copy = new TreeMap<>();
    copy.put("x-amz-copy-source", "/" + BUCKET + "/../../state/secret.json");
    Raw raw = send("PUT", "/" + BUCKET + "/copied", null, copy, hex(sha256(new byte[0])), null);
    assertThat(raw.body, raw.status, equalTo(404));
    assertThat(raw.body, containsString("<Code>NoSuchKey</Code>"));
    assertNoHostPath(raw.body);
    // no file appeared outside the store's own directory, and none is named after a key
    try (Stream<Path> files = Files.walk(dataDir)) {
      List<String> paths = files.map(Path::toString).toList();
      assertThat(paths.stream().filter(p -> p.contains("escaped")).toList(), equalTo(List.of()));
      assertThat(
          paths.stream().filter(p -> !p.contains("_store")).sorted().toList(), equalTo(before));
    }
    // dots inside names are ordinary characters too
    s3.putObject(r -> r.bucket(BUCKET).key("dots/...a/b..c/.d"), RequestBody.fromString("ok"));
    assertThat(get("dots/...a/b..c/.d"), equalTo("ok"));
  }

  // ---- (c) bucket names

  @Test
  void bucketNamesFollowS3Rules() throws Exception {
    for (String name :
        List.of(
            "UPPERCASE",
            "a..b",
            "under_score",
            "x".repeat(64),
            "ab",
            "-start",
            "end-",
            "192.168.1.1")) {
      Raw raw = send("PUT", "/" + name, null, new TreeMap<>(), hex(sha256(new byte[0])), null);
      assertThat(name, raw.status, equalTo(400));
      assertThat(name, raw.body, containsString("<Code>InvalidBucketName</Code>"));
    }
    for (String name : List.of("abc", "x".repeat(63), "my.bucket-1", "0-9")) {
      s3.createBucket(r -> r.bucket(name));
      s3.headBucket(r -> r.bucket(name));
    }
  }

  // ---- (d) the credential scope's region

  @Test
  void requestsSignedForAnotherRegionAreRefused() throws Exception {
    try (S3Client elsewhere = client("eu-west-1")) {
      S3Exception e =
          assertThrows(
              S3Exception.class,
              () ->
                  elsewhere.putObject(
                      r -> r.bucket(BUCKET).key("region/x"), RequestBody.fromString("x")));
      assertThat(e.statusCode(), equalTo(400));
      assertThat(e.awsErrorDetails().errorCode(), equalTo("AuthorizationHeaderMalformed"));
      assertThat(
          e.awsErrorDetails().errorMessage(),
          equalTo(
              "The authorization header is malformed; the region 'eu-west-1' is wrong; expecting '"
                  + local.region()
                  + "'"));
      assertThat(
          assertThrows(S3Exception.class, () -> elsewhere.listObjectsV2(r -> r.bucket(BUCKET)))
              .statusCode(),
          equalTo(400));
    }
    Raw raw =
        send(
            "GET",
            "/" + BUCKET,
            "list-type=2",
            new TreeMap<>(),
            hex(sha256(new byte[0])),
            null,
            "us-west-2");
    assertThat(raw.body, containsString("<Region>" + local.region() + "</Region>"));
    assertThat(s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("region/")).keyCount(), equalTo(0));
  }

  // ---- (e) chunk signatures of STREAMING-AWS4-HMAC-SHA256-PAYLOAD uploads

  @Test
  void chunkSignaturesAreVerified() throws Exception {
    String key = "chunked/object";
    List<byte[]> chunks =
        List.of(
            "a".repeat(8192).getBytes(StandardCharsets.UTF_8),
            "b".repeat(100).getBytes(StandardCharsets.UTF_8));
    Raw good = putChunked(key, chunks, Forgery.NONE);
    assertThat(good.body, good.status, equalTo(200));
    String original = get(key);
    assertThat(original, equalTo("a".repeat(8192) + "b".repeat(100)));

    List<byte[]> other =
        List.of(
            "c".repeat(8192).getBytes(StandardCharsets.UTF_8),
            "d".repeat(100).getBytes(StandardCharsets.UTF_8));
    for (Forgery forgery :
        List.of(Forgery.ZEROS, Forgery.SECOND_CHUNK, Forgery.FINAL_CHUNK, Forgery.MISSING)) {
      Raw bad = putChunked(key, other, forgery);
      assertThat(forgery + ": " + bad.body, bad.status, equalTo(403));
      assertThat(bad.body, containsString("<Code>SignatureDoesNotMatch</Code>"));
      assertThat(get(key), equalTo(original));
    }
    // chunks of one upload replayed in another (same data, another seed) are refused too
    Raw replayed = putChunked(key, other, Forgery.OTHER_SEED);
    assertThat(replayed.status, equalTo(403));
    assertThat(get(key), equalTo(original));
  }

  @Test
  void theSdksSignedStreamingUploadsPassTheChunkChecks() {
    List<String> payloadHashes = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutionInterceptor recorder =
        new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(
              Context.BeforeTransmission context, ExecutionAttributes attributes) {
            context
                .httpRequest()
                .firstMatchingHeader("x-amz-content-sha256")
                .ifPresent(payloadHashes::add);
          }
        };
    byte[] data = new byte[300_000];
    new java.util.Random(7).nextBytes(data);
    try (S3Client sdk =
        S3Client.builder()
            .endpointOverride(local.s3Endpoint())
            .region(Region.of(local.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        local.credentials().accessKeyId(), local.credentials().secretAccessKey())))
            .forcePathStyle(true)
            .overrideConfiguration(o -> o.addExecutionInterceptor(recorder))
            .build()) {
      sdk.putObject(r -> r.bucket(BUCKET).key("sdk/streamed"), RequestBody.fromBytes(data));
    }
    // over plain HTTP the SDK signs each chunk and the trailer
    assertThat(payloadHashes, equalTo(List.of("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")));
    assertThat(
        java.util.Arrays.equals(
            s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("sdk/streamed")).asByteArray(), data),
        equalTo(true));
  }

  enum Forgery {
    NONE,
    ZEROS,
    SECOND_CHUNK,
    FINAL_CHUNK,
    MISSING,
    OTHER_SEED
  }

  private Raw putChunked(String key, List<byte[]> chunks, Forgery forgery) throws Exception {
    String payload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    int decoded = chunks.stream().mapToInt(c -> c.length).sum();
    Instant now = Instant.now();
    String amzDate = AMZ_DATE.format(now);
    String date = amzDate.substring(0, 8);
    String region = local.region();
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    Map<String, String> headers = new TreeMap<>();
    headers.put("content-encoding", "aws-chunked");
    headers.put("x-amz-decoded-content-length", Integer.toString(decoded));
    String path = "/" + BUCKET + "/" + key;
    String seed = signature("PUT", path, "", headers, payload, amzDate, region);
    String previous = forgery == Forgery.OTHER_SEED ? "0".repeat(63) + "1" : seed;
    byte[] signingKey = signingKey(date, region);
    List<byte[]> all = new java.util.ArrayList<>(chunks);
    all.add(new byte[0]);
    for (int i = 0; i < all.size(); i++) {
      byte[] chunk = all.get(i);
      String stringToSign =
          "AWS4-HMAC-SHA256-PAYLOAD\n"
              + amzDate
              + "\n"
              + date
              + "/"
              + region
              + "/s3/aws4_request\n"
              + previous
              + "\n"
              + hex(sha256(new byte[0]))
              + "\n"
              + hex(sha256(chunk));
      String sig = hex(hmac(signingKey, stringToSign));
      previous = sig;
      if (forgery == Forgery.ZEROS) {
        sig = "0".repeat(64);
      } else if (forgery == Forgery.SECOND_CHUNK && i == 1) {
        sig = sig.substring(1) + (sig.charAt(0) == 'a' ? 'b' : 'a');
      } else if (forgery == Forgery.FINAL_CHUNK && i == all.size() - 1) {
        sig = "f".repeat(64);
      }
      String header =
          Integer.toHexString(chunk.length)
              + (forgery == Forgery.MISSING && i == 0 ? "" : ";chunk-signature=" + sig)
              + "\r\n";
      framed.write(header.getBytes(StandardCharsets.US_ASCII));
      framed.write(chunk);
      framed.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    byte[] body = framed.toByteArray();
    Map<String, String> sent = new TreeMap<>(headers);
    sent.put("content-length", Integer.toString(body.length));
    return sendSigned("PUT", path, null, sent, headers, payload, amzDate, seed, body);
  }

  // ---- helpers: SigV4 of the test's own, raw HTTP over a socket

  record Raw(int status, String body) {}

  private static void assertNoHostPath(String text) {
    assertThat(text, not(containsString(dataDir.toString())));
    assertThat(text, not(containsString(dataDir.toAbsolutePath().toString())));
    assertThat(text, not(containsString("/tmp/")));
  }

  private static String get(String key) {
    return s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String();
  }

  /** Sends a request signed over {@code headers} (lower-case names) plus host and x-amz-date. */
  static Raw send(
      String method,
      String path,
      String query,
      Map<String, String> headers,
      String payloadHash,
      byte[] body)
      throws Exception {
    return send(method, path, query, headers, payloadHash, body, local.region());
  }

  static Raw send(
      String method,
      String path,
      String query,
      Map<String, String> headers,
      String payloadHash,
      byte[] body,
      String region)
      throws Exception {
    String amzDate = AMZ_DATE.format(Instant.now());
    Map<String, String> signed = new TreeMap<>(headers);
    signed.remove("content-length"); // not signed, so a replay may change it
    String signature =
        signature(method, path, canonicalQuery(query), signed, payloadHash, amzDate, region);
    Map<String, String> sent = new TreeMap<>(headers);
    if (!sent.containsKey("content-length")) {
      sent.put("content-length", Integer.toString(body == null ? 0 : body.length));
    }
    return sendSigned(
        method,
        path + (query == null ? "" : "?" + query),
        region,
        sent,
        signed,
        payloadHash,
        amzDate,
        signature,
        body);
  }

  private static Raw sendSigned(
      String method,
      String pathAndQuery,
      String region,
      Map<String, String> sent,
      Map<String, String> signed,
      String payloadHash,
      String amzDate,
      String signature,
      byte[] body)
      throws IOException {
    String scopeRegion = region == null ? local.region() : region;
    StringBuilder request = new StringBuilder();
    request.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
    request.append("host: ").append(host()).append("\r\n");
    request.append("x-amz-date: ").append(amzDate).append("\r\n");
    request.append("x-amz-content-sha256: ").append(payloadHash).append("\r\n");
    sent.forEach((n, v) -> request.append(n).append(": ").append(v).append("\r\n"));
    request
        .append("authorization: AWS4-HMAC-SHA256 Credential=")
        .append(local.credentials().accessKeyId())
        .append('/')
        .append(amzDate, 0, 8)
        .append('/')
        .append(scopeRegion)
        .append("/s3/aws4_request, SignedHeaders=")
        .append(signedHeaderNames(signed))
        .append(", Signature=")
        .append(signature)
        .append("\r\n");
    request.append("connection: close\r\n\r\n");
    try (Socket socket = new Socket("127.0.0.1", local.s3Endpoint().getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(response.substring(9, 12));
      int start = response.indexOf("\r\n\r\n");
      return new Raw(status, start < 0 ? "" : response.substring(start + 4));
    }
  }

  private static String host() {
    return "127.0.0.1:" + local.s3Endpoint().getPort();
  }

  private static String signedHeaderNames(Map<String, String> signed) {
    TreeMap<String, String> all = new TreeMap<>(signed);
    all.put("host", "");
    all.put("x-amz-content-sha256", "");
    all.put("x-amz-date", "");
    return String.join(";", all.keySet());
  }

  private static String signature(
      String method,
      String path,
      String canonicalQuery,
      Map<String, String> signed,
      String payloadHash,
      String amzDate,
      String region) {
    TreeMap<String, String> all = new TreeMap<>(signed);
    all.put("host", host());
    all.put("x-amz-content-sha256", payloadHash);
    all.put("x-amz-date", amzDate);
    StringBuilder canonical = new StringBuilder();
    canonical.append(method).append('\n').append(path).append('\n');
    canonical.append(canonicalQuery).append('\n');
    all.forEach((n, v) -> canonical.append(n).append(':').append(v.trim()).append('\n'));
    canonical.append('\n').append(String.join(";", all.keySet())).append('\n').append(payloadHash);
    String date = amzDate.substring(0, 8);
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + date
            + "/"
            + region
            + "/s3/aws4_request\n"
            + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    return hex(hmac(signingKey(date, region), stringToSign));
  }

  /** The query already encoded as SigV4 wants it; parameters sorted, a bare name gets '='. */
  private static String canonicalQuery(String query) {
    if (query == null) {
      return "";
    }
    TreeMap<String, String> params = new TreeMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
    }
    Map<String, String> ordered = new LinkedHashMap<>(params);
    return ordered.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("&"));
  }

  private static byte[] signingKey(String date, String region) {
    byte[] key =
        hmac(
            ("AWS4" + local.credentials().secretAccessKey()).getBytes(StandardCharsets.UTF_8),
            date);
    key = hmac(key, region);
    key = hmac(key, "s3");
    return hmac(key, "aws4_request");
  }

  static byte[] sha256(byte[] data) throws RuntimeException {
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

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
