package dev.sagemakerbeam.local.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.local.LocalClients;
import dev.sagemakerbeam.local.SageMakerLocal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * SageMaker Local's S3 lists as S3 does, through the AWS SDK v2 client: exactly the keys that were
 * PUT (no directory placeholders, {@code x/y} beside {@code x/y/z}, folder markers as themselves),
 * delimiters, common prefixes, KeyCount, pages (continuation tokens, max-keys, v1 markers) and
 * start-after as S3 answers them, keys of up to 1,024 bytes whatever their segments, and multipart
 * uploads invisible until completed.
 */
class S3ListingTest {
  @TempDir static Path dataDir;
  static SageMakerLocal local;
  static LocalClients clients;
  static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    local = SageMakerLocal.builder().dataDirectory(dataDir).build();
    clients = new LocalClients(local);
    s3 = clients.s3;
  }

  @AfterAll
  static void stop() {
    clients.close();
    local.close();
  }

  private static void put(String bucket, String key, String content) {
    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content));
  }

  private static String get(String bucket, String key) {
    return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
  }

  private static List<String> keys(List<S3Object> objects) {
    return objects.stream().map(S3Object::key).collect(Collectors.toList());
  }

  private static List<String> prefixes(List<CommonPrefix> prefixes) {
    return prefixes.stream().map(CommonPrefix::prefix).collect(Collectors.toList());
  }

  private static List<String> allKeys(String bucket) {
    return s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
        .map(S3Object::key)
        .collect(Collectors.toList());
  }

  @Test
  void noDirectoryPlaceholders() {
    s3.createBucket(r -> r.bucket("placeholders"));
    put("placeholders", "a/b/c.txt", "c");
    assertThat(allKeys("placeholders"), equalTo(List.of("a/b/c.txt")));
    ListObjectsV2Response top = s3.listObjectsV2(r -> r.bucket("placeholders").delimiter("/"));
    assertThat(keys(top.contents()), equalTo(List.of()));
    assertThat(prefixes(top.commonPrefixes()), equalTo(List.of("a/")));
    assertThat(top.keyCount(), equalTo(1));
    ListObjectsV2Response a =
        s3.listObjectsV2(r -> r.bucket("placeholders").prefix("a/").delimiter("/"));
    assertThat(keys(a.contents()), equalTo(List.of()));
    assertThat(prefixes(a.commonPrefixes()), equalTo(List.of("a/b/")));
    for (String placeholder : List.of("a", "a/", "a/b", "a/b/")) {
      assertThrows(
          NoSuchKeyException.class,
          () -> s3.headObject(r -> r.bucket("placeholders").key(placeholder)),
          placeholder);
    }
    // deleting the last key leaves nothing behind
    s3.deleteObject(r -> r.bucket("placeholders").key("a/b/c.txt"));
    assertThat(allKeys("placeholders"), equalTo(List.of()));
    assertThat(
        s3.listObjectsV2(r -> r.bucket("placeholders").delimiter("/")).keyCount(), equalTo(0));
    s3.deleteBucket(r -> r.bucket("placeholders"));
  }

  @Test
  void aKeyAndKeysUnderItCoexist() {
    s3.createBucket(r -> r.bucket("coexist"));
    put("coexist", "x/y", "the file");
    put("coexist", "x/y/z", "under it");
    put("coexist", "x/y/z/w", "deeper");
    put("coexist", "x/y", "the file again");
    assertThat(allKeys("coexist"), equalTo(List.of("x/y", "x/y/z", "x/y/z/w")));
    assertThat(get("coexist", "x/y"), equalTo("the file again"));
    assertThat(get("coexist", "x/y/z"), equalTo("under it"));
    ListObjectsV2Response x =
        s3.listObjectsV2(r -> r.bucket("coexist").prefix("x/").delimiter("/"));
    assertThat(keys(x.contents()), equalTo(List.of("x/y")));
    assertThat(prefixes(x.commonPrefixes()), equalTo(List.of("x/y/")));
    s3.deleteObject(r -> r.bucket("coexist").key("x/y"));
    assertThat(allKeys("coexist"), equalTo(List.of("x/y/z", "x/y/z/w")));
  }

  @Test
  void aFolderMarkerIsAnObjectOfItsOwn() {
    s3.createBucket(r -> r.bucket("markers"));
    s3.putObject(r -> r.bucket("markers").key("trail/"), RequestBody.empty());
    assertThat(allKeys("markers"), equalTo(List.of("trail/")));
    assertThat(s3.headObject(r -> r.bucket("markers").key("trail/")).contentLength(), equalTo(0L));
    ListObjectsV2Response top = s3.listObjectsV2(r -> r.bucket("markers").delimiter("/"));
    assertThat(keys(top.contents()), equalTo(List.of()));
    assertThat(prefixes(top.commonPrefixes()), equalTo(List.of("trail/")));
    ListObjectsV2Response inside =
        s3.listObjectsV2(r -> r.bucket("markers").prefix("trail/").delimiter("/"));
    assertThat(keys(inside.contents()), equalTo(List.of("trail/")));
    assertThat(inside.commonPrefixes(), equalTo(List.of()));
    put("markers", "trail/x", "x");
    assertThat(allKeys("markers"), equalTo(List.of("trail/", "trail/x")));
    // the marker goes, the key under it stays
    s3.deleteObject(r -> r.bucket("markers").key("trail/"));
    assertThat(allKeys("markers"), equalTo(List.of("trail/x")));
  }

  static final List<String> KEYS =
      List.of(
          "asdf",
          "boo/bar",
          "boo/baz/xyzzy",
          "cquux/bla",
          "cquux/thud",
          "trail/",
          "x/y",
          "x/y/z",
          "z ü+%&=");

  static void putKeys(String bucket) {
    s3.createBucket(r -> r.bucket(bucket));
    List<String> shuffled = new ArrayList<>(KEYS);
    java.util.Collections.shuffle(shuffled, new Random(7));
    for (String key : shuffled) {
      put(bucket, key, "content of " + key);
    }
  }

  @Test
  void delimitersCommonPrefixesAndKeyCount() {
    putKeys("delimiters");
    assertThat(allKeys("delimiters"), equalTo(KEYS));

    ListObjectsV2Response top = s3.listObjectsV2(r -> r.bucket("delimiters").delimiter("/"));
    assertThat(keys(top.contents()), equalTo(List.of("asdf", "z ü+%&=")));
    assertThat(prefixes(top.commonPrefixes()), equalTo(List.of("boo/", "cquux/", "trail/", "x/")));
    assertThat(top.keyCount(), equalTo(6));
    assertThat(top.isTruncated(), equalTo(false));

    ListObjectsV2Response boo =
        s3.listObjectsV2(r -> r.bucket("delimiters").prefix("boo/").delimiter("/"));
    assertThat(keys(boo.contents()), equalTo(List.of("boo/bar")));
    assertThat(prefixes(boo.commonPrefixes()), equalTo(List.of("boo/baz/")));
    assertThat(boo.keyCount(), equalTo(2));

    // a prefix that is not a "directory", and a delimiter other than '/'
    ListObjectsV2Response c = s3.listObjectsV2(r -> r.bucket("delimiters").prefix("c"));
    assertThat(keys(c.contents()), equalTo(List.of("cquux/bla", "cquux/thud")));
    assertThat(c.keyCount(), equalTo(2));
    ListObjectsV2Response a = s3.listObjectsV2(r -> r.bucket("delimiters").delimiter("a"));
    assertThat(keys(a.contents()), equalTo(List.of("cquux/thud", "x/y", "x/y/z", "z ü+%&=")));
    assertThat(prefixes(a.commonPrefixes()), equalTo(List.of("a", "boo/ba", "cquux/bla", "tra")));
    assertThat(a.keyCount(), equalTo(8));

    // no match at all
    ListObjectsV2Response none = s3.listObjectsV2(r -> r.bucket("delimiters").prefix("nothing"));
    assertThat(none.keyCount(), equalTo(0));
    assertThat(none.contents(), equalTo(List.of()));
    assertThat(none.isTruncated(), equalTo(false));
  }

  @Test
  void pagesWithContinuationTokensAndMaxKeys() {
    putKeys("pages");
    // one entry (key or common prefix) per page, the last page not truncated
    List<List<String>> pages = new ArrayList<>();
    List<Boolean> truncated = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      ListObjectsV2Response page =
          s3.listObjectsV2(
              ListObjectsV2Request.builder()
                  .bucket("pages")
                  .delimiter("/")
                  .maxKeys(1)
                  .continuationToken(t)
                  .build());
      assertThat(page.keyCount(), equalTo(1));
      List<String> entries = new ArrayList<>(keys(page.contents()));
      entries.addAll(prefixes(page.commonPrefixes()));
      pages.add(entries);
      truncated.add(page.isTruncated());
      token = page.nextContinuationToken();
      assertThat(token == null, equalTo(!page.isTruncated()));
    } while (token != null);
    assertThat(
        pages,
        equalTo(
            List.of(
                List.of("asdf"),
                List.of("boo/"),
                List.of("cquux/"),
                List.of("trail/"),
                List.of("x/"),
                List.of("z ü+%&="))));
    assertThat(truncated, equalTo(List.of(true, true, true, true, true, false)));

    // every page size, without a delimiter: the pages add up to the listing, each one full
    for (int maxKeys = 1; maxKeys <= KEYS.size() + 1; maxKeys++) {
      int m = maxKeys;
      List<String> seen = new ArrayList<>();
      String next = null;
      int pageCount = 0;
      do {
        String t = next;
        ListObjectsV2Response page =
            s3.listObjectsV2(
                ListObjectsV2Request.builder()
                    .bucket("pages")
                    .maxKeys(m)
                    .continuationToken(t)
                    .build());
        pageCount++;
        assertThat(page.keyCount(), equalTo(page.contents().size()));
        assertThat(page.keyCount(), lessThanOrEqualTo(m));
        assertThat(page.maxKeys(), equalTo(m));
        seen.addAll(keys(page.contents()));
        if (page.isTruncated()) {
          assertThat(page.keyCount(), equalTo(m));
        }
        next = page.nextContinuationToken();
      } while (next != null);
      assertThat("max-keys " + m, seen, equalTo(KEYS));
      assertThat("max-keys " + m, pageCount, equalTo((KEYS.size() + m - 1) / m));
    }
    // the SDK's paginator, with a delimiter and a prefix
    assertThat(
        s3
            .listObjectsV2Paginator(r -> r.bucket("pages").prefix("x/").delimiter("/").maxKeys(1))
            .stream()
            .flatMap(
                p ->
                    java.util.stream.Stream.concat(
                        p.contents().stream().map(S3Object::key),
                        p.commonPrefixes().stream().map(CommonPrefix::prefix)))
            .collect(Collectors.toList()),
        equalTo(List.of("x/y", "x/y/")));
  }

  @Test
  void listObjectsV1MarkersAndNextMarker() {
    putKeys("markers-v1");
    ListObjectsResponse first =
        s3.listObjects(r -> r.bucket("markers-v1").delimiter("/").maxKeys(2));
    assertThat(keys(first.contents()), equalTo(List.of("asdf")));
    assertThat(prefixes(first.commonPrefixes()), equalTo(List.of("boo/")));
    assertThat(first.isTruncated(), equalTo(true));
    assertThat(first.nextMarker(), equalTo("boo/"));
    ListObjectsResponse second =
        s3.listObjects(r -> r.bucket("markers-v1").delimiter("/").maxKeys(2).marker("boo/"));
    assertThat(keys(second.contents()), equalTo(List.of()));
    assertThat(prefixes(second.commonPrefixes()), equalTo(List.of("cquux/", "trail/")));
    assertThat(second.isTruncated(), equalTo(true));
    assertThat(second.nextMarker(), equalTo("trail/"));
    assertThat(second.marker(), equalTo("boo/"));
    ListObjectsResponse third =
        s3.listObjects(r -> r.bucket("markers-v1").delimiter("/").maxKeys(2).marker("trail/"));
    assertThat(keys(third.contents()), equalTo(List.of("z ü+%&=")));
    assertThat(prefixes(third.commonPrefixes()), equalTo(List.of("x/")));
    assertThat(third.isTruncated(), equalTo(false));
    assertThat(third.nextMarker(), nullValue());

    // a marker between keys, and one that is not a key
    assertThat(
        keys(s3.listObjects(r -> r.bucket("markers-v1").marker("cquux/bla")).contents()),
        equalTo(KEYS.subList(4, KEYS.size())));
    assertThat(
        keys(s3.listObjects(r -> r.bucket("markers-v1").marker("c")).contents()),
        equalTo(KEYS.subList(3, KEYS.size())));
    // paging v1 as clients do without a delimiter: from the last key of each page
    List<String> seen = new ArrayList<>();
    String marker = null;
    while (true) {
      String m = marker;
      ListObjectsResponse page = s3.listObjects(r -> r.bucket("markers-v1").maxKeys(2).marker(m));
      seen.addAll(keys(page.contents()));
      if (!page.isTruncated()) {
        break;
      }
      marker = page.contents().get(page.contents().size() - 1).key();
    }
    assertThat(seen, equalTo(KEYS));
  }

  @Test
  void startAfter() {
    putKeys("start-after");
    assertThat(
        keys(s3.listObjectsV2(r -> r.bucket("start-after").startAfter("boo/baz")).contents()),
        equalTo(KEYS.subList(2, KEYS.size())));
    assertThat(
        keys(s3.listObjectsV2(r -> r.bucket("start-after").startAfter("boo/baz/xyzzy")).contents()),
        equalTo(KEYS.subList(3, KEYS.size())));
    assertThat(
        keys(s3.listObjectsV2(r -> r.bucket("start-after").startAfter("zzz")).contents()),
        equalTo(List.of()));
    // start-after a common prefix continues after the keys under it
    ListObjectsV2Response afterBoo =
        s3.listObjectsV2(r -> r.bucket("start-after").delimiter("/").startAfter("boo/"));
    assertThat(keys(afterBoo.contents()), equalTo(List.of("z ü+%&=")));
    assertThat(prefixes(afterBoo.commonPrefixes()), equalTo(List.of("cquux/", "trail/", "x/")));
    assertThat(afterBoo.startAfter(), equalTo("boo/"));
    assertThat(afterBoo.keyCount(), equalTo(4));
    // with a prefix, a start-after before it changes nothing
    assertThat(
        keys(
            s3.listObjectsV2(r -> r.bucket("start-after").prefix("x/").startAfter("a")).contents()),
        equalTo(List.of("x/y", "x/y/z")));
    assertThat(
        keys(
            s3.listObjectsV2(r -> r.bucket("start-after").prefix("x/").startAfter("x/y"))
                .contents()),
        equalTo(List.of("x/y/z")));
  }

  @Test
  void keysUpTo1024BytesWithLongSegmentsAndKeyTooLongBeyond() {
    s3.createBucket(r -> r.bucket("long-keys"));
    String segment = "s".repeat(300);
    String start = "long/" + segment + "/é/";
    int bytes = start.getBytes(StandardCharsets.UTF_8).length;
    String key = start + "k".repeat(1024 - bytes);
    assertThat(key.getBytes(StandardCharsets.UTF_8).length, equalTo(1024));
    put("long-keys", key, "long");
    assertThat(get("long-keys", key), equalTo("long"));
    assertThat(allKeys("long-keys"), equalTo(List.of(key)));
    ListObjectsV2Response inside =
        s3.listObjectsV2(r -> r.bucket("long-keys").prefix("long/").delimiter("/"));
    assertThat(prefixes(inside.commonPrefixes()), equalTo(List.of("long/" + segment + "/")));
    // a whole 1,024-byte segment
    String oneSegment = "t".repeat(1024);
    put("long-keys", oneSegment, "one segment");
    assertThat(get("long-keys", oneSegment), equalTo("one segment"));

    String tooLong = key + "k";
    for (Runnable request :
        List.<Runnable>of(
            () -> put("long-keys", tooLong, "x"),
            () -> s3.getObjectAsBytes(r -> r.bucket("long-keys").key(tooLong)))) {
      S3Exception e = assertThrows(S3Exception.class, request::run);
      assertThat(e.statusCode(), equalTo(400));
      assertThat(e.awsErrorDetails().errorCode(), equalTo("KeyTooLongError"));
    }
    // multi-byte characters count as their UTF-8 bytes: 342 three-byte characters are 1,026
    String wide = "€".repeat(342);
    S3Exception e = assertThrows(S3Exception.class, () -> put("long-keys", wide, "x"));
    assertThat(e.awsErrorDetails().errorCode(), equalTo("KeyTooLongError"));
    put("long-keys", "€".repeat(341), "1,023 bytes");
    assertThat(allKeys("long-keys"), equalTo(List.of(key, oneSegment, "€".repeat(341))));
  }

  @Test
  void dotAndDotDotKeysAreKeys() {
    s3.createBucket(r -> r.bucket("dots"));
    List<String> keys = List.of(".", "..", "a/../b", "a/./b", "./x", "a/..", "b/.");
    for (String key : keys) {
      put("dots", key, "content of " + key);
    }
    for (String key : keys) {
      assertThat(key, get("dots", key), equalTo("content of " + key));
    }
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort(null);
    assertThat(allKeys("dots"), equalTo(sorted));
    assertThat(
        keys(s3.listObjectsV2(r -> r.bucket("dots").prefix("a/")).contents()),
        equalTo(List.of("a/..", "a/../b", "a/./b")));
    s3.deleteObject(r -> r.bucket("dots").key("a/../b"));
    assertThat(get("dots", "a/./b"), equalTo("content of a/./b"));
    assertThrows(NoSuchKeyException.class, () -> get("dots", "a/../b"));
  }

  @Test
  void multipartUploadsAreInvisibleUntilCompleted() {
    s3.createBucket(r -> r.bucket("multipart"));
    put("multipart", "mpu/existing", "old");
    String uploadId =
        s3.createMultipartUpload(
                r -> r.bucket("multipart").key("mpu/existing").contentType("text/x-parts"))
            .uploadId();
    String other =
        s3.createMultipartUpload(r -> r.bucket("multipart").key("mpu/aborted")).uploadId();
    byte[] part1 = new byte[5 * 1024 * 1024];
    new Random(1).nextBytes(part1);
    byte[] part2 = "the last part".getBytes(StandardCharsets.UTF_8);
    String e1 =
        s3.uploadPart(
                r -> r.bucket("multipart").key("mpu/existing").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(part1))
            .eTag();
    String e2 =
        s3.uploadPart(
                r -> r.bucket("multipart").key("mpu/existing").uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(part2))
            .eTag();
    s3.uploadPart(
        r -> r.bucket("multipart").key("mpu/aborted").uploadId(other).partNumber(1),
        RequestBody.fromBytes(part2));

    // in progress: not listed, not readable; the old object is still there as it was
    assertThat(allKeys("multipart"), equalTo(List.of("mpu/existing")));
    assertThat(get("multipart", "mpu/existing"), equalTo("old"));
    assertThrows(
        NoSuchKeyException.class,
        () -> s3.headObject(r -> r.bucket("multipart").key("mpu/aborted")));
    assertThat(
        s3.listMultipartUploads(r -> r.bucket("multipart")).uploads().stream()
            .map(MultipartUpload::key)
            .sorted()
            .collect(Collectors.toList()),
        equalTo(List.of("mpu/aborted", "mpu/existing")));
    assertThat(
        s3.listParts(r -> r.bucket("multipart").key("mpu/existing").uploadId(uploadId))
            .parts()
            .size(),
        equalTo(2));

    s3.abortMultipartUpload(r -> r.bucket("multipart").key("mpu/aborted").uploadId(other));
    String eTag =
        s3.completeMultipartUpload(
                r ->
                    r.bucket("multipart")
                        .key("mpu/existing")
                        .uploadId(uploadId)
                        .multipartUpload(
                            u ->
                                u.parts(
                                    CompletedPart.builder().partNumber(1).eTag(e1).build(),
                                    CompletedPart.builder().partNumber(2).eTag(e2).build())))
            .eTag();
    assertThat(eTag, endsWith("-2\""));
    List<S3Object> listed = s3.listObjectsV2(r -> r.bucket("multipart")).contents();
    assertThat(keys(listed), equalTo(List.of("mpu/existing")));
    assertThat(listed.get(0).size(), equalTo((long) part1.length + part2.length));
    assertThat(listed.get(0).eTag(), equalTo(eTag));
    byte[] whole =
        s3.getObjectAsBytes(r -> r.bucket("multipart").key("mpu/existing")).asByteArray();
    byte[] expected = Arrays.copyOf(part1, part1.length + part2.length);
    System.arraycopy(part2, 0, expected, part1.length, part2.length);
    assertThat(Arrays.equals(whole, expected), equalTo(true));
    assertThat(
        s3.headObject(r -> r.bucket("multipart").key("mpu/existing")).contentType(),
        equalTo("text/x-parts"));
    assertThat(s3.listMultipartUploads(r -> r.bucket("multipart")).uploads(), equalTo(List.of()));
    // the upload is gone: its id answers NoSuchUpload
    S3Exception gone =
        assertThrows(
            S3Exception.class,
            () ->
                s3.uploadPart(
                    r -> r.bucket("multipart").key("mpu/existing").uploadId(uploadId).partNumber(3),
                    RequestBody.fromBytes(part2)));
    assertThat(gone.statusCode(), equalTo(404));
    assertThat(gone.awsErrorDetails().errorCode(), equalTo("NoSuchUpload"));
    S3Exception bogus =
        assertThrows(
            S3Exception.class,
            () ->
                s3.abortMultipartUpload(
                    r -> r.bucket("multipart").key("mpu/existing").uploadId("../../../etc")));
    assertThat(bogus.awsErrorDetails().errorCode(), equalTo("NoSuchUpload"));
  }
}
