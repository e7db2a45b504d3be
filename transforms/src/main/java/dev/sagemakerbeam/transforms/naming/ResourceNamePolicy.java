package dev.sagemakerbeam.transforms.naming;

import java.io.Serializable;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The one naming policy for the SageMaker resources this library creates: training jobs, models,
 * endpoint configs and endpoints. A name is {@code <prefix>-<kind>-<yyMMdd-HHmmss>-<5 random
 * base-36 chars>}, at most 63 characters and matching SageMaker's {@code
 * ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$}. The prefix is cut (never the unique suffix) when the whole would
 * be too long.
 *
 * <p>The resources of one run share a suffix ({@link #next()}), so a model, its config and its
 * endpoint are easy to find together.
 */
public final class ResourceNamePolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  /** SageMaker's limit on resource names. */
  public static final int MAX_NAME_LENGTH = 63;

  /** SageMaker's pattern for resource names. */
  public static final Pattern NAME_PATTERN = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9])*$");

  public static final String DEFAULT_PREFIX = "sagemaker-beam";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final int RANDOM_CHARS = 5;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The kinds of resource named, with the short word that goes in the name. */
  public enum Kind {
    TRAINING_JOB("train"),
    TRANSFORM_JOB("transform"),
    TUNING_JOB("tune"),
    MODEL("model"),
    ENDPOINT_CONFIG("config"),
    ENDPOINT("endpoint");

    private final String word;

    Kind(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  private final String prefix;
  private final transient Clock clock;

  private ResourceNamePolicy(String prefix, Clock clock) {
    this.prefix = prefix;
    this.clock = clock;
  }

  /** The policy with prefix {@value #DEFAULT_PREFIX}. */
  public static ResourceNamePolicy withDefaultPrefix() {
    return withPrefix(DEFAULT_PREFIX);
  }

  /**
   * A policy naming resources {@code <prefix>-<kind>-<unique>}. The prefix must itself be a valid
   * SageMaker name (letters, digits, inner hyphens).
   */
  public static ResourceNamePolicy withPrefix(String prefix) {
    return new ResourceNamePolicy(checkPrefix(prefix), null);
  }

  /** For tests: a policy reading time from {@code clock}. */
  static ResourceNamePolicy withPrefix(String prefix, Clock clock) {
    return new ResourceNamePolicy(checkPrefix(prefix), clock);
  }

  public String prefix() {
    return prefix;
  }

  /** A fresh unique name for one resource. */
  public String newName(Kind kind) {
    return compose(kind, uniqueSuffix());
  }

  /** Names for one training + hosting run: all four kinds with one shared unique suffix. */
  public ResourceNames next() {
    String suffix = uniqueSuffix();
    return new ResourceNames(
        compose(Kind.TRAINING_JOB, suffix),
        compose(Kind.MODEL, suffix),
        compose(Kind.ENDPOINT_CONFIG, suffix),
        compose(Kind.ENDPOINT, suffix));
  }

  /**
   * Checks a name given by a user (for example an existing endpoint to attach to).
   *
   * @throws IllegalArgumentException naming the value and the rule it breaks
   */
  public static String checkName(String what, String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          what
              + " '"
              + name
              + "' has "
              + name.length()
              + " characters; SageMaker allows at most "
              + MAX_NAME_LENGTH);
    }
    if (!NAME_PATTERN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what
              + " '"
              + name
              + "' does not match SageMaker's name pattern "
              + NAME_PATTERN.pattern()
              + ": use letters, digits and hyphens, starting and ending with a letter or digit");
    }
    return name;
  }

  /** SageMaker's limit on hyperparameter tuning job names, far below the other resources'. */
  public static final int MAX_TUNING_JOB_NAME_LENGTH = 32;

  /**
   * A tuning job name, {@code <prefix>-tune-<base-36 seconds><4 random>}, within SageMaker's 32
   * characters (the prefix is cut to fit), so that the training jobs SageMaker names after it
   * ({@code <name>-001-1a2b3c4d}) stay valid too.
   */
  public String newTuningJobName() {
    Instant now = (clock == null ? Clock.systemUTC() : clock).instant();
    StringBuilder suffix = new StringBuilder(Long.toString(now.getEpochSecond(), 36));
    for (int i = 0; i < 4; i++) {
      suffix.append(BASE36[RANDOM.nextInt(BASE36.length)]);
    }
    return compose(Kind.TUNING_JOB, suffix.toString(), MAX_TUNING_JOB_NAME_LENGTH);
  }

  private String compose(Kind kind, String suffix) {
    return compose(kind, suffix, MAX_NAME_LENGTH);
  }

  private String compose(Kind kind, String suffix, int maxLength) {
    int room = maxLength - (1 + kind.word().length() + 1 + suffix.length());
    String p = prefix.length() <= room ? prefix : trimTrailingHyphens(prefix.substring(0, room));
    return p + "-" + kind.word() + "-" + suffix;
  }

  private String uniqueSuffix() {
    StringBuilder sb =
        new StringBuilder(STAMP.format((clock == null ? Clock.systemUTC() : clock).instant()));
    sb.append('-');
    for (int i = 0; i < RANDOM_CHARS; i++) {
      sb.append(BASE36[RANDOM.nextInt(BASE36.length)]);
    }
    return sb.toString();
  }

  private static String trimTrailingHyphens(String s) {
    int end = s.length();
    while (end > 1 && s.charAt(end - 1) == '-') {
      end--;
    }
    return s.substring(0, end);
  }

  private static String checkPrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException(
          "name prefix must not be empty; use ResourceNamePolicy.withDefaultPrefix() for '"
              + DEFAULT_PREFIX
              + "'");
    }
    if (!NAME_PATTERN.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "name prefix '"
              + prefix
              + "' does not match SageMaker's name pattern "
              + NAME_PATTERN.pattern()
              + ": use letters, digits and inner hyphens");
    }
    return prefix;
  }

  @Override
  public String toString() {
    return "ResourceNamePolicy(prefix=" + prefix + ")";
  }

  /** The names of one run's resources. */
  public static final class ResourceNames implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String trainingJob;
    private final String model;
    private final String endpointConfig;
    private final String endpoint;

    ResourceNames(String trainingJob, String model, String endpointConfig, String endpoint) {
      this.trainingJob = trainingJob;
      this.model = model;
      this.endpointConfig = endpointConfig;
      this.endpoint = endpoint;
    }

    public String trainingJob() {
      return trainingJob;
    }

    public String model() {
      return model;
    }

    public String endpointConfig() {
      return endpointConfig;
    }

    public String endpoint() {
      return endpoint;
    }

    @Override
    public String toString() {
      return "ResourceNames("
          + trainingJob
          + ", "
          + model
          + ", "
          + endpointConfig
          + ", "
          + endpoint
          + ")";
    }
  }
}
