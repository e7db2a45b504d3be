package dev.sagemakerbeam.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmResolver;
import dev.sagemakerbeam.local.faults.FaultControlHandler;
import dev.sagemakerbeam.local.faults.FaultInjector;
import dev.sagemakerbeam.local.faults.FaultSpec;
import dev.sagemakerbeam.local.hosting.EndpointConfigs;
import dev.sagemakerbeam.local.hosting.Endpoints;
import dev.sagemakerbeam.local.hosting.Models;
import dev.sagemakerbeam.local.server.ApiHandler;
import dev.sagemakerbeam.local.server.ControlPlane;
import dev.sagemakerbeam.local.server.ServerLimits;
import dev.sagemakerbeam.local.server.ServiceContext;
import dev.sagemakerbeam.local.state.StateStore;
import dev.sagemakerbeam.local.storage.LocalS3;
import dev.sagemakerbeam.local.training.ModelArchive;
import dev.sagemakerbeam.local.training.TrainingJobs;
import dev.sagemakerbeam.local.transform.TransformJobs;
import dev.sagemakerbeam.local.tuning.TuningJobs;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SageMaker Local: the SageMaker API, SageMaker Runtime, STS and S3 on loopback, with training and
 * hosting that really run. The real AWS SDK v2 clients talk to it with {@code endpointOverride}.
 *
 * <pre>{@code
 * try (SageMakerLocal local = SageMakerLocal.builder().dataDirectory(dir).build()) {
 *   SageMakerClient sageMaker = SageMakerClient.builder()
 *       .endpointOverride(local.apiEndpoint())
 *       .region(Region.of(local.region()))
 *       .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
 *           local.credentials().accessKeyId(), local.credentials().secretAccessKey())))
 *       .build();
 *   ...
 * }
 * }</pre>
 *
 * <p>The API port serves the control plane ({@code X-Amz-Target: SageMaker.*}), the runtime ({@code
 * POST /endpoints/<name>/invocations}) and STS; S3 (S3Proxy, path-style) has its own port.
 * Everything is kept under the data directory and comes back on restart.
 */
public final class SageMakerLocal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerLocal.class);

  /** The account id SageMaker Local reports (STS GetCallerIdentity, ARNs). */
  public static final String ACCOUNT_ID = "000000000000";

  private final Path dataDirectory;
  private final boolean deleteDataDirectoryOnClose;
  private final String region;
  private final LocalCredentials credentials;
  private final String bindAddress;
  private final String advertisedHost;
  private final LocalS3 s3;
  private final TrainingJobs trainingJobs;
  private final TransformJobs transformJobs;
  private final TuningJobs tuningJobs;
  private final Endpoints endpoints;
  private final FaultInjector faults;
  private final Server server;

  private SageMakerLocal(Builder builder) throws Exception {
    this.dataDirectory = builder.dataDirectory.toAbsolutePath();
    this.deleteDataDirectoryOnClose = builder.temporary;
    this.region = builder.region;
    this.credentials = builder.credentials;
    this.bindAddress = builder.bindAddress;
    this.advertisedHost = builder.advertisedHost;
    Files.createDirectories(dataDirectory);
    this.faults = builder.faults.copy();
    ObjectMapper mapper = new ObjectMapper();
    s3 = new LocalS3(dataDirectory.resolve("s3"), bindAddress, builder.s3Port, credentials, region);
    TrainingJobs jobs = null;
    TransformJobs transforms = null;
    TuningJobs tuning = null;
    Endpoints hosted = null;
    Server http = null;
    try {
      ServiceContext context =
          new ServiceContext(
              dataDirectory,
              region,
              ACCOUNT_ID,
              mapper,
              new StateStore(dataDirectory.resolve("state"), mapper),
              s3,
              new AlgorithmResolver(builder.algorithms),
              builder.maxConcurrentTrainingJobs,
              builder.maxEndpoints);
      jobs = new TrainingJobs(context, faults);
      Models models = new Models(context);
      EndpointConfigs configs = new EndpointConfigs(context, models);
      hosted = new Endpoints(context, models, configs, faults);
      transforms = new TransformJobs(context, models);
      tuning = new TuningJobs(context, jobs);
      ControlPlane controlPlane =
          new ControlPlane(jobs, models, configs, hosted, transforms, tuning);

      QueuedThreadPool threads = new QueuedThreadPool(builder.maxThreads, 8);
      threads.setName("sagemaker-local-http");
      threads.setDaemon(true);
      http = new Server(threads);
      // the connector's idle-timeout scheduler too: a program that forgets close() still ends
      http.addBean(new ScheduledExecutorScheduler("sagemaker-local-http-scheduler", true));
      HttpConfiguration httpConfig = new HttpConfiguration();
      httpConfig.setSendServerVersion(false);
      // SigV4 signs header values byte for byte; Jetty's header cache would canonicalise their
      // case.
      httpConfig.setHeaderCacheCaseSensitive(true);
      ServerConnector connector = new ServerConnector(http, new HttpConnectionFactory(httpConfig));
      connector.setHost(bindAddress);
      connector.setPort(builder.port);
      http.addConnector(connector);
      FaultControlHandler faultControl = new FaultControlHandler(faults, mapper);
      faultControl.setHandler(
          new ApiHandler(mapper, credentials, region, controlPlane, hosted, ACCOUNT_ID));
      http.setHandler(faultControl);
      ServerLimits.apply(http, connector, httpConfig);
      http.start();
    } catch (Exception e) {
      if (http != null) {
        http.stop();
      }
      if (tuning != null) {
        tuning.close();
      }
      if (transforms != null) {
        transforms.close();
      }
      if (hosted != null) {
        hosted.close();
      }
      if (jobs != null) {
        jobs.close();
      }
      s3.close();
      throw e;
    }
    this.trainingJobs = jobs;
    this.transformJobs = transforms;
    this.tuningJobs = tuning;
    this.endpoints = hosted;
    this.server = http;
    LOG.info(
        "SageMaker Local started: API/runtime/STS {} , S3 {} , data in {}",
        apiEndpoint(),
        s3Endpoint(),
        dataDirectory);
  }

  /**
   * A builder with defaults: free ports, 127.0.0.1, us-east-1, {@link LocalCredentials#DEFAULT}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** SageMaker API endpoint (for {@code SageMakerClient.endpointOverride}). */
  public URI apiEndpoint() {
    return URI.create("http://" + hostForUri() + ":" + port());
  }

  /** SageMaker Runtime endpoint (same port as the API). */
  public URI runtimeEndpoint() {
    return apiEndpoint();
  }

  /** STS endpoint (same port as the API). */
  public URI stsEndpoint() {
    return apiEndpoint();
  }

  /** S3 endpoint; use path-style access. */
  public URI s3Endpoint() {
    return URI.create("http://" + hostForUri() + ":" + s3.port());
  }

  /** The API port. */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** The region clients should use and ARNs carry. */
  public String region() {
    return region;
  }

  /** The access key pair requests must be signed with. */
  public LocalCredentials credentials() {
    return credentials;
  }

  /** The account id in ARNs and GetCallerIdentity. */
  public String accountId() {
    return ACCOUNT_ID;
  }

  /** Where state, S3 objects and job directories live. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /**
   * The faults in force, to set and clear while running (as the control API under {@code
   * /_local/faults} on the API port does): InvokeEndpoint faults per endpoint or variant, training
   * job failures at a phase.
   */
  public FaultInjector faults() {
    return faults;
  }

  /**
   * The host in the endpoint URIs: the advertised host if one was set, else the bind address (a
   * loopback address when bound to all interfaces).
   */
  private String hostForUri() {
    String host =
        advertisedHost != null
            ? advertisedHost
            : bindAddress.equals("0.0.0.0")
                ? "127.0.0.1"
                : bindAddress.equals("::") ? "::1" : bindAddress;
    return host.contains(":") ? "[" + host + "]" : host;
  }

  @Override
  public void close() {
    LOG.info("SageMaker Local stopping");
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("Stopping the HTTP server failed", e);
    }
    tuningJobs.close();
    trainingJobs.close();
    transformJobs.close();
    endpoints.close();
    s3.close();
    if (deleteDataDirectoryOnClose) {
      try {
        ModelArchive.deleteRecursively(dataDirectory);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Deleting the temporary data directory {} failed", dataDirectory, e);
      }
    }
  }

  @Override
  public String toString() {
    return "SageMakerLocal[api="
        + apiEndpoint()
        + ", s3="
        + s3Endpoint()
        + ", region="
        + region
        + ", data="
        + dataDirectory
        + "]";
  }

  /** Configures and starts a {@link SageMakerLocal}. */
  public static final class Builder {
    private Path dataDirectory;
    private boolean temporary;
    private int port;
    private int s3Port;
    private String bindAddress = "127.0.0.1";
    private String advertisedHost;
    private String region = "us-east-1";
    private LocalCredentials credentials = LocalCredentials.DEFAULT;
    private int maxConcurrentTrainingJobs = 32;
    private int maxEndpoints = 64;
    private int maxThreads = 200;
    private final Map<String, Algorithm> algorithms = new LinkedHashMap<>();
    private final FaultInjector faults = new FaultInjector();

    private Builder() {}

    /**
     * Where state, S3 objects and job directories are kept, and kept after {@link #close} (this or
     * {@link #temporaryDataDirectory} is required).
     */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      this.temporary = false;
      return this;
    }

    /**
     * Keeps state, S3 objects and job directories in a new temporary directory, deleted with
     * everything in it by {@link #close}: for a program or a test that wants nothing left behind.
     */
    public Builder temporaryDataDirectory() {
      this.dataDirectory = null;
      this.temporary = true;
      return this;
    }

    /** The API/runtime/STS port; 0 (default) picks a free one. */
    public Builder port(int port) {
      this.port = checkPort(port);
      return this;
    }

    /** The S3 port; 0 (default) picks a free one. */
    public Builder s3Port(int s3Port) {
      this.s3Port = checkPort(s3Port);
      return this;
    }

    /** The address to listen on; 127.0.0.1 by default. */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
      return this;
    }

    /**
     * The host name or address clients on other machines reach this server by, put in {@link
     * #apiEndpoint()}, {@link #s3Endpoint()} and the other endpoint URIs (default: the bind
     * address, or 127.0.0.1 when bound to all interfaces). Set it with {@code
     * bindAddress("0.0.0.0")} when Spark executors on other hosts call SageMaker Local: they get
     * the client configuration built from these URIs. Names only the host: no scheme, port or path.
     */
    public Builder advertisedHost(String host) {
      Objects.requireNonNull(host, "advertisedHost");
      String bare =
          host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      URI probe = null;
      if (!bare.isEmpty() && !bare.contains("/") && !bare.contains("@")) {
        try {
          probe = new URI("http", null, bare, 1, null, null, null);
        } catch (URISyntaxException e) {
          probe = null;
        }
      }
      if (probe == null || probe.getHost() == null) {
        throw new IllegalArgumentException(
            "advertisedHost '"
                + host
                + "' is not a bare host name or address; give one such as 10.0.0.5 or"
                + " driver.example.internal (no scheme, port or path)");
      }
      this.advertisedHost = bare;
      return this;
    }

    /** The region; us-east-1 by default. */
    public Builder region(String region) {
      if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
        throw new IllegalArgumentException(
            "region '" + region + "' is not a region name such as us-east-1");
      }
      this.region = region;
      return this;
    }

    /** The key pair clients must sign with. */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      this.credentials = new LocalCredentials(accessKeyId, secretAccessKey);
      return this;
    }

    /** Training jobs in progress at once before CreateTrainingJob answers ResourceLimitExceeded. */
    public Builder maxConcurrentTrainingJobs(int max) {
      this.maxConcurrentTrainingJobs = checkPositive("maxConcurrentTrainingJobs", max);
      return this;
    }

    /** Endpoints at once before CreateEndpoint answers ResourceLimitExceeded. */
    public Builder maxEndpoints(int max) {
      this.maxEndpoints = checkPositive("maxEndpoints", max);
      return this;
    }

    /** HTTP worker threads of the API port; 200 by default. */
    public Builder maxThreads(int max) {
      this.maxThreads = checkPositive("maxThreads", Math.max(max, 16));
      return this;
    }

    /**
     * Registers an in-process algorithm under an image repository name: images {@code
     * <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>} or {@code <repository>} then run
     * it. Overrides a built-in of the same name.
     */
    public Builder algorithm(String repository, Algorithm algorithm) {
      algorithms.put(Objects.requireNonNull(repository), Objects.requireNonNull(algorithm));
      return this;
    }

    /**
     * Injects faults into InvokeEndpoint of the endpoint {@code endpointName} (whether it exists
     * yet or not): throttling, ModelNotReady, 5xx and model errors at the spec's rates, added
     * latency, a per-instance concurrency cap, all deterministic for the spec's seed.
     */
    public Builder faults(String endpointName, FaultSpec spec) {
      faults.set(endpointName, spec);
      return this;
    }

    /** As {@link #faults(String, FaultSpec)} for one production variant, over the endpoint's. */
    public Builder faults(String endpointName, String variantName, FaultSpec spec) {
      faults.set(endpointName, variantName, spec);
      return this;
    }

    /**
     * Fails every training job whose name matches the regular expression {@code jobNamePattern} on
     * entering {@code phase} ({@code Downloading}, {@code Training} or {@code Uploading}): the job
     * ends Failed with a FailureReason naming the injected fault.
     */
    public Builder failTrainingAt(String jobNamePattern, String phase) {
      faults.failTrainingAt(jobNamePattern, phase);
      return this;
    }

    /** The faults configured so far (for tests of the command line). */
    FaultInjector configuredFaults() {
      return faults;
    }

    /** Starts everything. */
    public SageMakerLocal build() throws Exception {
      if (temporary) {
        Path dir = Files.createTempDirectory("sagemaker-local");
        dataDirectory = dir;
        try {
          return new SageMakerLocal(this);
        } catch (Exception | Error e) {
          ModelArchive.deleteRecursively(dir);
          throw e;
        } finally {
          dataDirectory = null; // a second build() gets a directory of its own
        }
      }
      if (dataDirectory == null) {
        throw new IllegalStateException(
            "dataDirectory is required: where SageMaker Local keeps its state (or"
                + " temporaryDataDirectory() for one deleted on close)");
      }
      return new SageMakerLocal(this);
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
      }
      return port;
    }

    private static int checkPositive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }
  }
}
