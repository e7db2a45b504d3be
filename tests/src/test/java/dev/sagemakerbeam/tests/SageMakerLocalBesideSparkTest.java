package dev.sagemakerbeam.tests;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.sagemakerbeam.local.SageMakerLocal;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SageMaker Local (S3Proxy, jclouds: Jakarta EE 9+ APIs) and Spark (Jersey 2: javax-era APIs of the
 * same Maven coordinates) in one JVM, the Spark UI on: both start and work.
 */
class SageMakerLocalBesideSparkTest {
  @TempDir Path dataDir;

  @Test
  void sageMakerLocalAndSparkWithItsUiRunTogether() throws Exception {
    JavaSparkContext spark =
        new JavaSparkContext(
            new SparkConf()
                .setMaster("local[1]")
                .setAppName("SageMakerLocalBesideSparkTest")
                .set("spark.ui.enabled", "true")
                .set("spark.ui.port", "0"));
    try (SageMakerLocal local = SageMakerLocal.builder().dataDirectory(dataDir).build();
        S3Client s3 =
            S3Client.builder()
                .endpointOverride(local.s3Endpoint())
                .region(Region.of(local.region()))
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(
                            local.credentials().accessKeyId(),
                            local.credentials().secretAccessKey())))
                .forcePathStyle(true)
                .build()) {
      s3.createBucket(r -> r.bucket("beside-spark"));
      s3.putObject(r -> r.bucket("beside-spark").key("k"), RequestBody.fromString("v"));
      assertThat(
          s3.getObjectAsBytes(r -> r.bucket("beside-spark").key("k")).asUtf8String(), is("v"));
      assertThat(spark.sc().uiWebUrl().isDefined(), is(true));
      assertThat(spark.parallelize(List.of(1, 2, 3)).count(), is(3L));
    } finally {
      spark.stop();
    }
  }
}
