package dev.sagemakerbeam.local.algorithm.builtin;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.local.LocalClients;
import dev.sagemakerbeam.local.SageMakerLocal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sagemaker.model.CompressionType;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.MetricData;
import software.amazon.awssdk.services.sagemaker.model.S3DataDistribution;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatus;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatusTransition;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;

/**
 * The built-in K-Means and PCA through the real API only: MNIST uploaded to SageMaker Local's S3
 * (gzipped LibSVM and RecordIO-protobuf), CreateTrainingJob with SageMaker's image URIs, hosting
 * and InvokeEndpoint in both response formats, bad hyperparameters, stop and max runtime.
 */
class BuiltInsOverApiTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerRole";
  static final String KMEANS_IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1";
  static final String PCA_IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1";
  static final String BUCKET = "mnist-bucket";
  static final String RECORDIO = "application/x-recordio-protobuf";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static SageMakerLocal local;
  static LocalClients clients;
  static Mnist test;

  @BeforeAll
  static void start() throws Exception {
    local = SageMakerLocal.builder().dataDirectory(dataDir).build();
    clients = new LocalClients(local);
    clients.s3.createBucket(r -> r.bucket(BUCKET));
    clients.s3.putObject(
        r -> r.bucket(BUCKET).key("mnist/libsvm/mnist-train.libsvm.gz"),
        RequestBody.fromFile(Mnist.trainFile()));
    Mnist train = Mnist.train();
    clients.s3.putObject(
        r -> r.bucket(BUCKET).key("mnist/recordio/train.rec").contentType(RECORDIO),
        RequestBody.fromBytes(train.recordIo(false)));
    test = Mnist.test();
    // The jobs the tests check run side by side from here.
    clients.sageMaker.createTrainingJob(
        job("kmeans-libsvm", KMEANS_IMAGE, Map.of("k", "10", "feature_dim", "784"), "libsvm")
            .build());
    clients.sageMaker.createTrainingJob(
        job("kmeans-recordio", KMEANS_IMAGE, Map.of("k", "10", "feature_dim", "784"), "recordio")
            .build());
    clients.sageMaker.createTrainingJob(
        job(
                "pca-libsvm",
                PCA_IMAGE,
                Map.of("num_components", "50", "feature_dim", "784", "mini_batch_size", "500"),
                "libsvm")
            .build());
  }

  @AfterAll
  static void stop() {
    clients.close();
    local.close();
  }

  static CreateTrainingJobRequest.Builder job(
      String name, String image, Map<String, String> hyperparameters, String format) {
    boolean libsvm = format.equals("libsvm");
    return CreateTrainingJobRequest.builder()
        .trainingJobName(name)
        .roleArn(ROLE)
        .hyperParameters(hyperparameters)
        .algorithmSpecification(a -> a.trainingImage(image).trainingInputMode("File"))
        .inputDataConfig(
            c ->
                c.channelName("train")
                    .contentType(libsvm ? "text/libsvm" : RECORDIO)
                    .compressionType(libsvm ? CompressionType.GZIP : CompressionType.NONE)
                    .dataSource(
                        d ->
                            d.s3DataSource(
                                s ->
                                    s.s3DataType(S3DataType.S3_PREFIX)
                                        .s3Uri("s3://" + BUCKET + "/mnist/" + format + "/")
                                        .s3DataDistributionType(
                                            S3DataDistribution.FULLY_REPLICATED))))
        .outputDataConfig(o -> o.s3OutputPath("s3://" + BUCKET + "/output"))
        .resourceConfig(r -> r.instanceType("ml.m5.xlarge").instanceCount(1).volumeSizeInGB(5))
        .stoppingCondition(s -> s.maxRuntimeInSeconds(600));
  }

  static DescribeTrainingJobResponse waitForJob(String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      DescribeTrainingJobResponse d =
          clients.sageMaker.describeTrainingJob(r -> r.trainingJobName(name));
      if (d.trainingJobStatus() != TrainingJobStatus.IN_PROGRESS
              && d.trainingJobStatus() != TrainingJobStatus.STOPPING
          || System.nanoTime() > deadline) {
        return d;
      }
      Thread.sleep(100);
    }
  }

  static Map<String, Double> metrics(DescribeTrainingJobResponse d) {
    return d.finalMetricDataList().stream()
        .collect(Collectors.toMap(MetricData::metricName, m -> m.value().doubleValue()));
  }

  /** Model, endpoint config and endpoint for a completed job; waits until InService. */
  static void host(String name, String image, DescribeTrainingJobResponse job)
      throws InterruptedException {
    clients.sageMaker.createModel(
        r ->
            r.modelName(name)
                .executionRoleArn(ROLE)
                .primaryContainer(
                    c -> c.image(image).modelDataUrl(job.modelArtifacts().s3ModelArtifacts())));
    clients.sageMaker.createEndpointConfig(
        r ->
            r.endpointConfigName(name)
                .productionVariants(
                    v ->
                        v.variantName("AllTraffic")
                            .modelName(name)
                            .instanceType("ml.m5.large")
                            .initialInstanceCount(1)));
    clients.sageMaker.createEndpoint(r -> r.endpointName(name).endpointConfigName(name));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    DescribeEndpointResponse d;
    do {
      Thread.sleep(50);
      d = clients.sageMaker.describeEndpoint(r -> r.endpointName(name));
    } while (d.endpointStatus() == EndpointStatus.CREATING && System.nanoTime() < deadline);
    assertThat(d.failureReason(), d.endpointStatus(), is(EndpointStatus.IN_SERVICE));
  }

  static InvokeEndpointResponse invoke(
      String endpoint, byte[] body, String contentType, String accept) {
    return clients.runtime.invokeEndpoint(
        r ->
            r.endpointName(endpoint)
                .body(SdkBytes.fromByteArrayUnsafe(body))
                .contentType(contentType)
                .accept(accept));
  }

  /** {"instances": [{"features": [...]}, ...]} of test rows [0, count). */
  static byte[] jsonInstances(int count) throws Exception {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode instances = root.putArray("instances");
    for (int i = 0; i < count; i++) {
      ArrayNode features = instances.addObject().putArray("features");
      for (double v : test.rows.get(i).toDenseArray()) {
        features.add(v);
      }
    }
    return JSON.writeValueAsBytes(root);
  }

  static void assertCompletedLikeSageMaker(DescribeTrainingJobResponse d, String name) {
    assertThat(d.failureReason(), d.trainingJobStatus(), is(TrainingJobStatus.COMPLETED));
    assertThat(d.secondaryStatus(), is(SecondaryStatus.COMPLETED));
    assertThat(
        d.secondaryStatusTransitions().stream().map(SecondaryStatusTransition::status).toList(),
        contains(
            SecondaryStatus.STARTING,
            SecondaryStatus.DOWNLOADING,
            SecondaryStatus.TRAINING,
            SecondaryStatus.UPLOADING,
            SecondaryStatus.COMPLETED));
    assertThat(
        d.modelArtifacts().s3ModelArtifacts(),
        is("s3://" + BUCKET + "/output/" + name + "/output/model.tar.gz"));
    assertThat(d.trainingEndTime(), notNullValue());
  }

  @Test
  void kmeansOnGzippedLibSvmClustersTestDigitsThroughTheEndpoint() throws Exception {
    DescribeTrainingJobResponse d = waitForJob("kmeans-libsvm");
    assertCompletedLikeSageMaker(d, "kmeans-libsvm");
    Map<String, Double> metrics = metrics(d);
    assertThat(metrics.keySet(), hasItem("train:msd"));
    assertThat(Math.sqrt(metrics.get("train:msd")), closeTo(1593, 160));

    host("kmeans-libsvm", KMEANS_IMAGE, d);
    InvokeEndpointResponse response =
        invoke("kmeans-libsvm", test.recordIo(false), RECORDIO, RECORDIO);
    assertThat(response.contentType(), is(RECORDIO));
    assertThat(response.invokedProductionVariant(), is("AllTraffic"));
    List<AmazonRecord> records = KMeansMnistTest.records(response.body().asByteArray());
    assertThat(records.size(), is(test.rows.size()));
    int[] clusters = new int[records.size()];
    double distanceSum = 0;
    for (int i = 0; i < clusters.length; i++) {
      clusters[i] = (int) records.get(i).label("closest_cluster").values()[0];
      distanceSum += records.get(i).label("distance_to_cluster").values()[0];
    }
    double purity = KMeansMnistTest.purity(clusters, test.labels, 10);
    System.out.printf(
        "K-Means over the API: test purity %.3f, mean distance %.0f%n",
        purity, distanceSum / clusters.length);
    assertThat(purity, greaterThanOrEqualTo(0.55));
    assertThat(distanceSum / clusters.length, closeTo(1593, 250));

    JsonNode json =
        JSON.readTree(
            invoke("kmeans-libsvm", jsonInstances(20), "application/json", "application/json")
                .body()
                .asByteArray());
    JsonNode predictions = json.get("predictions");
    assertThat(predictions.size(), is(20));
    for (int i = 0; i < 20; i++) {
      assertThat(predictions.get(i).get("closest_cluster").asInt(), is(clusters[i]));
      assertThat(
          predictions.get(i).get("distance_to_cluster").asDouble(),
          closeTo(records.get(i).label("distance_to_cluster").values()[0], 1e-2));
    }
  }

  @Test
  void kmeansOnRecordIoProtobufTrains() throws Exception {
    DescribeTrainingJobResponse d = waitForJob("kmeans-recordio");
    assertCompletedLikeSageMaker(d, "kmeans-recordio");
    assertThat(Math.sqrt(metrics(d).get("train:msd")), closeTo(1593, 160));
  }

  @Test
  void pcaProjectsOntoFiftyComponents() throws Exception {
    DescribeTrainingJobResponse d = waitForJob("pca-libsvm");
    assertCompletedLikeSageMaker(d, "pca-libsvm");
    assertThat(metrics(d).keySet(), hasItem("train:explained_variance_ratio"));
    assertThat(metrics(d).get("train:explained_variance_ratio"), closeTo(0.829, 0.01));

    host("pca-libsvm", PCA_IMAGE, d);
    List<AmazonRecord> records =
        KMeansMnistTest.records(
            invoke("pca-libsvm", test.recordIo(true), RECORDIO, RECORDIO).body().asByteArray());
    assertThat(records.size(), is(test.rows.size()));
    for (AmazonRecord r : records) {
      assertThat(r.label("projection").values().length, is(50));
    }
    JsonNode projections =
        JSON.readTree(
                invoke("pca-libsvm", jsonInstances(5), "application/json", "application/json")
                    .body()
                    .asByteArray())
            .get("projections");
    assertThat(projections.size(), is(5));
    for (int i = 0; i < 5; i++) {
      JsonNode projection = projections.get(i).get("projection");
      assertThat(projection.size(), is(50));
      double[] fromRecordIo = records.get(i).label("projection").values();
      for (int j = 0; j < 50; j++) {
        assertThat(
            projection.get(j).asDouble(),
            closeTo(fromRecordIo[j], 1e-3 * Math.max(1, Math.abs(fromRecordIo[j]))));
      }
    }
  }

  @Test
  void badHyperparametersFailTheJobNamingThem() throws Exception {
    clients.sageMaker.createTrainingJob(
        job("kmeans-k-zero", KMEANS_IMAGE, Map.of("k", "0", "feature_dim", "784"), "libsvm")
            .build());
    clients.sageMaker.createTrainingJob(
        job("kmeans-no-dim", KMEANS_IMAGE, Map.of("k", "10"), "libsvm").build());
    clients.sageMaker.createTrainingJob(
        job(
                "pca-no-components",
                PCA_IMAGE,
                Map.of("feature_dim", "784", "mini_batch_size", "500"),
                "libsvm")
            .build());
    DescribeTrainingJobResponse kZero = waitForJob("kmeans-k-zero");
    assertThat(kZero.trainingJobStatus(), is(TrainingJobStatus.FAILED));
    assertThat(kZero.secondaryStatus(), is(SecondaryStatus.FAILED));
    assertThat(kZero.failureReason(), containsString("K-Means hyperparameter k = 0 is invalid"));
    DescribeTrainingJobResponse noDim = waitForJob("kmeans-no-dim");
    assertThat(noDim.trainingJobStatus(), is(TrainingJobStatus.FAILED));
    assertThat(noDim.failureReason(), containsString("feature_dim"));
    DescribeTrainingJobResponse noComponents = waitForJob("pca-no-components");
    assertThat(noComponents.trainingJobStatus(), is(TrainingJobStatus.FAILED));
    assertThat(noComponents.failureReason(), containsString("num_components"));
  }

  @Test
  void builtInJobsStopOnRequestAndAtMaxRuntime() throws Exception {
    // Enough epochs to run for many minutes: only a stop ends these jobs early.
    Map<String, String> endless =
        Map.of("k", "10", "feature_dim", "784", "epochs", "100000", "mini_batch_size", "500");
    clients.sageMaker.createTrainingJob(
        job("kmeans-stopped", KMEANS_IMAGE, endless, "recordio").build());
    clients.sageMaker.createTrainingJob(
        job("kmeans-max-runtime", KMEANS_IMAGE, endless, "recordio")
            .stoppingCondition(s -> s.maxRuntimeInSeconds(2))
            .build());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (clients
                .sageMaker
                .describeTrainingJob(r -> r.trainingJobName("kmeans-stopped"))
                .secondaryStatus()
            != SecondaryStatus.TRAINING
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    clients.sageMaker.stopTrainingJob(r -> r.trainingJobName("kmeans-stopped"));
    DescribeTrainingJobResponse stopped = waitForJob("kmeans-stopped");
    assertThat(stopped.trainingJobStatus(), is(TrainingJobStatus.STOPPED));
    assertThat(stopped.secondaryStatus(), is(SecondaryStatus.STOPPED));
    DescribeTrainingJobResponse tooLong = waitForJob("kmeans-max-runtime");
    assertThat(tooLong.trainingJobStatus(), is(TrainingJobStatus.STOPPED));
    assertThat(tooLong.secondaryStatus(), is(SecondaryStatus.MAX_RUNTIME_EXCEEDED));
    assertThat(
        Duration.between(tooLong.trainingStartTime(), tooLong.trainingEndTime()).toSeconds(),
        org.hamcrest.Matchers.lessThan(30L));
    assertThat(
        tooLong.modelArtifacts() == null
            || tooLong.modelArtifacts().s3ModelArtifacts().endsWith("/output/model.tar.gz"),
        is(true));
  }
}
