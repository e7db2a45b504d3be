package dev.sagemakerbeam.local.storage;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.ContainerNotFoundException;
import org.jclouds.blobstore.KeyNotFoundException;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobAccess;
import org.jclouds.blobstore.domain.BlobBuilder;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.ContainerAccess;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.domain.MutableBlobMetadata;
import org.jclouds.blobstore.domain.MutableStorageMetadata;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.domain.Tier;
import org.jclouds.blobstore.domain.internal.BlobBuilderImpl;
import org.jclouds.blobstore.domain.internal.BlobImpl;
import org.jclouds.blobstore.domain.internal.MutableBlobMetadataImpl;
import org.jclouds.blobstore.domain.internal.MutableStorageMetadataImpl;
import org.jclouds.blobstore.domain.internal.PageSetImpl;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.CreateContainerOptions;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.domain.Location;
import org.jclouds.http.HttpCommand;
import org.jclouds.http.HttpRequest;
import org.jclouds.http.HttpResponse;
import org.jclouds.http.HttpResponseException;
import org.jclouds.io.ContentMetadata;
import org.jclouds.io.MutableContentMetadata;
import org.jclouds.io.Payload;
import org.jclouds.io.payloads.BaseMutableContentMetadata;
import org.jclouds.io.payloads.InputStreamPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SageMaker Local's S3 store, behind S3Proxy: a jclouds {@link BlobStore} that keeps S3's promises
 * about objects, which jclouds' filesystem store (one file per key, at the key's path) cannot: a
 * PUT is invisible until complete, also across a crash; listings hold exactly the keys that were
 * PUT (no directory placeholders; {@code x/y} and {@code x/y/z} both exist); any key of up to 1,024
 * UTF-8 bytes, whatever its segments ({@code .}, {@code ..}, 300-byte segments).
 *
 * <p><b>Keys never become paths.</b> An object is one file named by the SHA-256 of its key (hex, in
 * one of 256 directories named by the hash's first two digits, so that directories stay small): a
 * name of fixed length and alphabet whatever the key holds, so no key can name a file outside the
 * store, and no key is refused for being a bad file name. The file holds the body and, after it, a
 * header with the key itself and all its metadata ({@link ObjectFile}), so one file is the whole
 * object; the key in the header is checked on every read (a different key there, that is a hash
 * collision, reads as absent).
 *
 * <p><b>One rename commits an object.</b> A PUT streams the body to a new file in {@code tmp/},
 * appends the header, forces it to disk, and renames it over the object's file ({@code rename(2)},
 * atomic); readers that opened the old file keep reading it. A crash leaves either the old file or
 * the new one under the name, and at most a leftover in {@code tmp/}, which start-up deletes. A
 * multipart upload is a directory {@code uploads/<uploadId>/} with a record of the key and metadata
 * and one object file per part, outside the object namespace (never listed as keys);
 * CompleteMultipartUpload concatenates the parts into a new file in {@code tmp/} and commits it by
 * the same rename, then removes the upload.
 *
 * <p><b>Listings come from memory.</b> Each bucket has a sorted index of its keys (in UTF-8 byte
 * order, as S3 lists), rebuilt at start-up by reading the header of every object file and updated
 * after each rename, under a per-key lock that orders the rename and the index update together.
 * Prefixes, delimiters, markers (an S3 marker or continuation token that is a common prefix skips
 * the keys under it) and page sizes are applied to the index exactly as S3 does.
 *
 * <p>Layout under the base directory: {@code _store/buckets/<bucket>/objects/<xx>/<sha256>}, {@code
 * _store/buckets/<bucket>/uploads/<uploadId>/}, {@code _store/tmp/}. {@code _store} cannot be a
 * bucket name, so a data directory written by jclouds' filesystem store (one directory per bucket
 * at the top) is left alone; its objects are not migrated and do not appear.
 */
final class AtomicFileBlobStore implements BlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicFileBlobStore.class);

  /** The jclouds property naming the base directory. */
  static final String BASEDIR = "sagemakerlocal.s3.basedir";

  /** S3's limit on key length, in UTF-8 bytes. */
  static final int MAX_KEY_BYTES = 1024;

  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,254}");
  private static final Pattern UPLOAD_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final String UPLOAD_RECORD = "upload";
  private static final String PART_PREFIX = "part-";
  private static final String ACCESS_FILE = "public-read";

  /** S3's order of keys: by UTF-8 bytes, that is by code points. */
  static final Comparator<String> KEY_ORDER =
      (a, b) -> {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
          char x = a.charAt(i);
          char y = b.charAt(i);
          if (x != y) {
            if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
              return Integer.compare(a.codePointAt(i), b.codePointAt(i));
            }
            return Character.compare(x, y);
          }
        }
        return Integer.compare(a.length(), b.length());
      };

  private final BlobStoreContext context;
  private final Path buckets;
  private final Path tmp;
  private final Map<String, Bucket> bucketsByName = new ConcurrentHashMap<>();
  private final Object bucketLifecycle = new Object();
  private final Object[] keyLocks = new Object[256];

  /** One bucket: its directory, its index, and a lock that bucket deletion takes exclusively. */
  private static final class Bucket {
    final String name;
    final Path dir;
    final Date created;
    final NavigableMap<String, ObjectFile.Header> index = new ConcurrentSkipListMap<>(KEY_ORDER);
    final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    volatile boolean deleted;

    Bucket(String name, Path dir, Date created) {
      this.name = name;
      this.dir = dir;
      this.created = created;
    }

    Path objects() {
      return dir.resolve("objects");
    }

    Path uploads() {
      return dir.resolve("uploads");
    }
  }

  @Inject
  AtomicFileBlobStore(BlobStoreContext context, @Named(BASEDIR) String baseDirectory)
      throws IOException {
    this.context = context;
    Path root = Path.of(baseDirectory).toAbsolutePath().resolve("_store");
    this.buckets = root.resolve("buckets");
    this.tmp = root.resolve("tmp");
    for (int i = 0; i < keyLocks.length; i++) {
      keyLocks[i] = new Object();
    }
    Files.createDirectories(buckets);
    Files.createDirectories(tmp);
    // Writes that a crash interrupted: never visible, now deleted.
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
      for (Path leftover : leftovers) {
        deleteRecursively(leftover);
      }
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(buckets)) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (!Files.isDirectory(dir) || !BUCKET_NAME.matcher(name).matches()) {
          continue;
        }
        Bucket bucket = new Bucket(name, dir, creationDate(dir));
        loadIndex(bucket);
        bucketsByName.put(name, bucket);
      }
    }
  }

  private static Date creationDate(Path dir) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class);
    return new Date(attributes.creationTime().toMillis());
  }

  private void loadIndex(Bucket bucket) throws IOException {
    Files.createDirectories(bucket.objects());
    Files.createDirectories(bucket.uploads());
    try (Stream<Path> files = Files.walk(bucket.objects(), 2)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        try {
          ObjectFile.Header header = ObjectFile.readHeader(file);
          if (!objectFile(bucket, header.key()).equals(file)) {
            LOG.warn("Ignoring {}: it is not the file of the key it holds", file);
            continue;
          }
          bucket.index.put(header.key(), header);
        } catch (IOException e) {
          LOG.warn("Ignoring {}: {}", file, e.getMessage());
        }
      }
    }
  }

  // ---- names and files

  static void checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("An S3 key cannot be empty");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "An S3 key is at most " + MAX_KEY_BYTES + " bytes in UTF-8");
    }
  }

  private static String hash(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path objectFile(Bucket bucket, String key) {
    String h = hash(key);
    return bucket.objects().resolve(h.substring(0, 2)).resolve(h);
  }

  private Object keyLock(Bucket bucket, String key) {
    return keyLocks[(bucket.name.hashCode() * 31 + key.hashCode()) & (keyLocks.length - 1)];
  }

  private Path newTemp() {
    return tmp.resolve(UUID.randomUUID().toString());
  }

  private Bucket bucket(String name) {
    Bucket bucket = bucketsByName.get(name);
    if (bucket == null) {
      throw new ContainerNotFoundException(name, "no such bucket");
    }
    return bucket;
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // not every file system lets a directory be forced; the rename itself is still atomic
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("The S3 store needs a file system with atomic renames", e);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
        for (Path child : children) {
          deleteRecursively(child);
        }
      }
    }
    Files.deleteIfExists(path);
  }

  private static RuntimeException unchecked(IOException e) {
    return new UncheckedIOException(e.getMessage(), e);
  }

  private static HttpResponseException response(int status, String eTag) {
    HttpResponse.Builder<?> response = HttpResponse.builder().statusCode(status);
    if (eTag != null) {
      response.addHeader("ETag", eTag);
    }
    return new HttpResponseException(
        new HttpCommand(HttpRequest.builder().method("GET").endpoint("http://stub").build()),
        response.build());
  }

  private static String quoted(String eTag) {
    return eTag.startsWith("\"") ? eTag : "\"" + eTag + "\"";
  }

  // ---- writing objects

  /** Writes an object file to {@code tmp/} and commits it; returns its header. */
  private ObjectFile.Header writeObject(
      Bucket bucket, String key, InputStream body, long expectedLength, ObjectFile.HeaderFor header)
      throws IOException {
    Path temp = newTemp();
    try {
      ObjectFile.Header written = ObjectFile.write(temp, body, expectedLength, header);
      commit(bucket, key, temp, written);
      return written;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Renames a complete object file into place and updates the index, as one step per key. */
  private void commit(Bucket bucket, String key, Path temp, ObjectFile.Header header)
      throws IOException {
    Path target = objectFile(bucket, key);
    bucket.lifecycle.readLock().lock();
    try {
      if (bucket.deleted) {
        throw new ContainerNotFoundException(bucket.name, "bucket deleted during the write");
      }
      if (!Files.isDirectory(target.getParent())) {
        Files.createDirectories(target.getParent());
        forceDirectory(bucket.objects());
      }
      synchronized (keyLock(bucket, key)) {
        move(temp, target);
        bucket.index.put(key, header);
      }
      forceDirectory(target.getParent());
    } finally {
      bucket.lifecycle.readLock().unlock();
    }
  }

  private static ObjectFile.Header headerFrom(
      String key,
      ContentMetadata content,
      Map<String, String> userMetadata,
      Tier tier,
      boolean publicRead,
      ObjectFile.Body body,
      String eTag) {
    return new ObjectFile.Header(
        key,
        body.size(),
        eTag != null ? eTag : HexFormat.of().formatHex(body.md5()),
        System.currentTimeMillis(),
        content == null ? null : content.getContentType(),
        content == null ? null : content.getContentEncoding(),
        content == null ? null : content.getContentDisposition(),
        content == null ? null : content.getContentLanguage(),
        content == null ? null : content.getCacheControl(),
        content == null || content.getExpires() == null ? null : content.getExpires().getTime(),
        tier == null || tier == Tier.STANDARD ? null : tier.name(),
        userMetadata == null ? Map.of() : userMetadata,
        publicRead);
  }

  @Override
  public String putBlob(String container, Blob blob) {
    return putBlob(container, blob, PutOptions.NONE);
  }

  @Override
  public String putBlob(String container, Blob blob, PutOptions options) {
    String key = blob.getMetadata().getName();
    checkKey(key);
    Bucket bucket = bucket(container);
    Payload payload = blob.getPayload();
    ContentMetadata content = payload.getContentMetadata();
    long expected = content.getContentLength() == null ? -1 : content.getContentLength();
    byte[] expectedMd5 = content.getContentMD5();
    boolean publicRead = options != null && options.getBlobAccess() == BlobAccess.PUBLIC_READ;
    try (InputStream in = payload.openStream()) {
      ObjectFile.Header header =
          writeObject(
              bucket,
              key,
              in,
              expected,
              body -> {
                if (expectedMd5 != null && !MessageDigest.isEqual(expectedMd5, body.md5())) {
                  throw new BadDigestException();
                }
                return headerFrom(
                    key,
                    content,
                    blob.getMetadata().getUserMetadata(),
                    blob.getMetadata().getTier(),
                    publicRead,
                    body,
                    null);
              });
      return header.eTag();
    } catch (BadDigestException e) {
      throw response(400, null);
    } catch (IOException e) {
      throw unchecked(e);
    }
  }

  /** The body's MD5 is not the Content-MD5 it was sent with. */
  private static final class BadDigestException extends IOException {
    BadDigestException() {
      super("Content-MD5 mismatch");
    }
  }

  // ---- reading objects

  /** The object's open file and the header read from that same file, or null if absent. */
  private record Opened(FileChannel channel, ObjectFile.Header header) {}

  private Opened open(Bucket bucket, String key) {
    FileChannel channel;
    try {
      channel = FileChannel.open(objectFile(bucket, key), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw unchecked(e);
    }
    try {
      ObjectFile.Header header = ObjectFile.readHeader(channel);
      if (!header.key().equals(key)) {
        channel.close();
        return null;
      }
      return new Opened(channel, header);
    } catch (IOException e) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing a file opened for reading
      }
      throw unchecked(e);
    }
  }

  private MutableBlobMetadata metadata(String container, ObjectFile.Header h, long contentLength) {
    MutableBlobMetadata md = new MutableBlobMetadataImpl();
    md.setType(StorageType.BLOB);
    md.setName(h.key());
    md.setContainer(container);
    md.setETag(h.eTag());
    md.setLastModified(new Date(h.lastModified()));
    md.setCreationDate(new Date(h.lastModified()));
    md.setSize(contentLength);
    md.setUserMetadata(new LinkedHashMap<>(h.userMetadata()));
    md.setTier(h.tier() == null ? Tier.STANDARD : Tier.valueOf(h.tier()));
    md.setContentMetadata(contentMetadata(h, contentLength));
    return md;
  }

  private static MutableContentMetadata contentMetadata(ObjectFile.Header h, long contentLength) {
    MutableContentMetadata content = new BaseMutableContentMetadata();
    content.setContentLength(contentLength);
    content.setContentType(h.contentType());
    content.setContentEncoding(h.contentEncoding());
    content.setContentDisposition(h.contentDisposition());
    content.setContentLanguage(h.contentLanguage());
    content.setCacheControl(h.cacheControl());
    content.setExpires(h.expires() == null ? null : new Date(h.expires()));
    return content;
  }

  @Override
  public Blob getBlob(String container, String key) {
    return getBlob(container, key, GetOptions.NONE);
  }

  @Override
  public Blob getBlob(String container, String key, GetOptions options) {
    Bucket bucket = bucket(container);
    Opened opened = open(bucket, key);
    if (opened == null) {
      return null;
    }
    boolean handedOver = false;
    try {
      ObjectFile.Header h = opened.header();
      if (options != null) {
        checkConditions(h, options);
      }
      long offset = 0;
      long length = h.size();
      String contentRange = null;
      if (options != null && options.getRanges() != null && !options.getRanges().isEmpty()) {
        // S3Proxy sends at most one range
        String range = options.getRanges().get(0);
        long last = h.size() - 1;
        if (range.startsWith("-")) {
          offset = Math.max(0, h.size() - Long.parseLong(range.substring(1)));
        } else if (range.endsWith("-")) {
          offset = Long.parseLong(range.substring(0, range.length() - 1));
        } else {
          String[] firstLast = range.split("-", 2);
          offset = Long.parseLong(firstLast[0]);
          last = Math.min(last, Long.parseLong(firstLast[1]));
        }
        if (offset >= h.size() || last < offset) {
          throw response(416, null);
        }
        length = last - offset + 1;
        contentRange = "bytes " + offset + "-" + last + "/" + h.size();
      }
      MutableBlobMetadata md = metadata(container, h, length);
      Blob blob = new BlobImpl(md);
      InputStreamPayload payload =
          new InputStreamPayload(ObjectFile.bodyStream(opened.channel(), offset, length));
      handedOver = true;
      payload.setContentMetadata(md.getContentMetadata());
      blob.setPayload(payload);
      blob.getAllHeaders().put("ETag", quoted(h.eTag()));
      if (contentRange != null) {
        blob.getAllHeaders().put("Content-Range", contentRange);
      }
      return blob;
    } catch (IOException e) {
      throw unchecked(e);
    } finally {
      if (!handedOver) {
        try {
          opened.channel().close();
        } catch (IOException ignored) {
          // closing a file opened for reading
        }
      }
    }
  }

  private static void checkConditions(ObjectFile.Header h, GetOptions options) {
    String eTag = quoted(h.eTag());
    if (options.getIfMatch() != null && !eTag.equals(quoted(options.getIfMatch()))) {
      throw response(412, eTag);
    }
    if (options.getIfNoneMatch() != null && eTag.equals(quoted(options.getIfNoneMatch()))) {
      throw response(304, eTag);
    }
    // HTTP dates have whole seconds
    long modified = h.lastModified() / 1000 * 1000;
    if (options.getIfModifiedSince() != null
        && modified <= options.getIfModifiedSince().getTime()) {
      throw response(304, eTag);
    }
    if (options.getIfUnmodifiedSince() != null
        && modified > options.getIfUnmodifiedSince().getTime()) {
      throw response(412, eTag);
    }
  }

  @Override
  public BlobMetadata blobMetadata(String container, String key) {
    Bucket bucket = bucket(container);
    Opened opened = open(bucket, key);
    if (opened == null) {
      return null;
    }
    try (FileChannel ignored = opened.channel()) {
      return metadata(container, opened.header(), opened.header().size());
    } catch (IOException e) {
      throw unchecked(e);
    }
  }

  @Override
  public boolean blobExists(String container, String key) {
    return bucket(container).index.containsKey(key);
  }

  @Override
  public String copyBlob(
      String fromContainer,
      String fromName,
      String toContainer,
      String toName,
      CopyOptions options) {
    checkKey(toName);
    Bucket from = bucket(fromContainer);
    Bucket to = bucket(toContainer);
    Opened opened = open(from, fromName);
    if (opened == null) {
      throw new KeyNotFoundException(fromContainer, fromName, "while copying");
    }
    try (FileChannel channel = opened.channel()) {
      ObjectFile.Header source = opened.header();
      String eTag = quoted(source.eTag());
      if (options.ifMatch() != null && !eTag.equals(quoted(options.ifMatch()))) {
        throw response(412, null);
      }
      if (options.ifNoneMatch() != null && eTag.equals(quoted(options.ifNoneMatch()))) {
        throw response(412, null);
      }
      long modified = source.lastModified() / 1000 * 1000;
      if (options.ifModifiedSince() != null && modified <= options.ifModifiedSince().getTime()) {
        throw response(412, null);
      }
      if (options.ifUnmodifiedSince() != null && modified > options.ifUnmodifiedSince().getTime()) {
        throw response(412, null);
      }
      ContentMetadata content =
          options.contentMetadata() != null
              ? options.contentMetadata()
              : contentMetadata(source, source.size());
      Map<String, String> userMetadata =
          options.userMetadata() != null ? options.userMetadata() : source.userMetadata();
      Tier tier = source.tier() == null ? null : Tier.valueOf(source.tier());
      InputStream body = ObjectFile.bodyStream(channel, 0, source.size());
      return writeObject(
              to,
              toName,
              body,
              source.size(),
              b -> headerFrom(toName, content, userMetadata, tier, false, b, null))
          .eTag();
    } catch (IOException e) {
      throw unchecked(e);
    }
  }

  @Override
  public void removeBlob(String container, String key) {
    Bucket bucket = bucket(container);
    if (key == null || key.isEmpty()) {
      return;
    }
    Path file = objectFile(bucket, key);
    bucket.lifecycle.readLock().lock();
    try {
      synchronized (keyLock(bucket, key)) {
        if (bucket.index.remove(key) != null) {
          Files.deleteIfExists(file);
        }
      }
      forceDirectory(file.getParent());
    } catch (IOException e) {
      throw unchecked(e);
    } finally {
      bucket.lifecycle.readLock().unlock();
    }
  }

  @Override
  public void removeBlobs(String container, Iterable<String> keys) {
    for (String key : keys) {
      removeBlob(container, key);
    }
  }

  @Override
  public BlobAccess getBlobAccess(String container, String key) {
    ObjectFile.Header h = bucket(container).index.get(key);
    if (h == null) {
      throw new KeyNotFoundException(container, key, "no such key");
    }
    return h.publicRead() ? BlobAccess.PUBLIC_READ : BlobAccess.PRIVATE;
  }

  @Override
  public void setBlobAccess(String container, String key, BlobAccess access) {
    Bucket bucket = bucket(container);
    Opened opened = open(bucket, key);
    if (opened == null) {
      throw new KeyNotFoundException(container, key, "no such key");
    }
    boolean publicRead = access == BlobAccess.PUBLIC_READ;
    try (FileChannel channel = opened.channel()) {
      ObjectFile.Header h = opened.header();
      if (h.publicRead() == publicRead) {
        return;
      }
      // the object is rewritten with the new header: one rename again
      writeObject(
          bucket,
          key,
          ObjectFile.bodyStream(channel, 0, h.size()),
          h.size(),
          b -> h.withPublicRead(publicRead));
    } catch (IOException e) {
      throw unchecked(e);
    }
  }

  // ---- listing

  @Override
  public PageSet<? extends StorageMetadata> list(String container) {
    return list(container, ListContainerOptions.NONE);
  }

  @Override
  public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
    Bucket bucket = bucket(container);
    String prefix = options.getPrefix() == null ? "" : options.getPrefix();
    if (options.getDir() != null && !options.getDir().isEmpty()) {
      prefix = options.getDir().endsWith("/") ? options.getDir() : options.getDir() + "/";
    }
    String delimiter = options.getDelimiter();
    if (delimiter == null && !options.isRecursive()) {
      delimiter = "/";
    }
    if (delimiter != null && delimiter.isEmpty()) {
      delimiter = null;
    }
    String marker = options.getMarker();
    int maxResults = options.getMaxResults() == null ? 1000 : options.getMaxResults();
    List<StorageMetadata> page = new ArrayList<>();
    if (maxResults <= 0) {
      return new PageSetImpl<>(page, null);
    }
    Listing listing = new Listing(bucket.index, prefix, delimiter, marker);
    String last = null;
    while (true) {
      Map.Entry<String, ObjectFile.Header> next = listing.next();
      if (next == null) {
        return new PageSetImpl<>(page, null);
      }
      if (page.size() == maxResults) {
        return new PageSetImpl<>(page, last);
      }
      last = next.getKey();
      if (next.getValue() == null) {
        MutableStorageMetadata commonPrefix = new MutableStorageMetadataImpl();
        commonPrefix.setType(StorageType.RELATIVE_PATH);
        commonPrefix.setName(next.getKey());
        page.add(commonPrefix);
      } else {
        page.add(metadata(container, next.getValue(), next.getValue().size()));
      }
    }
  }

  /**
   * Walks the index as S3 lists: keys after the marker that start with the prefix, each key with
   * the delimiter after the prefix rolled up into its common prefix (given once, and not at all if
   * it sorts at or before the marker, which is how S3 continues after a page that ended on one).
   */
  private static final class Listing {
    private final NavigableMap<String, ObjectFile.Header> index;
    private final String prefix;
    private final String delimiter;
    private final String marker;
    private Iterator<Map.Entry<String, ObjectFile.Header>> keys;

    Listing(
        NavigableMap<String, ObjectFile.Header> index,
        String prefix,
        String delimiter,
        String marker) {
      this.index = index;
      this.prefix = prefix;
      this.delimiter = delimiter;
      this.marker = marker;
      if (marker != null && KEY_ORDER.compare(marker, prefix) >= 0) {
        keys = index.tailMap(marker, false).entrySet().iterator();
      } else {
        keys = index.tailMap(prefix, true).entrySet().iterator();
      }
    }

    /** The next key (with its header) or common prefix (with null), or null at the end. */
    Map.Entry<String, ObjectFile.Header> next() {
      while (keys.hasNext()) {
        Map.Entry<String, ObjectFile.Header> entry = keys.next();
        String key = entry.getKey();
        if (!key.startsWith(prefix)) {
          return null;
        }
        int at = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
        if (at < 0) {
          return entry;
        }
        String commonPrefix = key.substring(0, at + delimiter.length());
        skipPast(commonPrefix);
        if (marker == null || KEY_ORDER.compare(commonPrefix, marker) > 0) {
          return new java.util.AbstractMap.SimpleImmutableEntry<>(commonPrefix, null);
        }
      }
      return null;
    }

    /** Continues after every key that starts with {@code commonPrefix}. */
    private void skipPast(String commonPrefix) {
      int lastCodePoint = commonPrefix.codePointBefore(commonPrefix.length());
      if (lastCodePoint < Character.MAX_CODE_POINT
          && !Character.isSurrogate((char) lastCodePoint)) {
        String after =
            commonPrefix.substring(0, commonPrefix.length() - Character.charCount(lastCodePoint))
                + new String(Character.toChars(lastCodePoint + 1));
        keys = index.tailMap(after, true).entrySet().iterator();
      } else {
        // rare: walk on past the keys under it
        List<Map.Entry<String, ObjectFile.Header>> rest = new ArrayList<>();
        while (keys.hasNext()) {
          Map.Entry<String, ObjectFile.Header> entry = keys.next();
          if (!entry.getKey().startsWith(commonPrefix)) {
            rest.add(entry);
            break;
          }
        }
        Iterator<Map.Entry<String, ObjectFile.Header>> tail = keys;
        Iterator<Map.Entry<String, ObjectFile.Header>> head = rest.iterator();
        keys =
            new Iterator<>() {
              @Override
              public boolean hasNext() {
                return head.hasNext() || tail.hasNext();
              }

              @Override
              public Map.Entry<String, ObjectFile.Header> next() {
                return head.hasNext() ? head.next() : tail.next();
              }
            };
      }
    }
  }

  @Override
  public long countBlobs(String container) {
    return bucket(container).index.size();
  }

  @Override
  public long countBlobs(String container, ListContainerOptions options) {
    String prefix = options.getPrefix() == null ? "" : options.getPrefix();
    return bucket(container).index.tailMap(prefix, true).keySet().stream()
        .takeWhile(k -> k.startsWith(prefix))
        .count();
  }

  @Override
  public void clearContainer(String container) {
    clearContainer(container, ListContainerOptions.Builder.recursive());
  }

  @Override
  public void clearContainer(String container, ListContainerOptions options) {
    String prefix = options.getPrefix() == null ? "" : options.getPrefix();
    Bucket bucket = bucket(container);
    for (String key : new ArrayList<>(bucket.index.tailMap(prefix, true).keySet())) {
      if (!key.startsWith(prefix)) {
        break;
      }
      removeBlob(container, key);
    }
  }

  @Override
  public boolean directoryExists(String container, String directory) {
    String prefix = directory.endsWith("/") ? directory : directory + "/";
    String first = bucket(container).index.ceilingKey(prefix);
    return first != null && first.startsWith(prefix);
  }

  @Override
  public void createDirectory(String container, String directory) {
    // S3 has no directories; the closest thing is the folder marker object "directory/"
    String marker = directory.endsWith("/") ? directory : directory + "/";
    putBlob(container, blobBuilder(marker).payload(new byte[0]).build());
  }

  @Override
  public void deleteDirectory(String container, String directory) {
    String prefix = directory.endsWith("/") ? directory : directory + "/";
    clearContainer(container, ListContainerOptions.Builder.prefix(prefix).recursive());
  }

  // ---- buckets

  @Override
  public BlobStoreContext getContext() {
    return context;
  }

  @Override
  public BlobBuilder blobBuilder(String name) {
    return new BlobBuilderImpl().name(name);
  }

  @Override
  public Set<? extends Location> listAssignableLocations() {
    return Set.of();
  }

  @Override
  public PageSet<? extends StorageMetadata> list() {
    List<StorageMetadata> all = new ArrayList<>();
    bucketsByName.values().stream()
        .sorted(Comparator.comparing(b -> b.name))
        .forEach(
            b -> {
              MutableStorageMetadata md = new MutableStorageMetadataImpl();
              md.setType(StorageType.CONTAINER);
              md.setName(b.name);
              md.setCreationDate(b.created);
              all.add(md);
            });
    return new PageSetImpl<>(all, null);
  }

  @Override
  public boolean containerExists(String container) {
    return bucketsByName.containsKey(container);
  }

  @Override
  public boolean createContainerInLocation(Location location, String container) {
    return createContainerInLocation(location, container, CreateContainerOptions.NONE);
  }

  @Override
  public boolean createContainerInLocation(
      Location location, String container, CreateContainerOptions options) {
    if (container == null
        || !BUCKET_NAME.matcher(container).matches()
        || container.contains("..")) {
      throw new IllegalArgumentException("Not a bucket name: " + container);
    }
    synchronized (bucketLifecycle) {
      if (bucketsByName.containsKey(container)) {
        return false;
      }
      Path dir = buckets.resolve(container);
      Path temp = newTemp();
      try {
        Files.createDirectories(temp.resolve("objects"));
        Files.createDirectories(temp.resolve("uploads"));
        if (options != null && options.isPublicRead()) {
          Files.createFile(temp.resolve(ACCESS_FILE));
        }
        Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(buckets);
        bucketsByName.put(container, new Bucket(container, dir, creationDate(dir)));
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (IOException e) {
        throw unchecked(e);
      } finally {
        try {
          deleteRecursively(temp);
        } catch (IOException ignored) {
          // a leftover in tmp/ goes at the next start
        }
      }
    }
  }

  @Override
  public ContainerAccess getContainerAccess(String container) {
    return Files.exists(bucket(container).dir.resolve(ACCESS_FILE))
        ? ContainerAccess.PUBLIC_READ
        : ContainerAccess.PRIVATE;
  }

  @Override
  public void setContainerAccess(String container, ContainerAccess access) {
    Path file = bucket(container).dir.resolve(ACCESS_FILE);
    try {
      if (access == ContainerAccess.PUBLIC_READ) {
        if (!Files.exists(file)) {
          Files.createFile(file);
        }
      } else {
        Files.deleteIfExists(file);
      }
    } catch (FileAlreadyExistsException e) {
      // set concurrently
    } catch (IOException e) {
      throw unchecked(e);
    }
  }

  @Override
  public void deleteContainer(String container) {
    delete(container, false);
  }

  @Override
  public boolean deleteContainerIfEmpty(String container) {
    return delete(container, true);
  }

  private boolean delete(String container, boolean onlyIfEmpty) {
    synchronized (bucketLifecycle) {
      Bucket bucket = bucketsByName.get(container);
      if (bucket == null) {
        return true;
      }
      bucket.lifecycle.writeLock().lock();
      try {
        if (onlyIfEmpty && !bucket.index.isEmpty()) {
          return false;
        }
        // One rename takes the bucket (with its uploads in progress, as S3 drops them) away.
        Path temp = newTemp();
        move(bucket.dir, temp);
        forceDirectory(buckets);
        bucket.deleted = true;
        bucketsByName.remove(container);
        deleteRecursively(temp);
        return true;
      } catch (IOException e) {
        throw unchecked(e);
      } finally {
        bucket.lifecycle.writeLock().unlock();
      }
    }
  }

  // ---- multipart uploads

  private Path uploadDir(Bucket bucket, String uploadId) {
    if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
      throw noSuchUpload();
    }
    return bucket.uploads().resolve(uploadId);
  }

  private static RuntimeException noSuchUpload() {
    return new UncheckedIOException(
        new S3BodyException(
            404,
            "NoSuchUpload",
            "The specified upload does not exist. The upload ID may be invalid, or the upload may"
                + " have been aborted or completed."));
  }

  /** The upload's record (key and metadata), checked against the key the request names. */
  private ObjectFile.Header uploadRecord(Bucket bucket, MultipartUpload mpu) {
    Path dir = uploadDir(bucket, mpu.id());
    try {
      ObjectFile.Header record = ObjectFile.readHeader(dir.resolve(UPLOAD_RECORD));
      if (mpu.blobName() != null && !record.key().equals(mpu.blobName())) {
        throw noSuchUpload();
      }
      return record;
    } catch (NoSuchFileException e) {
      throw noSuchUpload();
    } catch (IOException e) {
      throw unchecked(e);
    }
  }

  @Override
  public MultipartUpload initiateMultipartUpload(
      String container, BlobMetadata blobMetadata, PutOptions options) {
    String key = blobMetadata.getName();
    checkKey(key);
    Bucket bucket = bucket(container);
    String uploadId = UUID.randomUUID().toString();
    boolean publicRead = options != null && options.getBlobAccess() == BlobAccess.PUBLIC_READ;
    Path temp = newTemp();
    try {
      Files.createDirectory(temp);
      ObjectFile.write(
          temp.resolve(UPLOAD_RECORD),
          InputStream.nullInputStream(),
          0,
          b ->
              headerFrom(
                  key,
                  blobMetadata.getContentMetadata(),
                  blobMetadata.getUserMetadata(),
                  blobMetadata.getTier(),
                  publicRead,
                  b,
                  null));
      bucket.lifecycle.readLock().lock();
      try {
        if (bucket.deleted) {
          throw new ContainerNotFoundException(container, "bucket deleted");
        }
        Files.move(temp, bucket.uploads().resolve(uploadId), StandardCopyOption.ATOMIC_MOVE);
      } finally {
        bucket.lifecycle.readLock().unlock();
      }
      forceDirectory(bucket.uploads());
      return MultipartUpload.create(container, key, uploadId, blobMetadata, options);
    } catch (IOException e) {
      throw unchecked(e);
    } finally {
      try {
        deleteRecursively(temp);
      } catch (IOException ignored) {
        // a leftover in tmp/ goes at the next start
      }
    }
  }

  @Override
  public MultipartPart uploadMultipartPart(MultipartUpload mpu, int partNumber, Payload payload) {
    Bucket bucket = bucket(mpu.containerName());
    ObjectFile.Header record = uploadRecord(bucket, mpu);
    if (partNumber < 1 || partNumber > 10_000) {
      throw new IllegalArgumentException("Part numbers are 1 to 10,000");
    }
    Path dir = uploadDir(bucket, mpu.id());
    ContentMetadata content = payload.getContentMetadata();
    long expected = content.getContentLength() == null ? -1 : content.getContentLength();
    byte[] expectedMd5 = content.getContentMD5();
    Path temp = newTemp();
    try (InputStream in = payload.openStream()) {
      ObjectFile.Header part =
          ObjectFile.write(
              temp,
              in,
              expected,
              b -> {
                if (expectedMd5 != null && !MessageDigest.isEqual(expectedMd5, b.md5())) {
                  throw new BadDigestException();
                }
                return headerFrom(record.key(), null, Map.of(), null, false, b, null);
              });
      try {
        move(temp, dir.resolve(String.format("%s%05d", PART_PREFIX, partNumber)));
      } catch (NoSuchFileException e) {
        throw noSuchUpload(); // completed or aborted meanwhile
      }
      forceDirectory(dir);
      return MultipartPart.create(
          partNumber, part.size(), part.eTag(), new Date(part.lastModified()));
    } catch (BadDigestException e) {
      throw response(400, null);
    } catch (IOException e) {
      throw unchecked(e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a leftover in tmp/ goes at the next start
      }
    }
  }

  private List<Path> partFiles(Path dir) throws IOException {
    List<Path> parts = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PART_PREFIX + "*")) {
      files.forEach(parts::add);
    }
    parts.sort(null);
    return parts;
  }

  @Override
  public List<MultipartPart> listMultipartUpload(MultipartUpload mpu) {
    Bucket bucket = bucket(mpu.containerName());
    uploadRecord(bucket, mpu);
    Path dir = uploadDir(bucket, mpu.id());
    List<MultipartPart> parts = new ArrayList<>();
    try {
      for (Path file : partFiles(dir)) {
        int number =
            Integer.parseInt(file.getFileName().toString().substring(PART_PREFIX.length()));
        ObjectFile.Header h = ObjectFile.readHeader(file);
        parts.add(MultipartPart.create(number, h.size(), h.eTag(), new Date(h.lastModified())));
      }
    } catch (NoSuchFileException e) {
      throw noSuchUpload();
    } catch (IOException e) {
      throw unchecked(e);
    }
    return parts;
  }

  @Override
  public List<MultipartUpload> listMultipartUploads(String container) {
    Bucket bucket = bucket(container);
    List<MultipartUpload> uploads = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(bucket.uploads())) {
      for (Path dir : dirs) {
        String id = dir.getFileName().toString();
        if (!UPLOAD_ID.matcher(id).matches()) {
          continue;
        }
        try {
          ObjectFile.Header record = ObjectFile.readHeader(dir.resolve(UPLOAD_RECORD));
          MutableBlobMetadata md = metadata(container, record, 0);
          uploads.add(
              MultipartUpload.create(
                  container,
                  record.key(),
                  id,
                  md,
                  new PutOptions()
                      .setBlobAccess(
                          record.publicRead() ? BlobAccess.PUBLIC_READ : BlobAccess.PRIVATE)));
        } catch (NoSuchFileException e) {
          // completed or aborted meanwhile
        }
      }
    } catch (IOException e) {
      throw unchecked(e);
    }
    uploads.sort(
        Comparator.comparing(MultipartUpload::blobName, KEY_ORDER)
            .thenComparing(MultipartUpload::id));
    return uploads;
  }

  @Override
  public String completeMultipartUpload(MultipartUpload mpu, List<MultipartPart> parts) {
    Bucket bucket = bucket(mpu.containerName());
    ObjectFile.Header record = uploadRecord(bucket, mpu);
    Path dir = uploadDir(bucket, mpu.id());
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("A multipart upload needs at least one part");
    }
    List<FileChannel> channels = new ArrayList<>();
    try {
      MessageDigest md5s = ObjectFile.md5();
      List<InputStream> bodies = new ArrayList<>();
      long size = 0;
      for (MultipartPart part : parts) {
        Path file = dir.resolve(String.format("%s%05d", PART_PREFIX, part.partNumber()));
        FileChannel channel;
        try {
          channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
          throw noSuchUpload();
        }
        channels.add(channel);
        ObjectFile.Header h = ObjectFile.readHeader(channel);
        md5s.update(HexFormat.of().parseHex(h.eTag()));
        bodies.add(ObjectFile.bodyStream(channel, 0, h.size()));
        size += h.size();
      }
      String eTag = HexFormat.of().formatHex(md5s.digest()) + "-" + parts.size();
      InputStream body = new java.io.SequenceInputStream(java.util.Collections.enumeration(bodies));
      ObjectFile.Header written =
          writeObject(
              bucket,
              record.key(),
              body,
              size,
              b -> record.withBody(b.size(), eTag, System.currentTimeMillis()));
      // The object is in place; now the upload goes (a crash between the two leaves an upload
      // that completes again to the same object).
      Path temp = newTemp();
      try {
        Files.move(dir, temp, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(temp);
      } catch (NoSuchFileException e) {
        // completed twice at once
      }
      return written.eTag();
    } catch (IOException e) {
      throw unchecked(e);
    } finally {
      for (FileChannel channel : channels) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // closing a file opened for reading
        }
      }
    }
  }

  @Override
  public void abortMultipartUpload(MultipartUpload mpu) {
    Bucket bucket = bucket(mpu.containerName());
    uploadRecord(bucket, mpu);
    Path dir = uploadDir(bucket, mpu.id());
    Path temp = newTemp();
    try {
      Files.move(dir, temp, StandardCopyOption.ATOMIC_MOVE);
      deleteRecursively(temp);
    } catch (NoSuchFileException e) {
      throw noSuchUpload();
    } catch (IOException e) {
      throw unchecked(e);
    }
  }

  @Override
  public long getMinimumMultipartPartSize() {
    return 5L * 1024 * 1024;
  }

  @Override
  public long getMaximumMultipartPartSize() {
    return 5L * 1024 * 1024 * 1024;
  }

  @Override
  public int getMaximumNumberOfParts() {
    return 10_000;
  }

  // ---- conveniences of the BlobStore interface

  @Override
  public void downloadBlob(String container, String name, File destination) {
    Blob blob = getBlob(container, name);
    if (blob == null) {
      throw new KeyNotFoundException(container, name, "while downloading");
    }
    try (InputStream in = blob.getPayload().openStream()) {
      Files.copy(in, destination.toPath(), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw unchecked(e);
    }
  }

  @Override
  public void downloadBlob(
      String container, String name, File destination, ExecutorService executor) {
    downloadBlob(container, name, destination);
  }

  @Override
  public InputStream streamBlob(String container, String name) {
    Blob blob = getBlob(container, name);
    if (blob == null) {
      throw new KeyNotFoundException(container, name, "while streaming");
    }
    try {
      return blob.getPayload().openStream();
    } catch (IOException e) {
      throw unchecked(e);
    }
  }

  @Override
  public InputStream streamBlob(String container, String name, ExecutorService executor) {
    return streamBlob(container, name);
  }
}
