package dev.sagemakerbeam.local;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.AmazonRecord;
import dev.sagemakerbeam.io.AmazonRecordDecoder;
import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoReader;
import dev.sagemakerbeam.io.RecordIoWriter;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import dev.sagemakerbeam.local.testalgo.MeanAlgorithm;
import dev.sagemakerbeam.local.training.ModelArchive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sagemaker.model.BatchStrategy;
import software.amazon.awssdk.services.sagemaker.model.CreateTransformJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeTransformJobResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.SortOrder;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TransformJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TransformJobSummary;

/**
 * Batch transform through the real API: a K-Means model trained over the API and a user ({@code
 * process:}) algorithm transform several S3 objects, answering record for record what their
 * endpoints answer; a bad record fails the job naming its object; a stop interrupts a slow job;
 * gzip and manifest inputs; requests refused as SageMaker refuses them.
 */
class TransformJobsTest {
  static final String ROLE = ControlPlaneTest.ROLE;
  static final String BUCKET = "transform-bucket";
  static final String KMEANS_IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1";
  static final String RECORDIO = "application/x-recordio-protobuf";

  @TempDir static Path dataDir;
  @TempDir static Path programDir;
  static SageMakerLocal local;
  static LocalClients clients;

  @BeforeAll
  static void start() throws Exception {
    local =
        SageMakerLocal.builder()
            .dataDirectory(dataDir)
            .algorithm("echo", new EchoAlgorithm())
            .algorithm("slow", new SlowAlgorithm())
            .build();
    clients = new LocalClients(local);
    clients.s3.createBucket(r -> r.bucket(BUCKET));
    clients.sageMaker.createModel(
        r ->
            r.modelName("echo-model")
                .executionRoleArn(ROLE)
                .primaryContainer(c -> c.image("echo")));
  }

  @AfterAll
  static void stop() {
    clients.close();
    local.close();
  }

  static void put(String key, byte[] bytes) {
    clients.s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  static byte[] get(String key) {
    return clients.s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray();
  }

  static boolean exists(String key) {
    try {
      clients.s3.headObject(r -> r.bucket(BUCKET).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  static CreateTransformJobRequest.Builder transform(
      String name, String model, String inputPrefix, String outputPrefix) {
    return CreateTransformJobRequest.builder()
        .transformJobName(name)
        .modelName(model)
        .transformInput(
            i ->
                i.dataSource(
                    d ->
                        d.s3DataSource(
                            s ->
                                s.s3DataType(S3DataType.S3_PREFIX)
                                    .s3Uri("s3://" + BUCKET + "/" + inputPrefix))))
        .transformOutput(o -> o.s3OutputPath("s3://" + BUCKET + "/" + outputPrefix))
        .transformResources(r -> r.instanceType("ml.m5.large").instanceCount(1));
  }

  static DescribeTransformJobResponse waitForTransform(String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      DescribeTransformJobResponse d =
          clients.sageMaker.describeTransformJob(r -> r.transformJobName(name));
      if (d.transformJobStatus() != TransformJobStatus.IN_PROGRESS
              && d.transformJobStatus() != TransformJobStatus.STOPPING
          || System.nanoTime() > deadline) {
        return d;
      }
      Thread.sleep(50);
    }
  }

  static DescribeTrainingJobResponse waitForTraining(String name) throws InterruptedException {
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

  static void assertCompleted(DescribeTransformJobResponse d) {
    assertThat(d.failureReason(), d.transformJobStatus(), is(TransformJobStatus.COMPLETED));
    assertThat(d.transformStartTime(), notNullValue());
    assertThat(d.transformEndTime(), notNullValue());
  }

  static void hostAndWait(String name, String model) throws InterruptedException {
    clients.sageMaker.createEndpointConfig(
        r ->
            r.endpointConfigName(name)
                .productionVariants(
                    v ->
                        v.variantName("AllTraffic")
                            .modelName(model)
                            .instanceType("ml.m5.large")
                            .initialInstanceCount(1)));
    clients.sageMaker.createEndpoint(r -> r.endpointName(name).endpointConfigName(name));
    assertThat(
        ControlPlaneTest.waitForEndpoint(clients.sageMaker, name).endpointStatus(),
        is(EndpointStatus.IN_SERVICE));
  }

  static byte[] invoke(String endpoint, byte[] body, String contentType, String accept) {
    return clients
        .runtime
        .invokeEndpoint(
            r ->
                r.endpointName(endpoint)
                    .body(SdkBytes.fromByteArray(body))
                    .contentType(contentType)
                    .accept(accept))
        .body()
        .asByteArray();
  }

  static byte[] recordIo(List<FeatureVector> rows) throws IOException {
    AmazonRecordEncoder encoder = new AmazonRecordEncoder();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (RecordIoWriter writer = new RecordIoWriter(out)) {
      for (FeatureVector row : rows) {
        int length = encoder.encode(row);
        writer.write(encoder.buffer(), 0, length);
      }
    }
    return out.toByteArray();
  }

  static List<AmazonRecord> records(byte[] body) throws IOException {
    List<AmazonRecord> out = new ArrayList<>();
    RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(body));
    while (reader.next()) {
      out.add(AmazonRecordDecoder.decode(reader.buffer(), 0, reader.length()));
    }
    return out;
  }

  /** Points around three centres in the plane. */
  static List<FeatureVector> blobs(Random random, int count) {
    double[][] centres = {{0, 0}, {10, 10}, {-10, 10}};
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double[] c = centres[random.nextInt(centres.length)];
      rows.add(
          FeatureVector.dense(
              new double[] {c[0] + random.nextGaussian(), c[1] + random.nextGaussian()}));
    }
    return rows;
  }

  static String jobLog(String name) throws IOException {
    return Files.readString(dataDir.resolve("transform-jobs").resolve(name).resolve("log.txt"));
  }

  static void assertSameKMeansAnswers(List<AmazonRecord> actual, List<AmazonRecord> expected) {
    assertThat(actual.size(), is(expected.size()));
    for (int i = 0; i < expected.size(); i++) {
      assertThat(
          "record " + i,
          actual.get(i).label("closest_cluster").values()[0],
          is(expected.get(i).label("closest_cluster").values()[0]));
      assertThat(
          "record " + i,
          actual.get(i).label("distance_to_cluster").values()[0],
          is(expected.get(i).label("distance_to_cluster").values()[0]));
    }
  }

  @Test
  void kmeansTransformsRecordIoObjectsAsItsEndpointAnswers() throws Exception {
    Random random = new Random(7);
    put("kmeans/train/train.rec", recordIo(blobs(random, 600)));
    clients.sageMaker.createTrainingJob(
        r ->
            r.trainingJobName("kmeans-blobs")
                .roleArn(ROLE)
                .hyperParameters(Map.of("k", "3", "feature_dim", "2", "mini_batch_size", "100"))
                .algorithmSpecification(
                    a -> a.trainingImage(KMEANS_IMAGE).trainingInputMode("File"))
                .inputDataConfig(
                    c ->
                        c.channelName("train")
                            .contentType(RECORDIO)
                            .dataSource(
                                d ->
                                    d.s3DataSource(
                                        s ->
                                            s.s3DataType(S3DataType.S3_PREFIX)
                                                .s3Uri("s3://" + BUCKET + "/kmeans/train/"))))
                .outputDataConfig(o -> o.s3OutputPath("s3://" + BUCKET + "/kmeans/model"))
                .resourceConfig(
                    c -> c.instanceType("ml.m5.large").instanceCount(1).volumeSizeInGB(1))
                .stoppingCondition(s -> s.maxRuntimeInSeconds(600)));
    List<FeatureVector> first = blobs(random, 250);
    List<FeatureVector> second = blobs(random, 170);
    put("kmeans/in/a.rec", recordIo(first));
    put("kmeans/in/sub/b.rec", recordIo(second));
    DescribeTrainingJobResponse trained = waitForTraining("kmeans-blobs");
    assertThat(
        trained.failureReason(), trained.trainingJobStatus(), is(TrainingJobStatus.COMPLETED));
    clients.sageMaker.createModel(
        r ->
            r.modelName("kmeans-blobs")
                .executionRoleArn(ROLE)
                .primaryContainer(
                    c ->
                        c.image(KMEANS_IMAGE)
                            .modelDataUrl(trained.modelArtifacts().s3ModelArtifacts())));

    Consumer<CreateTransformJobRequest.Builder> recordIoInput =
        b ->
            b.transformInput(
                    i ->
                        i.contentType(RECORDIO)
                            .splitType("RecordIO")
                            .dataSource(
                                d ->
                                    d.s3DataSource(
                                        s ->
                                            s.s3DataType(S3DataType.S3_PREFIX)
                                                .s3Uri("s3://" + BUCKET + "/kmeans/in/"))))
                .transformOutput(
                    o ->
                        o.s3OutputPath(
                                "s3://" + BUCKET + "/kmeans/out-" + b.build().transformJobName())
                            .accept(RECORDIO));
    CreateTransformJobRequest.Builder multi =
        transform("kmeans-multi", "kmeans-blobs", "", "").batchStrategy(BatchStrategy.MULTI_RECORD);
    recordIoInput.accept(multi);
    String arn = clients.sageMaker.createTransformJob(multi.build()).transformJobArn();
    assertThat(arn, is("arn:aws:sagemaker:us-east-1:000000000000:transform-job/kmeans-multi"));
    // One record per request, 4 in flight on each of 2 instances: order must still hold.
    CreateTransformJobRequest.Builder single =
        transform("kmeans-single", "kmeans-blobs", "", "")
            .batchStrategy(BatchStrategy.SINGLE_RECORD)
            .maxConcurrentTransforms(4)
            .maxPayloadInMB(1)
            .transformResources(r -> r.instanceType("ml.m5.large").instanceCount(2));
    recordIoInput.accept(single);
    clients.sageMaker.createTransformJob(single.build());

    hostAndWait("kmeans-blobs", "kmeans-blobs");
    List<AmazonRecord> expectedFirst =
        records(invoke("kmeans-blobs", recordIo(first), RECORDIO, RECORDIO));
    List<AmazonRecord> expectedSecond =
        records(invoke("kmeans-blobs", recordIo(second), RECORDIO, RECORDIO));
    assertThat(
        expectedFirst.stream().map(r -> r.label("closest_cluster").values()[0]).distinct().count(),
        is(3L));

    for (String job : List.of("kmeans-multi", "kmeans-single")) {
      DescribeTransformJobResponse d = waitForTransform(job);
      assertCompleted(d);
      assertSameKMeansAnswers(records(get("kmeans/out-" + job + "/a.rec.out")), expectedFirst);
      assertSameKMeansAnswers(records(get("kmeans/out-" + job + "/sub/b.rec.out")), expectedSecond);
    }
    DescribeTransformJobResponse multiDone = waitForTransform("kmeans-multi");
    assertThat(multiDone.modelName(), is("kmeans-blobs"));
    assertThat(multiDone.transformJobArn(), is(arn));
    assertThat(multiDone.maxPayloadInMB(), is(6));
    assertThat(multiDone.maxConcurrentTransforms(), is(1));
    assertThat(multiDone.batchStrategy(), is(BatchStrategy.MULTI_RECORD));
    assertThat(multiDone.transformInput().splitTypeAsString(), is("RecordIO"));
    assertThat(multiDone.transformInput().contentType(), is(RECORDIO));
    assertThat(multiDone.transformOutput().accept(), is(RECORDIO));
    assertThat(multiDone.transformResources().instanceCount(), is(1));
    assertThat(multiDone.creationTime(), notNullValue());
    assertThat(jobLog("kmeans-multi"), containsString("(250 records in 1 requests)"));
    assertThat(jobLog("kmeans-single"), containsString("(250 records in 250 requests)"));
    clients.sageMaker.deleteEndpoint(r -> r.endpointName("kmeans-blobs"));
  }

  @Test
  void processAlgorithmTransformsCsvLinesInSeveralRequests() throws Exception {
    String image = MeanAlgorithm.launcherImage(programDir);
    Path modelDir = Files.createDirectory(programDir.resolve("mean-model"));
    Files.writeString(modelDir.resolve("mean.json"), "{\"mean\": 100.0}");
    Path archive = programDir.resolve("mean-model.tar.gz");
    ModelArchive.pack(modelDir, archive);
    clients.s3.putObject(
        r -> r.bucket(BUCKET).key("mean/model.tar.gz"), RequestBody.fromFile(archive));
    clients.sageMaker.createModel(
        r ->
            r.modelName("mean-model")
                .executionRoleArn(ROLE)
                .primaryContainer(
                    c -> c.image(image).modelDataUrl("s3://" + BUCKET + "/mean/model.tar.gz")));
    // 1.6 MB of rows: several requests of at most 1 MB each.
    String padding = "x".repeat(1000);
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 1600; i++) {
      rows.add(i + "," + padding);
    }
    put("mean/in/rows.csv", (String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8));
    clients.sageMaker.createTransformJob(
        transform("mean-lines", "mean-model", "mean/in/", "mean/out")
            .batchStrategy(BatchStrategy.MULTI_RECORD)
            .maxPayloadInMB(1)
            .maxConcurrentTransforms(2)
            .transformInput(
                i ->
                    i.contentType("text/csv")
                        .splitType("Line")
                        .dataSource(
                            d ->
                                d.s3DataSource(
                                    s ->
                                        s.s3DataType(S3DataType.S3_PREFIX)
                                            .s3Uri("s3://" + BUCKET + "/mean/in/"))))
            .transformOutput(
                o -> o.s3OutputPath("s3://" + BUCKET + "/mean/out").assembleWith("Line"))
            .build());
    hostAndWait("mean-endpoint", "mean-model");
    List<String> expected = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += 400) {
      String body = String.join("\n", rows.subList(from, Math.min(rows.size(), from + 400)));
      expected.addAll(
          Arrays.asList(
              new String(
                      invoke(
                          "mean-endpoint",
                          body.getBytes(StandardCharsets.UTF_8),
                          "text/csv",
                          "text/csv"),
                      StandardCharsets.UTF_8)
                  .split("\n")));
    }
    clients.sageMaker.deleteEndpoint(r -> r.endpointName("mean-endpoint"));
    assertThat(expected.size(), is(1600));
    assertThat(expected.get(0), is("-100.0"));

    assertCompleted(waitForTransform("mean-lines"));
    String output = new String(get("mean/out/rows.csv.out"), StandardCharsets.UTF_8);
    assertThat(output.endsWith("\n"), is(true));
    assertThat(Arrays.asList(output.split("\n")), is(expected));
    Matcher requests =
        Pattern.compile("\\(1600 records in (\\d+) requests\\)").matcher(jobLog("mean-lines"));
    assertThat(requests.find(), is(true));
    assertThat(Integer.parseInt(requests.group(1)), greaterThanOrEqualTo(2));
  }

  @Test
  void badRecordFailsTheJobNamingTheObject() throws Exception {
    put("bad/in/a-bad.txt", "fail".getBytes(StandardCharsets.UTF_8));
    put("bad/in/b-good.txt", "fine".getBytes(StandardCharsets.UTF_8));
    clients.sageMaker.createTransformJob(
        transform("echo-bad-record", "echo-model", "bad/in/", "bad/out").build());
    DescribeTransformJobResponse d = waitForTransform("echo-bad-record");
    assertThat(d.transformJobStatus(), is(TransformJobStatus.FAILED));
    assertThat(d.failureReason(), containsString("ClientError"));
    assertThat(d.failureReason(), containsString("s3://" + BUCKET + "/bad/in/a-bad.txt"));
    assertThat(d.failureReason(), containsString("400"));
    assertThat(d.failureReason(), containsString("cannot score 'fail'"));
    assertThat(exists("bad/out/a-bad.txt.out"), is(false));

    // A record over MaxPayloadInMB fails the job too, before any request.
    put("big/in/big.txt", new byte[1024 * 1024 + 1]);
    clients.sageMaker.createTransformJob(
        transform("echo-too-big", "echo-model", "big/in/", "big/out").maxPayloadInMB(1).build());
    DescribeTransformJobResponse big = waitForTransform("echo-too-big");
    assertThat(big.transformJobStatus(), is(TransformJobStatus.FAILED));
    assertThat(big.failureReason(), containsString("s3://" + BUCKET + "/big/in/big.txt"));
    assertThat(big.failureReason(), containsString("MaxPayloadInMB 1"));
    assertThat(exists("big/out/big.txt.out"), is(false));

    List<TransformJobSummary> failed =
        clients
            .sageMaker
            .listTransformJobs(r -> r.statusEquals("Failed").nameContains("echo-"))
            .transformJobSummaries();
    assertThat(
        failed.stream().map(TransformJobSummary::transformJobName).collect(Collectors.toList()),
        contains("echo-too-big", "echo-bad-record"));
    assertThat(failed.get(1).failureReason(), is(d.failureReason()));
  }

  @Test
  void stopInterruptsASlowJob() throws Exception {
    put("slow/in/rows.txt", "1\n2\n3\n4\n5\n6\n".getBytes(StandardCharsets.UTF_8));
    clients.sageMaker.createModel(
        r ->
            r.modelName("slow-model")
                .executionRoleArn(ROLE)
                .primaryContainer(c -> c.image("slow")));
    int before = SlowAlgorithm.STARTED.get();
    clients.sageMaker.createTransformJob(
        transform("slow-job", "slow-model", "slow/in/", "slow/out")
            .batchStrategy(BatchStrategy.SINGLE_RECORD)
            .transformInput(
                i ->
                    i.splitType("Line")
                        .dataSource(
                            d ->
                                d.s3DataSource(
                                    s ->
                                        s.s3DataType(S3DataType.S3_PREFIX)
                                            .s3Uri("s3://" + BUCKET + "/slow/in/"))))
            .build());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (SlowAlgorithm.STARTED.get() == before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(SlowAlgorithm.STARTED.get(), greaterThan(before));
    long stopAt = System.nanoTime();
    clients.sageMaker.stopTransformJob(r -> r.transformJobName("slow-job"));
    assertThat(
        clients
            .sageMaker
            .describeTransformJob(r -> r.transformJobName("slow-job"))
            .transformJobStatus(),
        is(TransformJobStatus.STOPPING));
    DescribeTransformJobResponse stopped = waitForTransform("slow-job");
    assertThat(stopped.transformJobStatus(), is(TransformJobStatus.STOPPED));
    assertThat(Duration.ofNanos(System.nanoTime() - stopAt), lessThan(Duration.ofSeconds(20)));
    assertThat(SlowAlgorithm.INTERRUPTED.get(), greaterThan(0));
    assertThat(exists("slow/out/rows.txt.out"), is(false));
    SageMakerException again =
        assertThrows(
            SageMakerException.class,
            () -> clients.sageMaker.stopTransformJob(r -> r.transformJobName("slow-job")));
    assertThat(again.awsErrorDetails().errorCode(), is("ValidationException"));
    assertThat(again.getMessage(), containsString("Stopped"));

    // A stop while the model is still loading (a user algorithm's server coming up) ends the job
    // too.
    clients.sageMaker.createTransformJob(
        transform("slow-load", "slow-model", "slow/in/", "slow/out-load")
            .environment(Map.of("SLOW_LOAD", "1"))
            .build());
    deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (SlowAlgorithm.LOADING.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long loadStopAt = System.nanoTime();
    clients.sageMaker.stopTransformJob(r -> r.transformJobName("slow-load"));
    assertThat(waitForTransform("slow-load").transformJobStatus(), is(TransformJobStatus.STOPPED));
    assertThat(Duration.ofNanos(System.nanoTime() - loadStopAt), lessThan(Duration.ofSeconds(20)));
  }

  @Test
  void gzipAndManifestInputs() throws Exception {
    String csv = "a,1\nb,2\nc,3\n";
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
      out.write(csv.getBytes(StandardCharsets.UTF_8));
    }
    put("gzip/in/rows.csv.gz", gzipped.toByteArray());
    clients.sageMaker.createTransformJob(
        transform("echo-gzip", "echo-model", "gzip/in/", "gzip/out")
            .batchStrategy(BatchStrategy.SINGLE_RECORD)
            .transformInput(
                i ->
                    i.contentType("text/csv")
                        .compressionType("Gzip")
                        .splitType("Line")
                        .dataSource(
                            d ->
                                d.s3DataSource(
                                    s ->
                                        s.s3DataType(S3DataType.S3_PREFIX)
                                            .s3Uri("s3://" + BUCKET + "/gzip/in/"))))
            .environment(Map.of("PREFIX", ">"))
            .build());

    put("manifest/data/one.txt", "first".getBytes(StandardCharsets.UTF_8));
    put("manifest/data/two/three.txt", "second".getBytes(StandardCharsets.UTF_8));
    put("manifest/data/ignored.txt", "not listed".getBytes(StandardCharsets.UTF_8));
    put(
        "manifest/list.manifest",
        ("[{\"prefix\": \"s3://" + BUCKET + "/manifest/data/\"}, \"two/three.txt\", \"one.txt\"]")
            .getBytes(StandardCharsets.UTF_8));
    clients.sageMaker.createTransformJob(
        transform("echo-manifest", "echo-model", "", "manifest/out")
            .transformInput(
                i ->
                    i.dataSource(
                        d ->
                            d.s3DataSource(
                                s ->
                                    s.s3DataType(S3DataType.MANIFEST_FILE)
                                        .s3Uri("s3://" + BUCKET + "/manifest/list.manifest"))))
            .transformOutput(
                o -> o.s3OutputPath("s3://" + BUCKET + "/manifest/out").assembleWith("Line"))
            .build());

    DescribeTransformJobResponse gzip = waitForTransform("echo-gzip");
    assertCompleted(gzip);
    assertThat(gzip.environment(), is(Map.of("PREFIX", ">")));
    // Echo answers each line back, prefixed as the job's Environment says.
    assertThat(
        new String(get("gzip/out/rows.csv.gz.out"), StandardCharsets.UTF_8),
        is(">a,1\n>b,2\n>c,3\n"));
    assertCompleted(waitForTransform("echo-manifest"));
    assertThat(new String(get("manifest/out/one.txt.out"), StandardCharsets.UTF_8), is("first\n"));
    assertThat(
        new String(get("manifest/out/two/three.txt.out"), StandardCharsets.UTF_8), is("second\n"));
    assertThat(exists("manifest/out/ignored.txt.out"), is(false));
  }

  @Test
  void createTransformJobValidatesAsSageMaker() throws Exception {
    put("valid/in/x.txt", "x".getBytes(StandardCharsets.UTF_8));
    SageMakerException unknownModel =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createTransformJob(
                    transform("no-model", "no-such-model", "valid/in/", "valid/out").build()));
    assertThat(unknownModel.awsErrorDetails().errorCode(), is("ValidationException"));
    assertThat(
        unknownModel.awsErrorDetails().errorMessage(),
        is(
            "Could not find model \"arn:aws:sagemaker:us-east-1:000000000000:model/no-such-model\"."));

    SageMakerException badSplit =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createTransformJob(
                    transform("bad-split", "echo-model", "valid/in/", "valid/out")
                        .transformInput(
                            i ->
                                i.splitType("Paragraph")
                                    .dataSource(
                                        d ->
                                            d.s3DataSource(
                                                s ->
                                                    s.s3DataType(S3DataType.S3_PREFIX)
                                                        .s3Uri("s3://" + BUCKET + "/valid/in/"))))
                        .build()));
    assertThat(badSplit.awsErrorDetails().errorCode(), is("ValidationException"));
    assertThat(
        badSplit.awsErrorDetails().errorMessage(),
        containsString(
            "Value 'Paragraph' at 'TransformInput.SplitType' failed to satisfy constraint"));

    SageMakerException tfRecord =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createTransformJob(
                    transform("tfrecord", "echo-model", "valid/in/", "valid/out")
                        .transformInput(
                            i ->
                                i.splitType("TFRecord")
                                    .dataSource(
                                        d ->
                                            d.s3DataSource(
                                                s ->
                                                    s.s3DataType(S3DataType.S3_PREFIX)
                                                        .s3Uri("s3://" + BUCKET + "/valid/in/"))))
                        .build()));
    assertThat(
        tfRecord.awsErrorDetails().errorMessage(), containsString("TFRecord is not supported"));

    for (int payload : new int[] {-1, 101}) {
      SageMakerException outOfRange =
          assertThrows(
              SageMakerException.class,
              () ->
                  clients.sageMaker.createTransformJob(
                      transform("payload", "echo-model", "valid/in/", "valid/out")
                          .maxPayloadInMB(payload)
                          .build()));
      assertThat(outOfRange.awsErrorDetails().errorCode(), is("ValidationException"));
      assertThat(
          outOfRange.awsErrorDetails().errorMessage(),
          is(
              "Value '"
                  + payload
                  + "' at 'MaxPayloadInMB' failed to satisfy constraint: Member must have value"
                  + " between 0 and 100"));
    }
    SageMakerException tooMuchInFlight =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createTransformJob(
                    transform("in-flight", "echo-model", "valid/in/", "valid/out")
                        .maxConcurrentTransforms(20)
                        .build()));
    assertThat(
        tooMuchInFlight.awsErrorDetails().errorMessage(),
        is(
            "MaxConcurrentTransforms (20) * MaxPayloadInMB (6, the default) must not exceed 100"
                + " MB"));
    SageMakerException badName =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createTransformJob(
                    transform("bad_name", "echo-model", "valid/in/", "valid/out").build()));
    assertThat(badName.awsErrorDetails().errorMessage(), containsString("TransformJobName"));
    SageMakerException nothingThere =
        assertThrows(
            SageMakerException.class,
            () ->
                clients.sageMaker.createTransformJob(
                    transform("empty", "echo-model", "nothing/here/", "valid/out").build()));
    assertThat(
        nothingThere.awsErrorDetails().errorMessage(),
        containsString("No S3 objects found under S3 URL \"s3://" + BUCKET + "/nothing/here/\""));

    clients.sageMaker.createTransformJob(
        transform("valid-once", "echo-model", "valid/in/", "valid/out").build());
    ResourceInUseException duplicate =
        assertThrows(
            ResourceInUseException.class,
            () ->
                clients.sageMaker.createTransformJob(
                    transform("valid-once", "echo-model", "valid/in/", "valid/out").build()));
    assertThat(
        duplicate.awsErrorDetails().errorMessage(),
        is(
            "Job name must be unique within an AWS account and region, and a job with this name"
                + " already exists (arn:aws:sagemaker:us-east-1:000000000000:transform-job/"
                + "valid-once)"));
    assertCompleted(waitForTransform("valid-once"));
    assertThat(new String(get("valid/out/x.txt.out"), StandardCharsets.UTF_8), is("x"));

    SageMakerException missing =
        assertThrows(
            SageMakerException.class,
            () -> clients.sageMaker.describeTransformJob(r -> r.transformJobName("never-made")));
    assertThat(missing.awsErrorDetails().errorCode(), is("ValidationException"));
    assertThat(missing.awsErrorDetails().errorMessage(), containsString("never-made"));

    List<TransformJobSummary> named =
        clients
            .sageMaker
            .listTransformJobs(
                r -> r.nameContains("valid-").sortBy("Name").sortOrder(SortOrder.ASCENDING))
            .transformJobSummaries();
    assertThat(named.size(), is(1));
    assertThat(named.get(0).transformJobStatus(), is(TransformJobStatus.COMPLETED));
    assertThat(named.get(0).transformEndTime(), notNullValue());
  }

  /** Workers that take 30 s per request unless interrupted, and a while to shut down. */
  static final class SlowAlgorithm implements Algorithm {
    static final AtomicInteger STARTED = new AtomicInteger();
    static final AtomicInteger INTERRUPTED = new AtomicInteger();
    static final AtomicInteger LOADING = new AtomicInteger();

    @Override
    public void validateHyperparameters(Map<String, String> hyperparameters) {}

    @Override
    public Map<String, Double> train(TrainingJobContext job) {
      throw new UnsupportedOperationException("not trained");
    }

    @Override
    public ModelWorker load(Path modelDir, Map<String, String> environment)
        throws AlgorithmException {
      if (environment.containsKey("SLOW_LOAD")) {
        LOADING.incrementAndGet();
        try {
          Thread.sleep(30_000);
        } catch (InterruptedException e) {
          throw new AlgorithmException("interrupted while loading", e);
        }
      }
      return new ModelWorker() {
        @Override
        public Invocation invoke(byte[] body, String contentType, String accept) throws ModelError {
          STARTED.incrementAndGet();
          try {
            Thread.sleep(30_000);
          } catch (InterruptedException e) {
            INTERRUPTED.incrementAndGet();
            throw new ModelError(500, "interrupted");
          }
          return new Invocation(body, contentType);
        }

        @Override
        public void close() {
          try {
            Thread.sleep(1000); // as a container takes its time to stop
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
    }
  }
}
