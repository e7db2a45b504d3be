package dev.sagemakerbeam.local.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.oneOf;

import dev.sagemakerbeam.local.LocalClients;
import dev.sagemakerbeam.local.LocalCredentials;
import dev.sagemakerbeam.local.SageMakerLocal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * SageMaker Local killed with SIGKILL while it receives concurrent 20 MB PUTs (some overwriting
 * existing keys, some creating new ones) comes back on the same data directory with, for every key,
 * either its previous full content (or nothing, for a new key) or its new full content: never a
 * truncated object, never a temporary file as a key, sizes and ETags those of the content, and
 * every PUT that was answered kept.
 */
class S3CrashTest {
  static final int SIZE = 20 * 1024 * 1024;
  static final int OLD_SIZE = 1024 * 1024;
  static final int BLOCK = 64 * 1024;
  static final String BUCKET = "crash";

  @TempDir Path dir;

  /**
   * Deterministic content: {@code size} bytes from {@code seed}, produced {@link #BLOCK} at a time.
   */
  static final class Content extends InputStream {
    final Random random;
    final long size;
    final long pauseMillis;
    final AtomicLong produced;
    final byte[] block = new byte[BLOCK];
    int blockPos = BLOCK;
    long pos;

    Content(long seed, long size, long pauseMillis, AtomicLong produced) {
      this.random = new Random(seed);
      this.size = size;
      this.pauseMillis = pauseMillis;
      this.produced = produced;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos >= size) {
        return -1;
      }
      if (blockPos == BLOCK) {
        if (pauseMillis > 0 && pos > 0) {
          try {
            Thread.sleep(pauseMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
          }
        }
        random.nextBytes(block);
        blockPos = 0;
      }
      int n = (int) Math.min(Math.min(len, BLOCK - blockPos), size - pos);
      System.arraycopy(block, blockPos, b, off, n);
      blockPos += n;
      pos += n;
      produced.set(pos);
      return n;
    }

    static String md5(long seed, long size) throws IOException {
      MessageDigest md5 = ObjectFile.md5();
      try (InputStream in = new Content(seed, size, 0, new AtomicLong())) {
        byte[] buffer = new byte[BLOCK];
        for (int n; (n = in.read(buffer)) > 0; ) {
          md5.update(buffer, 0, n);
        }
      }
      return HexFormat.of().formatHex(md5.digest());
    }
  }

  static S3Client client(URI endpoint) {
    LocalCredentials credentials = LocalCredentials.DEFAULT;
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    credentials.accessKeyId(), credentials.secretAccessKey())))
        .forcePathStyle(true)
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(30))
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .retryStrategy(DefaultRetryStrategy.doNotRetry())
                .apiCallTimeout(Duration.ofSeconds(180))
                .build())
        .build();
  }

  static String md5Hex(byte[] bytes) {
    return HexFormat.of().formatHex(ObjectFile.md5().digest(bytes));
  }

  static String unquoted(String eTag) {
    return eTag.replace("\"", "");
  }

  @Test
  void aKillDuringConcurrentPutsLeavesOldOrNewObjectsOnly() throws Exception {
    Path data = dir.resolve("data");
    StringBuffer childLog = new StringBuffer();
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                S3CrashChild.class.getName(),
                data.toString())
            .redirectErrorStream(true)
            .start();
    CompletableFuture<URI> endpoint = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  childLog.append(line).append('\n');
                  if (line.startsWith("S3 ")) {
                    endpoint.complete(URI.create(line.substring(3).trim()));
                  }
                }
              } catch (IOException e) {
                // the child is gone
              }
              endpoint.completeExceptionally(new IOException("child ended:\n" + childLog));
            });
    reader.setDaemon(true);
    reader.start();

    Map<String, Long> oldSeeds = new LinkedHashMap<>();
    Map<String, Long> newSeeds = new LinkedHashMap<>();
    Map<String, AtomicLong> progress = new ConcurrentHashMap<>();
    Map<String, Boolean> answered = new ConcurrentHashMap<>();
    Map<String, Long> producedAtKill = new TreeMap<>();
    List<String> fast = new ArrayList<>();
    String pendingUpload;
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try (S3Client s3 = client(endpoint.get(60, TimeUnit.SECONDS))) {
      s3.createBucket(r -> r.bucket(BUCKET));
      for (int i = 0; i < 6; i++) {
        String key = "data/key-" + i;
        long seed = 1000 + i;
        oldSeeds.put(key, seed);
        s3.putObject(
            r -> r.bucket(BUCKET).key(key),
            RequestBody.fromContentProvider(
                () -> new Content(seed, OLD_SIZE, 0, new AtomicLong()),
                OLD_SIZE,
                "application/octet-stream"));
      }
      pendingUpload =
          s3.createMultipartUpload(r -> r.bucket(BUCKET).key("data/pending")).uploadId();
      s3.uploadPart(
          r -> r.bucket(BUCKET).key("data/pending").uploadId(pendingUpload).partNumber(1),
          RequestBody.fromString("part"));

      // 12 PUTs of 20 MB at once: half of them as fast as they go, half slowed to ~1.3 MB/s
      List<CompletableFuture<?>> fastPuts = new ArrayList<>();
      List<String> slow = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String key = i < 6 ? "data/key-" + i : "data/new-" + (i - 6);
        long seed = 2000 + i;
        newSeeds.put(key, seed);
        boolean isFast = i % 2 == 0;
        (isFast ? fast : slow).add(key);
        long pause = isFast ? 0 : 50;
        AtomicLong produced = new AtomicLong();
        progress.put(key, produced);
        CompletableFuture<?> put =
            CompletableFuture.runAsync(
                () -> {
                  s3.putObject(
                      r -> r.bucket(BUCKET).key(key),
                      RequestBody.fromContentProvider(
                          () -> {
                            produced.set(0);
                            return new Content(seed, SIZE, pause, produced);
                          },
                          SIZE,
                          "application/octet-stream"));
                  answered.put(key, true);
                },
                pool);
        if (isFast) {
          fastPuts.add(put);
        }
      }
      CompletableFuture.allOf(fastPuts.toArray(CompletableFuture[]::new))
          .get(120, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (slow.stream().anyMatch(k -> progress.get(k).get() < SIZE / 4)
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      for (String key : newSeeds.keySet()) {
        producedAtKill.put(key, progress.get(key).get());
      }
      Map<String, Boolean> answeredAtKill = new TreeMap<>(answered);
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS), is(true));
      System.out.println("S3CrashTest: answered before the kill " + answeredAtKill.keySet());
      System.out.println("S3CrashTest: bytes produced at the kill " + producedAtKill);
      answered.keySet().retainAll(answeredAtKill.keySet());
    } finally {
      pool.shutdownNow();
      child.destroyForcibly();
    }
    List<String> cutOff =
        producedAtKill.entrySet().stream()
            .filter(e -> e.getValue() < SIZE)
            .map(Map.Entry::getKey)
            .collect(Collectors.toList());
    assertThat("some PUTs were still sending when the server died", cutOff.size(), greaterThan(0));
    for (String key : fast) {
      assertThat(key + " was answered before the kill", answered.containsKey(key), is(true));
    }

    try (SageMakerLocal local = SageMakerLocal.builder().dataDirectory(data).build();
        LocalClients clients = new LocalClients(local)) {
      S3Client s3 = clients.s3;
      List<S3Object> listed =
          s3.listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents().stream()
              .collect(Collectors.toList());
      Map<String, String> outcome = new TreeMap<>();
      for (S3Object object : listed) {
        String key = object.key();
        assertThat("a key that was PUT: " + key, newSeeds.containsKey(key), is(true));
        byte[] body = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray();
        assertThat(key, object.size(), equalTo((long) body.length));
        assertThat(key, unquoted(object.eTag()), equalTo(md5Hex(body)));
        String oldMd5 = oldSeeds.containsKey(key) ? Content.md5(oldSeeds.get(key), OLD_SIZE) : null;
        String newMd5 = Content.md5(newSeeds.get(key), SIZE);
        assertThat(key + " is its old or its new content", md5Hex(body), oneOf(oldMd5, newMd5));
        outcome.put(key, md5Hex(body).equals(newMd5) ? "new" : "old");
      }
      Map<String, String> expectedAtLeast = new TreeMap<>();
      for (String key : newSeeds.keySet()) {
        if (answered.containsKey(key)) {
          expectedAtLeast.put(key, "new"); // an answered PUT is kept
        } else if (cutOff.contains(key)) {
          if (oldSeeds.containsKey(key)) {
            expectedAtLeast.put(key, "old"); // a PUT cut off keeps the old object
          }
        } else if (oldSeeds.containsKey(key)) {
          assertThat(key, outcome.get(key), oneOf("old", "new"));
        }
      }
      for (Map.Entry<String, String> e : expectedAtLeast.entrySet()) {
        assertThat(e.getKey(), outcome.get(e.getKey()), equalTo(e.getValue()));
      }
      for (String key : cutOff) {
        if (!oldSeeds.containsKey(key)) {
          assertThat(key + " was never complete", outcome.containsKey(key), is(false));
        }
      }
      for (String key : oldSeeds.keySet()) {
        assertThat(key + " still exists", outcome.containsKey(key), is(true));
      }
      System.out.println("S3CrashTest: after the restart " + outcome);

      // the upload in progress is still one, and not a key
      assertThat(
          s3.listMultipartUploads(r -> r.bucket(BUCKET)).uploads().stream()
              .map(MultipartUpload::uploadId)
              .collect(Collectors.toList()),
          hasItem(pendingUpload));
      // nothing half-written is left behind: one object file per key, no temporary file
      Path store = data.resolve("s3").resolve("_store");
      try (Stream<Path> temps = Files.list(store.resolve("tmp"))) {
        assertThat(temps.count(), equalTo(0L));
      }
      try (Stream<Path> files =
          Files.walk(store.resolve("buckets").resolve(BUCKET).resolve("objects"))) {
        assertThat(files.filter(Files::isRegularFile).count(), equalTo((long) listed.size()));
      }
      assertThat(listed.size(), lessThan(13));
    }
  }
}
