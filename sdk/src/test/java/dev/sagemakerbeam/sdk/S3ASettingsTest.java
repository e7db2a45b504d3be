package dev.sagemakerbeam.sdk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** s3a:// through Hadoop S3A (hadoop-aws 3.3.4, Spark's Hadoop) on SageMaker Local's S3. */
class S3ASettingsTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String BUCKET = "s3a-test-bucket";

  private static SageMakerLocal local;
  private static SageMakerClientConfiguration config;
  private static SparkSession spark;

  @BeforeAll
  static void start() throws Exception {
    local = LOCAL.local();
    config = LOCAL.config();
    try (S3Client s3 = SageMakerClients.s3(config)) {
      s3.createBucket(r -> r.bucket(BUCKET));
    }
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("S3ASettingsTest")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    S3ASettings.apply(spark, config);
  }

  @AfterAll
  static void stop() throws Exception {
    if (spark != null) {
      org.apache.hadoop.fs.FileSystem.closeAll();
      spark.stop();
    }
  }

  @Test
  void settingsForSageMakerLocal() {
    Map<String, String> s = S3ASettings.of(config);
    assertThat(s.get("fs.s3a.endpoint"), is(local.s3Endpoint().toString()));
    assertThat(s.get("fs.s3a.path.style.access"), is("true"));
    assertThat(s.get("fs.s3a.connection.ssl.enabled"), is("false"));
    assertThat(s.get("fs.s3a.endpoint.region"), is(local.region()));
    assertThat(
        s.get("fs.s3a.aws.credentials.provider"),
        is("org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"));
    assertThat(s.get("fs.s3a.directory.marker.retention"), is("keep"));
    Map<String, String> aws = S3ASettings.of(SageMakerClientConfiguration.forRegion("eu-west-1"));
    assertThat(
        aws.keySet(), containsInAnyOrder("fs.s3a.endpoint.region", "fs.s3a.path.style.access"));
  }

  @Test
  void theSageMakerDataSourceAndParquetWriteAndReadS3a() throws Exception {
    List<Row> rows =
        List.of(
            RowFactory.create(1.0, Vectors.dense(1, 2, 3)),
            RowFactory.create(0.0, Vectors.sparse(3, new int[] {1}, new double[] {5})));
    Dataset<Row> df =
        spark.createDataFrame(
            rows,
            new StructType()
                .add("label", DataTypes.DoubleType)
                .add("features", SQLDataTypes.VectorType()));

    df.write().format("sagemaker").mode(SaveMode.Overwrite).save("s3a://" + BUCKET + "/records/");
    List<Row> back =
        spark.read().format("sagemaker").load("s3a://" + BUCKET + "/records/").collectAsList();
    assertThat(
        back.stream().map(r -> r.getDouble(0) + ":" + r.get(1)).collect(Collectors.toList()),
        containsInAnyOrder("1.0:[1.0,2.0,3.0]", "0.0:(3,[1],[5.0])"));

    // what S3A wrote is what a training job reads: RecordIO-protobuf objects under the prefix
    try (S3Client s3 = SageMakerClients.s3(config)) {
      List<String> keys =
          s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("records/")).contents().stream()
              .map(S3Object::key)
              .collect(Collectors.toList());
      String part = keys.stream().filter(k -> k.contains("part-")).findFirst().orElseThrow();
      byte[] bytes = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(part)).asByteArray();
      assertThat(bytes.length > 8, is(true));
      assertThat(keys, hasItem("records/_SUCCESS"));
    }

    df.write().mode(SaveMode.Overwrite).parquet("s3a://" + BUCKET + "/parquet/");
    assertThat(spark.read().parquet("s3a://" + BUCKET + "/parquet/").count(), is(2L));
  }
}
