package dev.sagemakerbeam.local;

import dev.sagemakerbeam.local.faults.FaultSpec;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar local/target/sagemaker-local.jar --port P --data-dir D}: runs SageMaker Local
 * until interrupted and prints how to point the AWS SDK and the AWS CLI at it.
 */
public final class SageMakerLocalMain {
  private SageMakerLocalMain() {}

  private static final String USAGE =
      "Usage: java -jar sagemaker-local.jar [--port P] [--s3-port P] [--data-dir DIR]"
          + " [--bind ADDRESS] [--advertise HOST] [--region REGION] [--access-key ID --secret-key SECRET]"
          + " [--fault SPEC]... [--fail-training PHASE:REGEX]...\n"
          + "  --port      API, runtime and STS port (default 8080; 0 = free port)\n"
          + "  --s3-port   S3 port (default port+1; 0 = free port)\n"
          + "  --data-dir  where state and S3 objects live (default ./sagemaker-local-data)\n"
          + "  --bind      listen address (default 127.0.0.1; 0.0.0.0 for all interfaces)\n"
          + "  --advertise host name or address other machines reach this one by, used in the\n"
          + "              endpoint URIs printed and handed to clients (default: the bind address)\n"
          + "  --fault endpoint=NAME[,variant=V],throttle=0.1,modelNotReady=0.01,error5xx=0.02,\n"
          + "          error500=R,error503=R,error530=R,modelError=R,modelErrorStatus=500,maxConcurrency=N,\n"
          + "          latency=25ms|20..80ms|lognormal(50ms,0.5),seed=7   (repeatable)\n"
          + "  --fail-training PHASE:JOB_NAME_REGEX   fail matching training jobs on entering\n"
          + "          Downloading, Training or Uploading (repeatable)\n";

  /**
   * Applies one {@code --fault} value: {@code endpoint=NAME} (required), optional {@code
   * variant=V}, then {@link FaultSpec#fromOptions} options, comma-separated.
   */
  static void addFault(SageMakerLocal.Builder builder, String value) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("'" + part + "' is not key=value");
      }
      options.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    String endpoint = options.remove("endpoint");
    String variant = options.remove("variant");
    if (endpoint == null || endpoint.isEmpty()) {
      throw new IllegalArgumentException("endpoint=NAME is required");
    }
    FaultSpec spec = FaultSpec.fromOptions(options);
    if (variant == null) {
      builder.faults(endpoint, spec);
    } else {
      builder.faults(endpoint, variant, spec);
    }
  }

  /** Applies one {@code --fail-training PHASE:JOB_NAME_REGEX} value. */
  static void addTrainingFault(SageMakerLocal.Builder builder, String value) {
    int colon = value.indexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("expected PHASE:JOB_NAME_REGEX, e.g. Training:my-job-.*");
    }
    builder.failTrainingAt(value.substring(colon + 1), value.substring(0, colon));
  }

  public static void main(String[] args) throws Exception {
    int port = 8080;
    Integer s3Port = null;
    Path dataDir = Paths.get("sagemaker-local-data");
    SageMakerLocal.Builder builder = SageMakerLocal.builder();
    String accessKey = null;
    String secretKey = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.print(USAGE);
        return;
      }
      if (i + 1 >= args.length) {
        System.err.print("Missing value for " + arg + "\n" + USAGE);
        System.exit(2);
      }
      String value = args[++i];
      switch (arg) {
        case "--port" -> port = Integer.parseInt(value);
        case "--s3-port" -> s3Port = Integer.parseInt(value);
        case "--data-dir" -> dataDir = Paths.get(value);
        case "--bind" -> builder.bindAddress(value);
        case "--advertise" -> {
          try {
            builder.advertisedHost(value);
          } catch (IllegalArgumentException e) {
            System.err.print(e.getMessage() + "\n" + USAGE);
            System.exit(2);
          }
        }
        case "--region" -> builder.region(value);
        case "--access-key" -> accessKey = value;
        case "--secret-key" -> secretKey = value;
        case "--fault" -> {
          try {
            addFault(builder, value);
          } catch (IllegalArgumentException e) {
            System.err.print("Bad --fault " + value + ": " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
          }
        }
        case "--fail-training" -> {
          try {
            addTrainingFault(builder, value);
          } catch (IllegalArgumentException e) {
            System.err.print("Bad --fail-training " + value + ": " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
          }
        }
        default -> {
          System.err.print("Unknown option " + arg + "\n" + USAGE);
          System.exit(2);
        }
      }
    }
    if (accessKey != null || secretKey != null) {
      if (accessKey == null || secretKey == null) {
        System.err.print("--access-key and --secret-key go together\n" + USAGE);
        System.exit(2);
      }
      builder.credentials(accessKey, secretKey);
    }
    builder
        .port(port)
        .s3Port(s3Port != null ? s3Port : port == 0 ? 0 : port + 1)
        .dataDirectory(dataDir);
    SageMakerLocal local = builder.build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  local.close();
                  stopped.countDown();
                },
                "sagemaker-local-shutdown"));
    String api = local.apiEndpoint().toString();
    String s3 = local.s3Endpoint().toString();
    System.out.println("SageMaker Local is running (data in " + local.dataDirectory() + ")");
    System.out.println("  SageMaker API : " + api);
    System.out.println("  Runtime       : " + api + "  (POST /endpoints/<name>/invocations)");
    System.out.println("  STS           : " + api);
    System.out.println("  S3            : " + s3 + "  (path-style)");
    System.out.println("  Region        : " + local.region() + ", account " + local.accountId());
    System.out.println();
    System.out.println("AWS CLI:");
    System.out.println("  export AWS_ACCESS_KEY_ID=" + local.credentials().accessKeyId());
    System.out.println(
        "  export AWS_SECRET_ACCESS_KEY=<the --secret-key value; see local/README.md for the"
            + " default>");
    System.out.println("  export AWS_DEFAULT_REGION=" + local.region());
    System.out.println("  aws --endpoint-url " + api + " sagemaker list-endpoints");
    System.out.println("  aws --endpoint-url " + api + " sts get-caller-identity");
    System.out.println("  aws --endpoint-url " + s3 + " s3 ls");
    System.out.println();
    System.out.println("AWS SDK for Java v2:");
    System.out.println(
        "  SageMakerClient.builder().endpointOverride(URI.create(\""
            + api
            + "\"))"
            + ".region(Region.of(\""
            + local.region()
            + "\")).credentialsProvider(...).build();");
    System.out.println(
        "  S3Client.builder().endpointOverride(URI.create(\""
            + s3
            + "\"))"
            + ".forcePathStyle(true)...build();");
    if (!local.faults().endpointFaults().isEmpty() || !local.faults().trainingFaults().isEmpty()) {
      System.out.println();
      System.out.println(
          "Fault injection (GET/PUT/DELETE " + api + "/_local/faults, loopback only):");
      local
          .faults()
          .endpointFaults()
          .forEach(
              (endpoint, specs) ->
                  specs.forEach(
                      (variant, active) ->
                          System.out.println(
                              "  endpoint "
                                  + endpoint
                                  + (variant.isEmpty() ? "" : " variant " + variant)
                                  + ": "
                                  + active.spec())));
      local
          .faults()
          .trainingFaults()
          .forEach(
              f ->
                  System.out.println(
                      "  training jobs matching " + f.jobNamePattern() + " fail at " + f.phase()));
    }
    System.out.println("Press Ctrl-C to stop.");
    stopped.await();
  }
}
