package dev.sagemakerbeam.transforms.training;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.io.testing.MnistSample;
import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.transforms.algorithms.KMeansHyperparameters;
import dev.sagemakerbeam.transforms.algorithms.PcaHyperparameters;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.DeployEndpoint;
import dev.sagemakerbeam.transforms.hosting.HostedEndpoint;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.inference.InvokeEndpoint;
import dev.sagemakerbeam.transforms.inference.PredictedElement;
import dev.sagemakerbeam.transforms.naming.ResourceNamePolicy;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.PcaPrediction;
import dev.sagemakerbeam.transforms.serde.PcaProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import dev.sagemakerbeam.transforms.testing.SageMakerLocalExtension;
import dev.sagemakerbeam.transforms.testing.ShippedOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobSummary;

/**
 * SageMakerTrain, DeployEndpoint and InvokeEndpoint in Beam pipelines (Direct runner) on SageMaker
 * Local.
 */
class SageMakerTrainPipelineTest {
  @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();

  private static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";

  private static SageMakerLocal local;
  private static SageMakerClientConfiguration config;
  private static SageMakerClient sageMaker;
  private static S3Client s3;
  private static List<LabeledExample> mnistTrain;
  private static List<LabeledExample> mnistTest;

  @BeforeAll
  static void start() throws Exception {
    local = LOCAL.local();
    config = LOCAL.config();
    sageMaker = SageMakerClients.sageMaker(config);
    s3 = SageMakerClients.s3(config);
    mnistTrain = labelled(MnistSample.train());
    mnistTest = labelled(MnistSample.test());
  }

  @AfterAll
  static void stop() throws Exception {
    sageMaker.close();
    s3.close();
  }

  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
  }

  private static SageMakerTrain kmeans(int k, int featureDim) {
    return SageMakerTrain.kmeans(
            new KMeansHyperparameters().k(k).featureDim(featureDim).miniBatchSize(500))
        .withClientConfiguration(config)
        .withRole(ROLE)
        .withInstanceType("ml.m5.large")
        .withTimeout(Duration.ofMinutes(3), Duration.ofMillis(200));
  }

  private static DeployEndpoint deploy() {
    return DeployEndpoint.create(config)
        .withRole(ROLE)
        .withInstances("ml.m5.large", 1)
        .withTimeout(Duration.ofMinutes(1), Duration.ofMillis(200));
  }

  @Test
  void stagingLeavesThePipelineOptionsAloneAndWritesEveryRowOnce() throws Exception {
    Pipeline p = pipeline();
    List<LabeledExample> rows = mnistTrain.subList(0, 300);
    p.apply(Create.of(rows)).apply(kmeans(3, 784).withNumShards(3));
    String secret = config.credentials().resolve().resolveCredentials().secretAccessKey();
    String accessKey = config.credentials().resolve().resolveCredentials().accessKeyId();
    assertThat(ShippedOptions.of(p.getOptions()), not(containsString(secret)));
    p.run().waitUntilFinish();

    // the options a runner ships to workers hold no credential, and Beam's S3 file system is as
    // the user left it (not pointed at SageMaker Local)
    String shipped = ShippedOptions.of(p.getOptions());
    assertThat(shipped, not(containsString(secret)));
    assertThat(shipped, not(containsString(accessKey)));
    S3Options s3Options = p.getOptions().as(S3Options.class);
    assertThat(s3Options.getEndpoint(), nullValue());
    assertThat(
        s3Options.getAwsCredentialsProvider().getClass().getSimpleName(),
        equalTo("DefaultCredentialsProvider"));

    // three objects named by shard, every row in exactly one of them
    String job = latestTrainingJob();
    String train = "sagemaker-beam/" + job + "/train/";
    List<String> staged = keys(train);
    assertThat(
        staged,
        org.hamcrest.Matchers.contains(
            train + "part-00000.pbr", train + "part-00001.pbr", train + "part-00002.pbr"));
    int records = 0;
    for (String key : staged) {
      try (dev.sagemakerbeam.io.RecordIoReader reader =
          new dev.sagemakerbeam.io.RecordIoReader(s3.getObject(r -> r.bucket(bucket()).key(key)))) {
        while (reader.next()) {
          records++;
        }
      }
    }
    assertThat(records, is(rows.size()));
  }

  private static String latestTrainingJob() {
    return sageMaker
        .listTrainingJobs(r -> r.sortBy("CreationTime").sortOrder("Descending"))
        .trainingJobSummaries()
        .get(0)
        .trainingJobName();
  }

  @Test
  void trainsKMeansOnMnistHostsItAndScoresTheTestDigits() {
    Pipeline p = pipeline();
    DeployEndpoint deploy = deploy();
    PCollection<TrainedModel> model =
        p.apply("TrainData", Create.of(mnistTrain))
            .apply("Train", kmeans(10, 784).withDeleteStagingData(true).withNumShards(2));
    PCollection<HostedEndpoint> hosted = model.apply("Host", deploy);
    InvokeEndpoint.Result<LabeledExample, KMeansPrediction> scored =
        p.apply("TestData", Create.of(mnistTest))
            .apply("AfterHosting", Wait.on(hosted))
            .apply(
                "Score",
                InvokeEndpoint.create(
                        deploy.endpointName(),
                        RecordIoProtobufRequestSerializer.of(LabeledExample::features),
                        new KMeansProtobufResponseDeserializer())
                    .withClientConfiguration(config));

    PAssert.that(scored.failures()).empty();
    PAssert.that(scored.successes())
        .satisfies(
            results -> {
              List<PredictedElement<LabeledExample, KMeansPrediction>> all =
                  StreamSupport.stream(results.spliterator(), false).collect(Collectors.toList());
              assertThat(all, hasSize(mnistTest.size()));
              int[] clusters = new int[all.size()];
              int[] digits = new int[all.size()];
              double distance = 0;
              for (int i = 0; i < all.size(); i++) {
                clusters[i] = (int) all.get(i).prediction().closestCluster();
                digits[i] = (int) all.get(i).input().labelValue();
                distance += all.get(i).prediction().distanceToCluster();
              }
              // MLlib: 0.573; the random initialisation and the shard order move it by a few points
              assertThat(MnistSample.purity(clusters, digits), greaterThanOrEqualTo(0.52));
              assertThat(
                  distance / all.size(),
                  closeTo(1593, 300)); // the reference scale of distance_to_cluster
              return null;
            });
    PAssert.that(hosted)
        .satisfies(
            endpoints -> {
              HostedEndpoint endpoint = endpoints.iterator().next();
              assertThat(endpoint.endpointName(), equalTo(deploy.endpointName()));
              assertThat(endpoint.createdResources(), equalTo(deploy.plannedResources()));
              return null;
            });
    p.run().waitUntilFinish();

    // the staged training data is gone, the model output is kept
    String trainingJob =
        sageMaker
            .listTrainingJobs(r -> r.sortBy("CreationTime").sortOrder("Descending"))
            .trainingJobSummaries()
            .get(0)
            .trainingJobName();
    List<String> keys = keys("sagemaker-beam/" + trainingJob + "/");
    assertThat(
        keys.stream()
            .filter(k -> k.contains("/train/") && !k.endsWith("/"))
            .collect(Collectors.toList()),
        empty());
    // the model at <staging>/<job>/output/model.tar.gz, the job's name once
    assertThat(
        keys,
        org.hamcrest.Matchers.hasItem("sagemaker-beam/" + trainingJob + "/output/model.tar.gz"));

    // attach: a second pipeline scores against the endpoint the first one created; one row with
    // the wrong feature count among them fails alone, with its own error (#17: the model's 400)
    Pipeline again = pipeline();
    List<LabeledExample> withBadRow = new ArrayList<>(mnistTest.subList(0, 20));
    withBadRow.add(7, LabeledExample.of(7, FeatureVector.dense(new double[] {1, 2, 3})));
    InvokeEndpoint.Result<LabeledExample, KMeansPrediction> attached =
        again
            .apply(Create.of(withBadRow))
            .apply(
                InvokeEndpoint.create(
                        deploy.endpointName(),
                        RecordIoProtobufRequestSerializer.of(LabeledExample::features),
                        new KMeansProtobufResponseDeserializer())
                    .withClientConfiguration(config));
    PAssert.that(attached.successes())
        .satisfies(
            r -> {
              assertThat(StreamSupport.stream(r.spliterator(), false).count(), is(20L));
              return null;
            });
    PAssert.that(attached.failures())
        .satisfies(
            r -> {
              List<String> messages = new ArrayList<>();
              r.forEach(f -> messages.add(f.failure().originalMessage()));
              assertThat(messages, hasSize(1));
              assertThat(messages.get(0), org.hamcrest.Matchers.containsString("has 3 features"));
              return null;
            });
    again.run().waitUntilFinish();

    // the same deployment run again (as a runner retrying the step would) attaches, creating
    // nothing
    Pipeline rerun = pipeline();
    PCollection<HostedEndpoint> rehosted = rerun.apply(deploy.fromTrainingJob(trainingJob));
    PAssert.thatSingleton(rehosted)
        .satisfies(
            h -> {
              assertThat(h.endpointName(), equalTo(deploy.endpointName()));
              return null;
            });
    rerun.run().waitUntilFinish();
    // the same deployment handed another model fails instead of reporting it hosted
    Pipeline second = pipeline();
    second
        .apply(
            Create.of(
                TrainedModel.of(
                    "other-job",
                    "s3://" + bucket() + "/other/model.tar.gz",
                    "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1",
                    java.util.Map.of())))
        .apply(deploy);
    Exception secondModel =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class, () -> second.run().waitUntilFinish());
    assertThat(
        secondModel.getMessage(),
        org.hamcrest.Matchers.containsString(
            "cannot host s3://"
                + bucket()
                + "/other/model.tar.gz as well: one DeployEndpoint hosts one model"));

    String suffix = deploy.endpointName().substring(deploy.endpointName().lastIndexOf('-') + 1);
    assertThat(sageMaker.listModels(r -> r.nameContains(suffix)).models(), hasSize(1));
    assertThat(
        sageMaker.listEndpointConfigs(r -> r.nameContains(suffix)).endpointConfigs(), hasSize(1));

    new SageMakerResourceCleanup(sageMaker).deleteResources(deploy.plannedResources());
    assertThat(sageMaker.listEndpoints(r -> r.nameContains(suffix)).endpoints(), empty());
    assertThat(
        sageMaker.listEndpointConfigs(r -> r.nameContains(suffix)).endpointConfigs(), empty());
    assertThat(sageMaker.listModels(r -> r.nameContains(suffix)).models(), empty());
  }

  @Test
  void trainsPcaFromATrainingJobAndProjectsTo50Components() {
    Pipeline p = pipeline();
    PCollection<TrainedModel> model =
        p.apply(Create.of(mnistTrain.subList(0, 2000)))
            .apply(
                SageMakerTrain.pca(
                        new PcaHyperparameters()
                            .numComponents(50)
                            .featureDim(784)
                            .miniBatchSize(500))
                    .withClientConfiguration(config)
                    .withRole(ROLE)
                    .withInstanceType("ml.m5.large")
                    .withTimeout(Duration.ofMinutes(3), Duration.ofMillis(200)));
    PAssert.thatSingleton(model)
        .satisfies(
            m -> {
              assertThat(m.modelArtifactUri(), endsWith("/output/model.tar.gz"));
              return null;
            });
    p.run().waitUntilFinish();
    String job =
        sageMaker
            .listTrainingJobs(
                r -> r.nameContains("train").sortBy("CreationTime").sortOrder("Descending"))
            .trainingJobSummaries()
            .get(0)
            .trainingJobName();

    // host the finished job's model by its name, then project
    Pipeline host = pipeline();
    DeployEndpoint deploy = deploy();
    PCollection<HostedEndpoint> hosted = host.apply(deploy.fromTrainingJob(job));
    InvokeEndpoint.Result<LabeledExample, PcaPrediction> projected =
        host.apply(Create.of(mnistTest.subList(0, 50)))
            .apply(Wait.on(hosted))
            .apply(
                InvokeEndpoint.create(
                        deploy.endpointName(),
                        RecordIoProtobufRequestSerializer.of(LabeledExample::features),
                        new PcaProtobufResponseDeserializer())
                    .withClientConfiguration(config));
    PAssert.that(projected.failures()).empty();
    PAssert.that(projected.successes())
        .satisfies(
            r -> {
              List<Integer> lengths = new ArrayList<>();
              r.forEach(e -> lengths.add(e.prediction().projection().length));
              assertThat(lengths, hasSize(50));
              assertThat(lengths, everyItem(is(50)));
              return null;
            });
    host.run().waitUntilFinish();
    new SageMakerResourceCleanup(sageMaker).deleteResources(deploy.plannedResources());
  }

  @Test
  void stagesGzipShardsWithAManifestAndKeepsThemWhenAsked() {
    Pipeline p = pipeline();
    PCollection<TrainedModel> model =
        p.apply(Create.of(clusters(300)))
            .apply(
                kmeans(3, 2)
                    .withGzipCompression()
                    .withManifestFile()
                    .withShardedByS3Key()
                    .withNumShards(3));
    PAssert.thatSingleton(model)
        .satisfies(
            m -> {
              assertThat(m.finalMetrics().containsKey("train:msd"), is(true));
              return null;
            });
    p.run().waitUntilFinish();
    String job =
        sageMaker
            .listTrainingJobs(r -> r.sortBy("CreationTime").sortOrder("Descending"))
            .trainingJobSummaries()
            .get(0)
            .trainingJobName();
    var described = sageMaker.describeTrainingJob(r -> r.trainingJobName(job));
    var source = described.inputDataConfig().get(0);
    assertThat(source.compressionTypeAsString(), is("Gzip"));
    assertThat(source.dataSource().s3DataSource().s3DataTypeAsString(), is("ManifestFile"));
    assertThat(source.dataSource().s3DataSource().s3Uri(), endsWith("/" + job + "/train.manifest"));
    List<String> staged =
        keys("sagemaker-beam/" + job + "/train/").stream()
            .filter(k -> !k.endsWith("/"))
            .collect(Collectors.toList());
    assertThat(staged, hasSize(3));
    assertThat(staged, everyItem(endsWith(".pbr.gz")));
    String manifest =
        s3.getObjectAsBytes(
                r -> r.bucket(bucket()).key("sagemaker-beam/" + job + "/train.manifest"))
            .asUtf8String();
    for (String key : staged) {
      assertThat(manifest, containsString("\"" + key.substring(key.lastIndexOf('/') + 1) + "\""));
    }
  }

  @Test
  void trainingFailuresSurfaceTheirReason() {
    Pipeline.PipelineExecutionException badHyperparameter =
        assertThrows(
            Pipeline.PipelineExecutionException.class,
            () ->
                runTraining(
                    clusters(60),
                    kmeans(3, 2).withHyperparameters(Map.of("init_method", "bogus"))));
    assertThat(
        causes(badHyperparameter), allOf(containsString("Failed"), containsString("init_method")));

    Pipeline.PipelineExecutionException badData =
        assertThrows(
            Pipeline.PipelineExecutionException.class,
            () -> runTraining(clusters(60), kmeans(3, 5)));
    assertThat(causes(badData), containsString("feature_dim"));

    Pipeline.PipelineExecutionException maxRuntime =
        assertThrows(
            Pipeline.PipelineExecutionException.class,
            () ->
                runTraining(
                    clusters(300),
                    kmeans(3, 2)
                        .withMaxRuntime(Duration.ofSeconds(1))
                        .withHyperparameters(Map.of("epochs", "1000000"))));
    assertThat(causes(maxRuntime), containsString("MaxRuntimeExceeded"));

    Pipeline.PipelineExecutionException empty =
        assertThrows(
            Pipeline.PipelineExecutionException.class, () -> runTraining(List.of(), kmeans(3, 2)));
    assertThat(causes(empty), containsString("the input PCollection is empty"));
  }

  /**
   * The job name is fixed when the transform is applied, so running the same pipeline again (as a
   * runner retrying the training step does) meets the job the first run created: CreateTrainingJob
   * answers ResourceInUse and the step follows that job instead of starting a second one.
   */
  @Test
  void rerunningTheTrainingStepFollowsTheJobItAlreadyCreated() {
    String prefix = "retried";
    Pipeline p = pipeline();
    PCollection<TrainedModel> model =
        p.apply(Create.of(clusters(90)))
            .apply(kmeans(3, 2).withNamePolicy(ResourceNamePolicy.withPrefix(prefix)));
    // both runs must output the model of the one job with this prefix
    PAssert.thatSingleton(model)
        .satisfies(
            m -> {
              var job = onlyTrainingJob(prefix);
              assertThat(m.trainingJobName(), equalTo(job.trainingJobName()));
              assertThat(m.modelArtifactUri(), equalTo(job.modelArtifacts().s3ModelArtifacts()));
              return null;
            });
    p.run().waitUntilFinish();
    var first = onlyTrainingJob(prefix);
    assertThat(first.trainingJobStatus(), is(TrainingJobStatus.COMPLETED));

    p.run().waitUntilFinish();
    var after = onlyTrainingJob(prefix);
    assertThat(after.trainingJobName(), equalTo(first.trainingJobName()));
    assertThat(after.creationTime(), equalTo(first.creationTime()));
    assertThat(
        after.modelArtifacts().s3ModelArtifacts(),
        equalTo(first.modelArtifacts().s3ModelArtifacts()));
  }

  /** A retried step whose job already Failed fails again with that job's FailureReason. */
  @Test
  void rerunningAFailedTrainingStepReportsTheExistingJobsFailure() {
    String prefix = "retried-failed";
    Pipeline p = pipeline();
    p.apply(Create.of(clusters(60)))
        .apply(
            kmeans(3, 2)
                .withHyperparameters(Map.of("init_method", "bogus"))
                .withNamePolicy(ResourceNamePolicy.withPrefix(prefix)));
    assertThrows(Pipeline.PipelineExecutionException.class, () -> p.run().waitUntilFinish());
    var first = onlyTrainingJob(prefix);
    assertThat(first.trainingJobStatus(), is(TrainingJobStatus.FAILED));
    assertThat(first.failureReason(), containsString("init_method"));

    Pipeline.PipelineExecutionException retried =
        assertThrows(Pipeline.PipelineExecutionException.class, () -> p.run().waitUntilFinish());
    assertThat(
        causes(retried),
        allOf(
            containsString(first.trainingJobName() + " ended Failed"),
            containsString(first.failureReason())));
    assertThat(onlyTrainingJob(prefix).creationTime(), equalTo(first.creationTime()));
  }

  @Test
  void missingSettingsFailWhenAppliedNamingTheFix() {
    Pipeline p = pipeline();
    PCollection<LabeledExample> examples = p.apply(Create.of(clusters(3)));
    IllegalStateException noConfig =
        assertThrows(
            IllegalStateException.class,
            () ->
                examples.apply(
                    "a", SageMakerTrain.kmeans(new KMeansHyperparameters().k(2).featureDim(2))));
    assertThat(noConfig.getMessage(), containsString("withClientConfiguration"));
    IllegalArgumentException noRole =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                examples.apply(
                    "b",
                    SageMakerTrain.kmeans(new KMeansHyperparameters().k(2).featureDim(2))
                        .withClientConfiguration(config)
                        .withInstanceType("ml.m5.large")));
    assertThat(noRole.getMessage(), containsString("roleArn"));
    IllegalArgumentException badStaging =
        assertThrows(
            IllegalArgumentException.class, () -> kmeans(2, 2).withStagingLocation("/tmp/x"));
    assertThat(badStaging.getMessage(), containsString("s3://bucket/prefix"));
  }

  private static void runTraining(List<LabeledExample> examples, SageMakerTrain train) {
    Pipeline p = pipeline();
    p.apply(Create.of(examples).withCoder(dev.sagemakerbeam.io.beam.LabeledExampleCoder.of()))
        .apply(train);
    p.run().waitUntilFinish();
  }

  private static String causes(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append(" | ");
    }
    return all.toString();
  }

  /**
   * The one training job named with {@code prefix}, described; fails if there is not exactly one.
   */
  private static DescribeTrainingJobResponse onlyTrainingJob(String prefix) {
    List<String> names =
        sageMaker
            .listTrainingJobsPaginator(r -> r.nameContains(prefix + "-train-"))
            .trainingJobSummaries()
            .stream()
            .map(TrainingJobSummary::trainingJobName)
            .collect(Collectors.toList());
    assertThat(names, hasSize(1));
    return sageMaker.describeTrainingJob(r -> r.trainingJobName(names.get(0)));
  }

  private static String bucket() {
    return SageMakerLocal.ACCOUNT_ID + "-sagemaker-" + local.region();
  }

  private static List<String> keys(String prefix) {
    return s3.listObjectsV2Paginator(r -> r.bucket(bucket()).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .collect(Collectors.toList());
  }

  private static List<LabeledExample> labelled(MnistSample sample) {
    List<LabeledExample> out = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      out.add(LabeledExample.of(sample.labels()[i], sample.rows().get(i)));
    }
    return out;
  }

  private static List<LabeledExample> clusters(int rows) {
    Random random = new Random(5);
    double[][] centers = {{10, 10}, {-10, -10}, {10, -10}};
    List<LabeledExample> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double[] c = centers[i % 3];
      out.add(
          LabeledExample.unlabeled(
              FeatureVector.dense(
                  new double[] {c[0] + random.nextGaussian(), c[1] + random.nextGaussian()})));
    }
    return out;
  }
}
