package dev.sagemakerbeam.local.faults;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time added to an invocation before the model answers: none, fixed, uniform between two bounds, or
 * log-normal around a median (the long right tail of real model latency). Written and parsed as
 * {@code 0ms}, {@code 25ms}, {@code 20..80ms}, {@code lognormal(50ms,0.5)} (median, sigma of the
 * underlying normal); units {@code us}, {@code ms}, {@code s}.
 */
public final class Latency {
  private static final Pattern AMOUNT = Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s)");
  private static final Pattern UNIFORM =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s)?\\.\\.(\\d+(?:\\.\\d+)?)(us|ms|s)");
  private static final Pattern LOG_NORMAL =
      Pattern.compile("lognormal\\((\\d+(?:\\.\\d+)?(?:us|ms|s)),\\s*(\\d+(?:\\.\\d+)?)\\)");

  /** No added time. */
  public static final Latency NONE = new Latency(Kind.FIXED, 0, 0, 0);

  private enum Kind {
    FIXED,
    UNIFORM,
    LOG_NORMAL
  }

  private final Kind kind;
  private final long aNanos;
  private final long bNanos;
  private final double sigma;

  private Latency(Kind kind, long aNanos, long bNanos, double sigma) {
    this.kind = kind;
    this.aNanos = aNanos;
    this.bNanos = bNanos;
    this.sigma = sigma;
  }

  /** Always {@code delay}. */
  public static Latency fixed(Duration delay) {
    long nanos = checkNonNegative("delay", delay);
    return nanos == 0 ? NONE : new Latency(Kind.FIXED, nanos, nanos, 0);
  }

  /** Uniform between {@code min} and {@code max} (inclusive of min). */
  public static Latency uniform(Duration min, Duration max) {
    long a = checkNonNegative("min", min);
    long b = checkNonNegative("max", max);
    if (b < a) {
      throw new IllegalArgumentException(
          "latency max " + max + " is less than min " + min + ": write min..max");
    }
    return a == b ? fixed(min) : new Latency(Kind.UNIFORM, a, b, 0);
  }

  /**
   * Log-normal: {@code median * exp(sigma * Z)} with Z standard normal, so half the requests take
   * less than {@code median} and a few take several times more.
   */
  public static Latency logNormal(Duration median, double sigma) {
    long m = checkNonNegative("median", median);
    if (!(sigma >= 0) || sigma > 5) {
      throw new IllegalArgumentException("lognormal sigma must be between 0 and 5, got " + sigma);
    }
    return sigma == 0 || m == 0 ? fixed(median) : new Latency(Kind.LOG_NORMAL, m, m, sigma);
  }

  /** Parses {@code 25ms}, {@code 20..80ms}, {@code 20ms..1s} or {@code lognormal(50ms,0.5)}. */
  public static Latency parse(String text) {
    String t = Objects.requireNonNull(text, "latency").trim().toLowerCase(Locale.ROOT);
    Matcher m = AMOUNT.matcher(t);
    if (m.matches()) {
      return fixed(duration(m.group(1), m.group(2)));
    }
    m = UNIFORM.matcher(t);
    if (m.matches()) {
      String minUnit = m.group(2) != null ? m.group(2) : m.group(4);
      return uniform(duration(m.group(1), minUnit), duration(m.group(3), m.group(4)));
    }
    m = LOG_NORMAL.matcher(t);
    if (m.matches()) {
      return logNormal(parseDuration(m.group(1)), Double.parseDouble(m.group(2)));
    }
    throw new IllegalArgumentException(
        "latency '"
            + text
            + "' is not one of 25ms, 20..80ms or lognormal(50ms,0.5) (units us, ms, s)");
  }

  private static Duration parseDuration(String text) {
    Matcher m = AMOUNT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration such as 50ms");
    }
    return duration(m.group(1), m.group(2));
  }

  private static Duration duration(String amount, String unit) {
    double value = Double.parseDouble(amount);
    double nanos =
        switch (unit) {
          case "us" -> value * 1e3;
          case "ms" -> value * 1e6;
          default -> value * 1e9;
        };
    if (nanos > 600e9) {
      throw new IllegalArgumentException(
          "latency " + amount + unit + " is over 600 s; SageMaker gives a model 60 s");
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  private static long checkNonNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException("latency " + name + " " + d + " is negative");
    }
    if (d.compareTo(Duration.ofSeconds(600)) > 0) {
      throw new IllegalArgumentException(
          "latency " + name + " " + d + " is over 600 s; SageMaker gives a model 60 s");
    }
    return d.toNanos();
  }

  /** Whether this adds nothing. */
  public boolean isNone() {
    return kind == Kind.FIXED && aNanos == 0;
  }

  /** One draw, in nanoseconds, from {@code random}. */
  long sampleNanos(SplittableRandom random) {
    return switch (kind) {
      case FIXED -> aNanos;
      case UNIFORM -> aNanos + (long) (random.nextDouble() * (bNanos - aNanos));
      case LOG_NORMAL -> {
        // Box-Muller: one standard normal from two uniforms.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        yield Math.min(600_000_000_000L, Math.round(aNanos * Math.exp(sigma * z)));
      }
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case FIXED -> format(aNanos);
      case UNIFORM -> format(aNanos) + ".." + format(bNanos);
      case LOG_NORMAL -> "lognormal(" + format(aNanos) + "," + sigma + ")";
    };
  }

  private static String format(long nanos) {
    if (nanos % 1_000_000 == 0) {
      return nanos / 1_000_000 + "ms";
    }
    return (nanos / 1_000) + "us";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Latency l
        && l.kind == kind
        && l.aNanos == aNanos
        && l.bNanos == bNanos
        && l.sigma == sigma;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, aNanos, bNanos, sigma);
  }
}
