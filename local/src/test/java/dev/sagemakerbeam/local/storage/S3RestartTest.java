package dev.sagemakerbeam.local.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.sagemakerbeam.local.LocalClients;
import dev.sagemakerbeam.local.SageMakerLocal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects, their metadata, folder markers and multipart uploads in progress survive closing
 * SageMaker Local and starting it again on the same data directory.
 */
class S3RestartTest {
  @TempDir Path dataDir;

  record Listed(String key, long size, String eTag, Instant lastModified) {}

  static List<Listed> listing(S3Client s3, String bucket) {
    return s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
        .map(o -> new Listed(o.key(), o.size(), o.eTag(), o.lastModified()))
        .collect(Collectors.toList());
  }

  @Test
  void objectsAndMetadataSurviveARestart() throws Exception {
    byte[] big = new byte[5 * 1024 * 1024 + 17];
    new Random(3).nextBytes(big);
    List<Listed> before;
    HeadObjectResponse typedBefore;
    String pendingUpload;
    String pendingPartETag;
    try (SageMakerLocal local = SageMakerLocal.builder().dataDirectory(dataDir).build();
        LocalClients clients = new LocalClients(local)) {
      S3Client s3 = clients.s3;
      s3.createBucket(r -> r.bucket("survives"));
      s3.createBucket(r -> r.bucket("empty-bucket"));
      Map<String, String> userMetadata = new LinkedHashMap<>();
      userMetadata.put("owner", "me");
      userMetadata.put("run-id", "42");
      s3.putObject(
          r ->
              r.bucket("survives")
                  .key("meta/typed.csv")
                  .contentType("text/csv")
                  .contentEncoding("gzip")
                  .cacheControl("max-age=60")
                  .contentDisposition("attachment; filename=typed.csv")
                  .contentLanguage("en")
                  .metadata(userMetadata),
          RequestBody.fromString("a,b\n1,2\n"));
      s3.putObject(r -> r.bucket("survives").key("dir/"), RequestBody.empty());
      s3.putObject(r -> r.bucket("survives").key("x/y"), RequestBody.fromString("y"));
      s3.putObject(r -> r.bucket("survives").key("x/y/z"), RequestBody.fromString("z"));
      s3.putObject(r -> r.bucket("survives").key("."), RequestBody.fromString("dot"));
      String upload =
          s3.createMultipartUpload(
                  r -> r.bucket("survives").key("big/mpu").contentType("application/x-big"))
              .uploadId();
      String e1 =
          s3.uploadPart(
                  r -> r.bucket("survives").key("big/mpu").uploadId(upload).partNumber(1),
                  RequestBody.fromBytes(java.util.Arrays.copyOf(big, 5 * 1024 * 1024)))
              .eTag();
      String e2 =
          s3.uploadPart(
                  r -> r.bucket("survives").key("big/mpu").uploadId(upload).partNumber(2),
                  RequestBody.fromBytes(
                      java.util.Arrays.copyOfRange(big, 5 * 1024 * 1024, big.length)))
              .eTag();
      s3.completeMultipartUpload(
          r ->
              r.bucket("survives")
                  .key("big/mpu")
                  .uploadId(upload)
                  .multipartUpload(
                      u ->
                          u.parts(
                              CompletedPart.builder().partNumber(1).eTag(e1).build(),
                              CompletedPart.builder().partNumber(2).eTag(e2).build())));
      pendingUpload =
          s3.createMultipartUpload(
                  r -> r.bucket("survives").key("pending/upload").metadata(Map.of("k", "v")))
              .uploadId();
      pendingPartETag =
          s3.uploadPart(
                  r ->
                      r.bucket("survives")
                          .key("pending/upload")
                          .uploadId(pendingUpload)
                          .partNumber(1),
                  RequestBody.fromString("pending part"))
              .eTag();
      before = listing(s3, "survives");
      typedBefore = s3.headObject(r -> r.bucket("survives").key("meta/typed.csv"));
    }
    assertThat(
        before.stream().map(Listed::key).collect(Collectors.toList()),
        equalTo(List.of(".", "big/mpu", "dir/", "meta/typed.csv", "x/y", "x/y/z")));

    try (SageMakerLocal local = SageMakerLocal.builder().dataDirectory(dataDir).build();
        LocalClients clients = new LocalClients(local)) {
      S3Client s3 = clients.s3;
      assertThat(
          s3.listBuckets().buckets().stream().map(Bucket::name).collect(Collectors.toList()),
          equalTo(List.of("empty-bucket", "survives")));
      assertThat(listing(s3, "survives"), equalTo(before));
      HeadObjectResponse typed = s3.headObject(r -> r.bucket("survives").key("meta/typed.csv"));
      assertThat(typed.contentType(), equalTo("text/csv"));
      assertThat(typed.contentEncoding(), equalTo("gzip"));
      assertThat(typed.cacheControl(), equalTo("max-age=60"));
      assertThat(typed.contentDisposition(), equalTo("attachment; filename=typed.csv"));
      assertThat(typed.contentLanguage(), equalTo("en"));
      assertThat(typed.metadata(), equalTo(Map.of("owner", "me", "run-id", "42")));
      assertThat(typed.eTag(), equalTo(typedBefore.eTag()));
      assertThat(typed.lastModified(), equalTo(typedBefore.lastModified()));
      assertThat(typed.contentLength(), equalTo(typedBefore.contentLength()));
      assertThat(
          s3.getObjectAsBytes(r -> r.bucket("survives").key("meta/typed.csv")).asUtf8String(),
          equalTo("a,b\n1,2\n"));
      assertThat(
          java.util.Arrays.equals(
              s3.getObjectAsBytes(r -> r.bucket("survives").key("big/mpu")).asByteArray(), big),
          equalTo(true));
      assertThat(
          s3.headObject(r -> r.bucket("survives").key("big/mpu")).contentType(),
          equalTo("application/x-big"));
      assertThat(
          s3.getObjectAsBytes(r -> r.bucket("survives").key(".")).asUtf8String(), equalTo("dot"));

      // the upload in progress is still in progress, unlisted, and can be completed
      assertThat(
          s3.listMultipartUploads(r -> r.bucket("survives")).uploads().stream()
              .map(MultipartUpload::uploadId)
              .collect(Collectors.toList()),
          hasItem(pendingUpload));
      s3.completeMultipartUpload(
          r ->
              r.bucket("survives")
                  .key("pending/upload")
                  .uploadId(pendingUpload)
                  .multipartUpload(
                      u ->
                          u.parts(
                              CompletedPart.builder()
                                  .partNumber(1)
                                  .eTag(pendingPartETag)
                                  .build())));
      assertThat(
          s3.getObjectAsBytes(r -> r.bucket("survives").key("pending/upload"))
              .asString(StandardCharsets.UTF_8),
          equalTo("pending part"));
      assertThat(
          s3.headObject(r -> r.bucket("survives").key("pending/upload")).metadata(),
          equalTo(Map.of("k", "v")));
      assertThat(
          listing(s3, "survives").stream().map(Listed::key).collect(Collectors.toList()),
          equalTo(
              List.of(".", "big/mpu", "dir/", "meta/typed.csv", "pending/upload", "x/y", "x/y/z")));
      assertThat(
          listing(s3, "survives").stream()
              .filter(l -> l.key().equals("dir/"))
              .map(Listed::size)
              .collect(Collectors.toList()),
          equalTo(List.of(0L)));
      assertThat(
          s3.listObjectsV2(r -> r.bucket("empty-bucket")).contents(), equalTo(List.<S3Object>of()));
    }
  }
}
