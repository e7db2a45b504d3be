package dev.sagemakerbeam.sdk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.sdk.deserializers.KMeansProtobufResponseRowDeserializer;
import dev.sagemakerbeam.sdk.serializers.ProtobufRequestRowSerializer;
import dev.sagemakerbeam.transforms.config.AwsCredentialsSpec;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * What a new user gets wrong, against a real SageMaker Local: each mistake fails at once, on the
 * driver, with a message that names the value and the fix. And a fit() on Local waits no longer
 * than its work needs.
 */
class UserMistakesTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final Logger LOG = LoggerFactory.getLogger(UserMistakesTest.class);
  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";

  private static SageMakerLocal local;
  private static SageMakerClientConfiguration config;
  private static SparkSession spark;
  private static Dataset<Row> data;

  @BeforeAll
  static void start() throws Exception {
    local = LOCAL.local();
    config = LOCAL.config();
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("UserMistakesTest")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      double center = i % 2 == 0 ? 0 : 10;
      rows.add(
          RowFactory.create(
              (double) (i % 2),
              Vectors.dense(center + random.nextGaussian(), center + random.nextGaussian())));
    }
    data =
        spark
            .createDataFrame(
                rows,
                new StructType()
                    .add("label", DataTypes.DoubleType)
                    .add("features", SQLDataTypes.VectorType()))
            .repartition(2)
            .cache();
    data.count(); // Spark's first job (code generation, executors) is not fit()'s cost
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static SageMakerEstimatorOptions.Builder options() {
    return SageMakerEstimatorOptions.builder().clientConfiguration(config).roleArn(ROLE);
  }

  /** The test's SageMaker Local, with credentials from a profile that does not exist. */
  private static SageMakerClientConfiguration noCredentials() {
    return config.toBuilder()
        .credentials(AwsCredentialsSpec.profile("sagemaker-beam-test-no-such-profile"))
        .build();
  }

  @Test
  void aStagingBucketThatDoesNotExistIsNamedWithTheFix() {
    KMeansSageMakerEstimator kmeans =
        new KMeansSageMakerEstimator(
                options()
                    .trainingInputS3DataPath(new S3DataPath("no-such-staging-bucket", "staging"))
                    .build())
            .setK(2)
            .setFeatureDim(2);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> kmeans.fit(data));
    assertThat(
        e.getMessage(),
        containsString(
            "The S3 bucket 'no-such-staging-bucket' of trainingInputS3DataPath"
                + " s3://no-such-staging-bucket/staging does not exist"));
    assertThat(e.getMessage(), containsString("aws s3 mb s3://no-such-staging-bucket"));
    assertThat(e.getMessage(), containsString("S3AutoCreatePath"));
  }

  @Test
  void noCredentialsSaysHowToTargetSageMakerLocalOrAws() {
    KMeansSageMakerEstimator kmeans =
        new KMeansSageMakerEstimator(options().clientConfiguration(noCredentials()).build())
            .setK(2)
            .setFeatureDim(2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> kmeans.fit(data));
    assertThat(e.getMessage(), containsString("No AWS credentials from profile"));
    assertThat(
        e.getMessage(),
        containsString("To run on SageMaker Local, pass SageMakerClientConfiguration.forLocal"));
  }

  /**
   * A model whose credentials cannot be found (a loaded PipelineModel's on a machine without them,
   * since static keys are never saved) fails transform on the driver with the fix named, before any
   * SageMaker call, instead of with the SDK's list of providers that found none.
   */
  @Test
  void aModelWithoutCredentialsFailsTransformWithTheFixNamed() {
    SageMakerModel model =
        SageMakerModel.fromModelS3Path(
            "s3://no-such-bucket/model.tar.gz",
            "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1",
            options()
                .clientConfiguration(noCredentials())
                .requestRowSerializer(new ProtobufRequestRowSerializer())
                .responseRowDeserializer(new KMeansProtobufResponseRowDeserializer())
                .endpointCreationPolicy(EndpointCreationPolicy.CREATE_ON_TRANSFORM)
                .build());
    for (Runnable call :
        List.<Runnable>of(() -> model.transform(data), () -> model.batchTransform(data))) {
      IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
      assertThat(e.getMessage(), containsString("No AWS credentials from profile"));
      assertThat(e.getMessage(), containsString("SageMakerStages.useClientConfiguration"));
    }
    assertThat(model.getEndpointName(), is(nullValue()));
  }

  @Test
  void settersRefuseABadValueWhenCalled() {
    KMeansSageMakerEstimator kmeans = new KMeansSageMakerEstimator(options().build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kmeans.setK(1));
    assertThat(
        e.getMessage(),
        is("K-Means hyperparameter k = 1 is invalid: it must be an integer of at least 2"));
    e = assertThrows(IllegalArgumentException.class, () -> kmeans.setFeatureDim(0));
    assertThat(e.getMessage(), containsString("feature_dim = 0"));
  }

  /**
   * The role from {@code spark.conf().set(...)} after the session started (which the context's
   * SparkConf never sees), and a fit() with the default 5 s poll interval that does not wait out
   * whole intervals: SageMaker Local trains this in a fraction of a second.
   */
  @Test
  void roleSetAtRunTimeIsUsedAndFitOnLocalDoesNotWaitOutPollIntervals() {
    String runtimeRole = "arn:aws:iam::000000000000:role/SetAtRunTime";
    spark.conf().set(IAMRoleFromConfig.DEFAULT_KEY, runtimeRole);
    SageMakerModel model = null;
    try {
      SageMakerEstimatorOptions defaults =
          SageMakerEstimatorOptions.builder().clientConfiguration(config).build();
      assertThat(defaults.pollInterval(), is(Duration.ofSeconds(5)));
      KMeansSageMakerEstimator kmeans =
          new KMeansSageMakerEstimator(defaults).setK(2).setFeatureDim(2);
      long start = System.nanoTime();
      model = kmeans.fit(data);
      long millis = (System.nanoTime() - start) / 1_000_000;
      LOG.info(
          "fit() on SageMaker Local (stage, train, delete staged data, host) took {} ms with poll interval {}",
          millis,
          defaults.pollInterval());
      try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
        String jobName = model.getTrainingJobName();
        assertThat(
            client.describeTrainingJob(r -> r.trainingJobName(jobName)).roleArn(), is(runtimeRole));
      }
      // with fixed 5 s polling, training alone waited one whole interval and hosting another
      assertThat(millis, lessThan(5_000L));
    } finally {
      spark.conf().unset(IAMRoleFromConfig.DEFAULT_KEY);
      if (model != null) {
        try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
          new SageMakerResourceCleanup(client).deleteResources(model.getCreatedResources());
        }
      }
    }
  }
}
