package dev.sagemakerbeam.local.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.local.SageMakerLocal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 of SageMaker Local with an {@link S3Client} left at the SDK's defaults (flexible checksums:
 * aws-chunked uploads with a trailing CRC32, response checksum validation), as users build it.
 */
class S3DefaultClientTest {
  static final String BUCKET = "default-client-bucket";

  @TempDir static Path dataDir;
  static SageMakerLocal local;
  static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    local = SageMakerLocal.builder().dataDirectory(dataDir).build();
    s3 = client(local.credentials().accessKeyId(), local.credentials().secretAccessKey());
    s3.createBucket(r -> r.bucket(BUCKET));
  }

  static S3Client client(String accessKey, String secretKey) {
    return S3Client.builder()
        .endpointOverride(local.s3Endpoint())
        .region(Region.of(local.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .forcePathStyle(true)
        .build();
  }

  @AfterAll
  static void stop() {
    s3.close();
    local.close();
  }

  static List<String> keys(String prefix) {
    return s3.listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .collect(Collectors.toList());
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void smallPutAndGetWithChecksumValidation() {
    s3.putObject(r -> r.bucket(BUCKET).key("small/hello.txt"), RequestBody.fromString("hello, S3"));
    ResponseBytes<GetObjectResponse> got =
        s3.getObjectAsBytes(
            r -> r.bucket(BUCKET).key("small/hello.txt").checksumMode(ChecksumMode.ENABLED));
    assertThat(got.asUtf8String(), equalTo("hello, S3"));
    assertThat(got.response().contentLength(), equalTo(9L));
  }

  @Test
  void emptyObject() {
    s3.putObject(r -> r.bucket(BUCKET).key("small/empty"), RequestBody.empty());
    assertThat(
        s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("small/empty")).asByteArray().length,
        equalTo(0));
  }

  @Test
  void largePutInManyChunks() {
    byte[] data = randomBytes(9 * 1024 * 1024 + 17, 1);
    s3.putObject(r -> r.bucket(BUCKET).key("large/one-put.bin"), RequestBody.fromBytes(data));
    byte[] back =
        s3.getObjectAsBytes(
                r -> r.bucket(BUCKET).key("large/one-put.bin").checksumMode(ChecksumMode.ENABLED))
            .asByteArray();
    assertArrayEquals(data, back);
  }

  @Test
  void multipartUpload() {
    byte[] data = randomBytes(11 * 1024 * 1024, 2);
    String key = "large/multipart.bin";
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
    int partSize = 5 * 1024 * 1024;
    List<CompletedPart> parts = new ArrayList<>();
    for (int start = 0, number = 1; start < data.length; start += partSize, number++) {
      int end = Math.min(data.length, start + partSize);
      byte[] part = java.util.Arrays.copyOfRange(data, start, end);
      int partNumber = number;
      String etag =
          s3.uploadPart(
                  r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(partNumber),
                  RequestBody.fromBytes(part))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
    }
    s3.completeMultipartUpload(
        r -> r.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    assertArrayEquals(data, s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray());
  }

  @Test
  void multipartUploadEndingInAnEmptyPart() {
    // Beam's S3 channel uploads what is left in its buffer on close, possibly nothing.
    byte[] data = randomBytes(6 * 1024 * 1024, 4);
    String key = "large/empty-last-part.bin";
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
    String first =
        s3.uploadPart(
                r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(data))
            .eTag();
    String second =
        s3.uploadPart(
                r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(2),
                RequestBody.empty())
            .eTag();
    s3.completeMultipartUpload(
        r ->
            r.bucket(BUCKET)
                .key(key)
                .uploadId(uploadId)
                .multipartUpload(
                    m ->
                        m.parts(
                            CompletedPart.builder().partNumber(1).eTag(first).build(),
                            CompletedPart.builder().partNumber(2).eTag(second).build())));
    assertArrayEquals(data, s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray());
  }

  @Test
  void listAndDeleteObjects() {
    for (String key : List.of("listing/a", "listing/b", "listing/c-d")) {
      s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(key));
    }
    List<String> keys =
        s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("listing/")).contents().stream()
            .map(S3Object::key)
            .collect(Collectors.toList());
    assertThat(keys, containsInAnyOrder("listing/a", "listing/b", "listing/c-d"));
    // DeleteObjects is one of the operations whose request checksum is required (Content-MD5 or
    // a flexible checksum header).
    s3.deleteObjects(
        r ->
            r.bucket(BUCKET)
                .delete(
                    d ->
                        d.objects(
                            ObjectIdentifier.builder().key("listing/a").build(),
                            ObjectIdentifier.builder().key("listing/c-d").build())));
    keys =
        s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("listing/")).contents().stream()
            .map(S3Object::key)
            .collect(Collectors.toList());
    assertThat(keys, containsInAnyOrder("listing/b"));
  }

  @Test
  void deletingADirectoryMarkerKeepsTheKeysUnderItAndReturnsAtOnce() {
    s3.putObject(r -> r.bucket(BUCKET).key("marker/dir/"), RequestBody.empty());
    s3.putObject(r -> r.bucket(BUCKET).key("marker/dir/part-0"), RequestBody.fromString("x"));
    long start = System.nanoTime();
    s3.deleteObjects(
        r ->
            r.bucket(BUCKET)
                .delete(
                    d ->
                        d.objects(
                            ObjectIdentifier.builder().key("marker/dir/").build(),
                            ObjectIdentifier.builder().key("marker/").build())));
    s3.deleteObject(r -> r.bucket(BUCKET).key("marker/dir/"));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(
        s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("marker/dir/part-0")).asUtf8String(),
        equalTo("x"));
    // the store used to retry each such delete for 2 s (10 x 200 ms) before failing it
    assertThat(millis < 2_000, equalTo(true));
  }

  @Test
  void wrongSecretKeyIsRefused() {
    try (S3Client wrong = client(local.credentials().accessKeyId(), "not-the-secret")) {
      S3Exception e =
          assertThrows(
              S3Exception.class,
              () ->
                  wrong.putObject(
                      r -> r.bucket(BUCKET).key("wrong/secret"), RequestBody.fromString("x")));
      assertThat(e.statusCode(), equalTo(403));
      S3Exception list =
          assertThrows(S3Exception.class, () -> wrong.listObjectsV2(r -> r.bucket(BUCKET)));
      assertThat(list.statusCode(), equalTo(403));
    }
    try (S3Client unknown = client("someone-else", local.credentials().secretAccessKey())) {
      S3Exception e =
          assertThrows(S3Exception.class, () -> unknown.listObjectsV2(r -> r.bucket(BUCKET)));
      assertThat(e.statusCode(), equalTo(403));
    }
    assertThat(keys("wrong/"), is(empty()));
  }

  @Test
  @SuppressWarnings("deprecation") // Aws4Signer: signs exactly what it is given
  void bodyNotMatchingTheSignedPayloadHashIsRefused() throws Exception {
    String key = "tampered/object";
    SdkHttpFullRequest signed =
        Aws4Signer.create()
            .sign(
                SdkHttpFullRequest.builder()
                    .method(SdkHttpMethod.PUT)
                    .uri(local.s3Endpoint().resolve("/" + BUCKET + "/" + key))
                    .putHeader("x-amz-content-sha256", "required") // the signer puts the hash here
                    .contentStreamProvider(
                        ContentStreamProvider.fromUtf8String("the signed content"))
                    .build(),
                Aws4SignerParams.builder()
                    .awsCredentials(
                        AwsBasicCredentials.create(
                            local.credentials().accessKeyId(),
                            local.credentials().secretAccessKey()))
                    .signingName("s3")
                    .signingRegion(Region.of(local.region()))
                    .doubleUrlEncode(false)
                    .build());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(signed.getUri())
            .PUT(HttpRequest.BodyPublishers.ofString("other content!!!!!", StandardCharsets.UTF_8));
    signed.forEachHeader(
        (name, values) -> {
          if (!name.equalsIgnoreCase("host")) {
            values.forEach(v -> request.header(name, v));
          }
        });
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.body(), response.statusCode(), equalTo(400));
    assertThat(response.body(), org.hamcrest.Matchers.containsString("XAmzContentSHA256Mismatch"));
    assertThat(keys("tampered/"), is(empty()));
  }

  @Test
  void unsignedRequestsAreRefused() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI object = local.s3Endpoint().resolve("/" + BUCKET + "/unsigned/object");
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(object)
                .PUT(HttpRequest.BodyPublishers.ofString("anonymous", StandardCharsets.UTF_8))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode(), equalTo(403));
    HttpResponse<String> list =
        http.send(
            HttpRequest.newBuilder(local.s3Endpoint().resolve("/" + BUCKET + "?list-type=2"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(list.statusCode(), equalTo(403));
    assertThat(keys("unsigned/"), is(empty()));
  }
}
