package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.transforms.config.AwsCredentialsSpec;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Hadoop S3A settings ({@code fs.s3a.*}) that point Spark's {@code s3a://} paths at the same S3 as
 * a {@link SageMakerClientConfiguration}: the {@code sagemaker} data source and any Spark read or
 * write beside the SageMaker stages then see the objects training jobs read and write.
 *
 * <p>S3A needs {@code org.apache.hadoop:hadoop-aws} of the Hadoop version Spark was built with
 * (3.3.4 for Spark 3.5.x) on the classpath; this library does not bring it. Against SageMaker Local
 * the settings name its S3 endpoint over plain HTTP with path-style addressing, its region and its
 * key pair; against AWS only the region, and S3A's own credential chain.
 *
 * <p>{@link #apply} writes into the running session's Hadoop configuration, which Spark does not
 * show in its UI or event log. Secrets are never logged; prefer {@link #apply} over passing {@link
 * #of}'s map as {@code spark.hadoop.*} Spark properties, which Spark does display.
 */
public final class S3ASettings {
  private static final Logger LOG = LoggerFactory.getLogger(S3ASettings.class);

  private S3ASettings() {}

  /** The {@code fs.s3a.*} settings for {@code config}'s S3, in the order they are applied. */
  public static Map<String, String> of(SageMakerClientConfiguration config) {
    Map<String, String> s = new LinkedHashMap<>();
    String region = SageMakerClients.resolveRegion(config);
    s.put("fs.s3a.endpoint.region", region);
    if (config.s3Endpoint() != null) {
      s.put("fs.s3a.endpoint", config.s3Endpoint().toString());
      s.put(
          "fs.s3a.connection.ssl.enabled",
          String.valueOf("https".equals(config.s3Endpoint().getScheme())));
      // S3A deletes the "dir/" markers above every file it writes unless told to keep them;
      // SageMaker Local's file-system store holds a marker as the directory of its children and
      // retries such a delete for a long time. Keeping markers (Hadoop 3.3.1+) avoids those
      // deletes.
      s.put("fs.s3a.directory.marker.retention", "keep");
    }
    s.put("fs.s3a.path.style.access", String.valueOf(config.s3PathStyleAccess()));
    AwsCredentialsSpec credentials = config.credentials();
    if (credentials.kind() != AwsCredentialsSpec.Kind.DEFAULT_CHAIN) {
      // static keys (SageMaker Local's pair) and a named profile, resolved here into keys: S3A
      // cannot name a profile
      AwsCredentials keys = credentials.resolve().resolveCredentials();
      s.put("fs.s3a.access.key", keys.accessKeyId());
      s.put("fs.s3a.secret.key", keys.secretAccessKey());
      if (keys instanceof AwsSessionCredentials) {
        s.put("fs.s3a.session.token", ((AwsSessionCredentials) keys).sessionToken());
        s.put(
            "fs.s3a.aws.credentials.provider",
            "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider");
      } else {
        s.put(
            "fs.s3a.aws.credentials.provider",
            "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
      }
    }
    return s;
  }

  /**
   * Applies {@link #of} to {@code spark}'s Hadoop configuration, so {@code s3a://} paths read and
   * write through {@code config}'s S3 from then on (file systems already cached for a bucket keep
   * their settings until {@code FileSystem.closeAll()}).
   *
   * @throws IllegalStateException if hadoop-aws is not on the classpath, naming the artifact to add
   */
  public static void apply(SparkSession spark, SageMakerClientConfiguration config) {
    try {
      Class.forName(
          "org.apache.hadoop.fs.s3a.S3AFileSystem", false, S3ASettings.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "s3a:// needs org.apache.hadoop:hadoop-aws of Spark's Hadoop version ("
              + org.apache.hadoop.util.VersionInfo.getVersion()
              + ") on the classpath; add it as a dependency"
              + " or with --packages org.apache.hadoop:hadoop-aws:"
              + org.apache.hadoop.util.VersionInfo.getVersion(),
          e);
    }
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    of(config).forEach(hadoop::set);
    LOG.info(
        "s3a:// now goes to {} (region {}, path-style {}, credentials {})",
        config.s3Endpoint() == null ? "AWS S3" : config.s3Endpoint(),
        SageMakerClients.resolveRegion(config),
        config.s3PathStyleAccess(),
        config.credentials());
  }
}
