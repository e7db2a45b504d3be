package dev.sagemakerbeam.examples;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * Lets a {@code local-cluster[...]} master started from a plain classpath (an IDE, {@code mvn
 * exec:java}, a test) launch its executors without a Spark distribution. Spark's Workers launch
 * executors only with a {@code SPARK_HOME} holding a {@code jars/} directory (empty will do) and
 * the Scala version set; the executors get this JVM's classpath, every entry made absolute, and its
 * Java 17 flags. The examples' {@code --master local-cluster[...]} and the cluster tests start
 * their clusters through it.
 */
public final class LocalClusterExecutors {
  private LocalClusterExecutors() {}

  /**
   * Sets the executors' environment, classpath and Java flags on {@code builder}, creating {@code
   * sparkHome/jars} if it does not exist.
   *
   * @param moreJavaOptions further executor JVM flags (profiling, for example), or empty
   */
  public static SparkSession.Builder configure(
      SparkSession.Builder builder, Path sparkHome, String moreJavaOptions) throws IOException {
    Files.createDirectories(sparkHome.resolve("jars"));
    String javaFlags =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect"))
            .collect(Collectors.joining(" "));
    if (!moreJavaOptions.isBlank()) {
      javaFlags = javaFlags + " " + moreJavaOptions;
    }
    return builder
        .config("spark.executorEnv.SPARK_HOME", sparkHome.toString())
        .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.12")
        .config("spark.executor.extraClassPath", absoluteClassPath())
        .config("spark.executor.extraJavaOptions", javaFlags);
  }

  /**
   * This JVM's class path with every entry made absolute: executors start in their Worker's
   * directory, where a relative entry ({@code java -cp target/classes:...}) names nothing.
   */
  static String absoluteClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }
}
