package dev.sagemakerbeam.local.storage;

import dev.sagemakerbeam.local.LocalCredentials;
import dev.sagemakerbeam.local.server.ServerLimits;
import dev.sagemakerbeam.local.server.SigV4Verifier;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.shaded.org.eclipse.jetty.server.AbstractConnector;
import org.gaul.shaded.org.eclipse.jetty.server.ConnectionLimit;
import org.gaul.shaded.org.eclipse.jetty.server.Connector;
import org.gaul.shaded.org.eclipse.jetty.server.HttpConnectionFactory;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.gaul.shaded.org.eclipse.jetty.server.handler.HandlerWrapper;
import org.gaul.shaded.org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.gaul.shaded.org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 of SageMaker Local: S3Proxy serving {@link AtomicFileBlobStore}, a jclouds blob store kept
 * under the data directory (objects survive restarts, a PUT is atomic also across a crash, listings
 * are S3's), behind {@link S3RequestAuthenticator} (SigV4 with the configured keys; the SDKs'
 * default aws-chunked uploads with trailing checksums), plus direct access to the same store for
 * the training and hosting code, which therefore never goes through HTTP for its own reads and
 * writes.
 */
public final class LocalS3 implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalS3.class);

  private final BlobStoreContext context;
  private final BlobStore blobStore;
  private final S3Proxy proxy;

  /**
   * Starts S3 on {@code bindAddress:port} (0 for a free port), storing objects under {@code dir};
   * requests must be signed for {@code region}.
   */
  public LocalS3(
      Path dir, String bindAddress, int port, LocalCredentials credentials, String region)
      throws Exception {
    Files.createDirectories(dir);
    Properties properties = new Properties();
    properties.setProperty(AtomicFileBlobStore.BASEDIR, dir.toAbsolutePath().toString());
    context =
        ContextBuilder.newBuilder(new AtomicFileApiMetadata())
            .credentials("local", "local")
            .overrides(properties)
            .build(BlobStoreContext.class);
    blobStore = context.getBlobStore();
    proxy =
        S3Proxy.builder()
            .blobStore(blobStore)
            .endpoint(URI.create("http://" + hostForUri(bindAddress) + ":" + port))
            // Authentication and upload decoding happen in front of S3Proxy: see
            // S3RequestAuthenticator.
            .awsAuthentication(AuthenticationType.NONE, null, null)
            .ignoreUnknownHeaders(true)
            .build();
    installFront(proxy, new S3RequestAuthenticator(new SigV4Verifier(credentials, region), region));
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    if (!"STARTED".equals(proxy.getState())) {
      close();
      throw new IOException("S3Proxy did not start on " + bindAddress + ":" + port);
    }
    LOG.info("S3 (S3Proxy, object files at {}) listening on port {}", dir, proxy.getPort());
  }

  /**
   * Puts {@code front} ahead of S3Proxy's handler in S3Proxy's Jetty server. S3Proxy has no public
   * hook for this, so its server is taken from the private field it keeps it in (checked against
   * the S3Proxy version in the parent pom; a test fails if that changes).
   */
  private static void installFront(S3Proxy proxy, HandlerWrapper front) throws IOException {
    try {
      Field field = S3Proxy.class.getDeclaredField("server");
      field.setAccessible(true);
      Server server = (Server) field.get(proxy);
      front.setHandler(server.getHandler());
      server.setHandler(front);
      ConnectionLimit limit = new ConnectionLimit(ServerLimits.MAX_CONNECTIONS, server);
      limit.setIdleTimeout(ServerLimits.AT_LIMIT_IDLE_TIMEOUT_MILLIS);
      server.addBean(limit);
      server.setErrorHandler(new S3ErrorHandler());
      // S3Proxy's threads are not daemons; SageMaker Local's must not keep a program alive that
      // forgot close(). The pool is not started yet; the connectors' schedulers were created with
      // daemon=false by S3Proxy's constructor and are switched before they start.
      if (server.getThreadPool() instanceof QueuedThreadPool pool) {
        pool.setDaemon(true);
        // S3 bodies are streamed to the store, so each upload in progress holds a thread: with
        // one thread per possible connection, stalled uploads cannot starve the others (threads
        // are created only when needed).
        pool.setMaxThreads(Math.max(pool.getMaxThreads(), ServerLimits.MAX_CONNECTIONS + 50));
      }
      Field daemon = ScheduledExecutorScheduler.class.getDeclaredField("daemon");
      daemon.setAccessible(true);
      for (Connector connector : server.getConnectors()) {
        // SigV4 signs header values byte for byte; Jetty's header cache would canonicalise their
        // case.
        HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
        if (http != null) {
          http.getHttpConfiguration().setHeaderCacheCaseSensitive(true);
          // the API port's limits for slow and stalled clients (see ServerLimits)
          http.getHttpConfiguration().setIdleTimeout(ServerLimits.BLOCKING_TIMEOUT_MILLIS);
          http.getHttpConfiguration().setMinRequestDataRate(ServerLimits.MIN_REQUEST_DATA_RATE);
        }
        if (connector instanceof AbstractConnector abstractConnector) {
          abstractConnector.setIdleTimeout(ServerLimits.IDLE_TIMEOUT_MILLIS);
        }
        if (connector.getScheduler() instanceof ScheduledExecutorScheduler) {
          daemon.setBoolean(connector.getScheduler(), true);
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IOException(
          "Cannot put SigV4 checking in front of this S3Proxy version (expected a Jetty server in"
              + " S3Proxy's 'server' field and Jetty's ScheduledExecutorScheduler, as in S3Proxy 2.6.0)",
          e);
    }
  }

  static String hostForUri(String bindAddress) {
    return bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
  }

  /** The port S3 listens on. */
  public int port() {
    return proxy.getPort();
  }

  /** Whether the bucket exists. */
  public boolean bucketExists(String bucket) {
    return blobStore.containerExists(bucket);
  }

  /** Creates the bucket if it does not exist. */
  public void createBucket(String bucket) {
    blobStore.createContainerInLocation(null, bucket);
  }

  /** Keys of the objects under {@code prefix} (recursive), in key order. */
  public List<String> listKeys(S3Location prefix) {
    List<String> keys = new ArrayList<>();
    if (!blobStore.containerExists(prefix.bucket())) {
      return keys;
    }
    ListContainerOptions options = ListContainerOptions.Builder.recursive();
    if (!prefix.key().isEmpty()) {
      options = options.prefix(prefix.key());
    }
    String marker = null;
    do {
      ListContainerOptions page = marker == null ? options : options.afterMarker(marker);
      PageSet<? extends StorageMetadata> set = blobStore.list(prefix.bucket(), page);
      for (StorageMetadata metadata : set) {
        if (metadata.getType() == StorageType.BLOB && !metadata.getName().endsWith("/")) {
          keys.add(metadata.getName());
        }
      }
      marker = set.getNextMarker();
    } while (marker != null);
    keys.sort(null);
    return keys;
  }

  /** Whether the object exists. */
  public boolean exists(S3Location location) {
    return blobStore.containerExists(location.bucket())
        && blobStore.blobExists(location.bucket(), location.key());
  }

  /**
   * Copies the object to {@code target}.
   *
   * @throws IOException if it does not exist or cannot be read
   */
  public void download(S3Location location, Path target) throws IOException {
    Blob blob =
        blobStore.containerExists(location.bucket())
            ? blobStore.getBlob(location.bucket(), location.key())
            : null;
    if (blob == null) {
      throw new IOException("S3 object " + location + " does not exist");
    }
    Files.createDirectories(target.toAbsolutePath().getParent());
    try (InputStream in = blob.getPayload().openStream()) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Reads a whole (small) object. */
  public byte[] read(S3Location location) throws IOException {
    Blob blob =
        blobStore.containerExists(location.bucket())
            ? blobStore.getBlob(location.bucket(), location.key())
            : null;
    if (blob == null) {
      throw new IOException("S3 object " + location + " does not exist");
    }
    try (InputStream in = blob.getPayload().openStream()) {
      return in.readAllBytes();
    }
  }

  /** Stores {@code file} at {@code location}, creating the bucket if needed. */
  public void upload(Path file, S3Location location) throws IOException {
    if (!blobStore.containerExists(location.bucket())) {
      createBucket(location.bucket());
    }
    Blob blob =
        blobStore
            .blobBuilder(location.key())
            .payload(file.toFile())
            .contentLength(Files.size(file))
            .contentType("application/octet-stream")
            .build();
    blobStore.putBlob(location.bucket(), blob);
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      LOG.warn("Stopping S3Proxy failed", e);
    }
    context.close();
  }
}
