package dev.sagemakerbeam.transforms.batch;

import com.google.auto.value.AutoValue;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.EndpointDeployer;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.inference.FailedElement;
import dev.sagemakerbeam.transforms.inference.InvocationFailure;
import dev.sagemakerbeam.transforms.inference.InvokeEndpoint;
import dev.sagemakerbeam.transforms.inference.PredictedElement;
import dev.sagemakerbeam.transforms.inference.RequestSerializer;
import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import dev.sagemakerbeam.transforms.naming.ResourceNamePolicy;
import dev.sagemakerbeam.transforms.training.StagingArea;
import dev.sagemakerbeam.transforms.training.StagingLocation;
import dev.sagemakerbeam.transforms.training.TrainedModel;
import dev.sagemakerbeam.transforms.training.TrainingDataShard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTransformJobResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/**
 * Scores a {@code PCollection} with one SageMaker batch transform job instead of an endpoint, and
 * answers in {@link InvokeEndpoint}'s shape: each input with its prediction, or with the reason it
 * got none. Nothing is left running or stored: no endpoint is created, the model a job needs is
 * created for it from an artifact ({@link #forArtifact}, {@link #forTrainedModel}) and deleted
 * after it (or an existing model is used, {@link #forModel}), and the staged data is deleted once
 * the predictions are read, unless {@link #withDeleteStagingData} says otherwise.
 *
 * <pre>{@code
 * InvokeEndpoint.Result<FeatureVector, KMeansPrediction> scored = vectors.apply(
 *     SageMakerBatchTransform.forTrainedModel(model, role,
 *             RecordIoProtobufRequestSerializer.forFeatureVectors(),
 *             new KMeansProtobufResponseDeserializer())
 *         .withClientConfiguration(config)
 *         .withInstanceType("ml.m5.large"));
 * }</pre>
 *
 * <p>The elements are hashed into {@link #withNumShards} shards (from their coder's bytes, so a
 * retried bundle stages the same shard again rather than a copy); each shard is one object {@code
 * <staging>/<job>/input/part-00003} read by one job ({@link BatchTransformRunner}), whose {@code
 * part-00003.out} is joined back to the shard's elements in order. An element the serializer
 * refuses, and the elements of a shard the job could not finish (its FailureReason names the
 * object), go to {@link InvokeEndpoint.Result#failures()}. The job name is fixed when the transform
 * is applied, so a retried job step follows the job it created.
 */
@AutoValue
public abstract class SageMakerBatchTransform<T, R>
    extends PTransform<PCollection<T>, InvokeEndpoint.Result<T, R>> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerBatchTransform.class);

  /** The failure code of elements whose shard the job did not finish. */
  public static final String BATCH_TRANSFORM_FAILED = "BatchTransformFailed";

  abstract @Nullable String modelName();

  abstract @Nullable String image();

  abstract @Nullable String modelDataUrl();

  abstract @Nullable String roleArn();

  abstract RequestSerializer<T> serializer();

  abstract ResponseDeserializer<R> deserializer();

  abstract @Nullable String instanceType();

  abstract int instanceCount();

  abstract int maxPayloadInMB();

  abstract int maxConcurrentTransforms();

  abstract BatchTransformSpec.BatchStrategy batchStrategy();

  abstract Map<String, String> environment();

  abstract @Nullable SageMakerClientConfiguration config();

  abstract @Nullable String stagingLocation();

  abstract boolean deleteStagingData();

  abstract int numShards();

  abstract Duration timeout();

  abstract Duration pollInterval();

  abstract ResourceNamePolicy names();

  abstract Builder<T, R> toBuilder();

  @AutoValue.Builder
  abstract static class Builder<T, R> {
    abstract Builder<T, R> modelName(String v);

    abstract Builder<T, R> image(String v);

    abstract Builder<T, R> modelDataUrl(String v);

    abstract Builder<T, R> roleArn(String v);

    abstract Builder<T, R> serializer(RequestSerializer<T> v);

    abstract Builder<T, R> deserializer(ResponseDeserializer<R> v);

    abstract Builder<T, R> instanceType(String v);

    abstract Builder<T, R> instanceCount(int v);

    abstract Builder<T, R> maxPayloadInMB(int v);

    abstract Builder<T, R> maxConcurrentTransforms(int v);

    abstract Builder<T, R> batchStrategy(BatchTransformSpec.BatchStrategy v);

    abstract Builder<T, R> environment(Map<String, String> v);

    abstract Builder<T, R> config(SageMakerClientConfiguration v);

    abstract Builder<T, R> stagingLocation(String v);

    abstract Builder<T, R> deleteStagingData(boolean v);

    abstract Builder<T, R> numShards(int v);

    abstract Builder<T, R> timeout(Duration v);

    abstract Builder<T, R> pollInterval(Duration v);

    abstract Builder<T, R> names(ResourceNamePolicy v);

    abstract SageMakerBatchTransform<T, R> build();
  }

  private static <T, R> Builder<T, R> defaults(
      RequestSerializer<T> serializer, ResponseDeserializer<R> deserializer) {
    if (serializer == null || deserializer == null) {
      throw new IllegalArgumentException(
          "SageMakerBatchTransform needs a request serializer and a response deserializer");
    }
    BatchTransformSpec.checkSplittable(serializer);
    return new AutoValue_SageMakerBatchTransform.Builder<T, R>()
        .serializer(serializer)
        .deserializer(deserializer)
        .instanceCount(1)
        .maxPayloadInMB(BatchTransformSpec.DEFAULT_MAX_PAYLOAD_IN_MB)
        .maxConcurrentTransforms(0)
        .batchStrategy(BatchTransformSpec.BatchStrategy.MULTI_RECORD)
        .environment(Map.of())
        .deleteStagingData(true)
        .numShards(4)
        .timeout(Duration.ofHours(2))
        .pollInterval(Duration.ofSeconds(5))
        .names(ResourceNamePolicy.withDefaultPrefix());
  }

  /** With an existing SageMaker model (CreateModel'd), which is kept. */
  public static <T, R> SageMakerBatchTransform<T, R> forModel(
      String modelName, RequestSerializer<T> serializer, ResponseDeserializer<R> deserializer) {
    ResourceNamePolicy.checkName("modelName", modelName);
    return SageMakerBatchTransform.<T, R>defaults(serializer, deserializer)
        .modelName(modelName)
        .build();
  }

  /**
   * With a model artifact ({@code s3://.../model.tar.gz}) served by {@code image}: a SageMaker
   * model is created for the job under {@code roleArn} and deleted after it.
   */
  public static <T, R> SageMakerBatchTransform<T, R> forArtifact(
      String image,
      String modelDataUrl,
      String roleArn,
      RequestSerializer<T> serializer,
      ResponseDeserializer<R> deserializer) {
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("forArtifact needs the serving image URI, got " + image);
    }
    if (modelDataUrl == null || !modelDataUrl.startsWith("s3://")) {
      throw new IllegalArgumentException(
          "forArtifact needs the s3:// URI of a model artifact, got " + modelDataUrl);
    }
    if (roleArn == null || roleArn.isBlank()) {
      throw new IllegalArgumentException(
          "forArtifact needs the IAM role SageMaker assumes to read the artifact, got " + roleArn);
    }
    return SageMakerBatchTransform.<T, R>defaults(serializer, deserializer)
        .image(image)
        .modelDataUrl(modelDataUrl)
        .roleArn(roleArn)
        .build();
  }

  /** With a model {@code SageMakerTrain} trained: its artifact, served by its training image. */
  public static <T, R> SageMakerBatchTransform<T, R> forTrainedModel(
      TrainedModel model,
      String roleArn,
      RequestSerializer<T> serializer,
      ResponseDeserializer<R> deserializer) {
    return forArtifact(
        model.trainingImage(), model.modelArtifactUri(), roleArn, serializer, deserializer);
  }

  /** Where SageMaker is: region, credentials, endpoints (required). */
  public SageMakerBatchTransform<T, R> withClientConfiguration(SageMakerClientConfiguration c) {
    if (c == null) {
      throw new IllegalArgumentException("withClientConfiguration needs a configuration, got null");
    }
    return toBuilder().config(c).build();
  }

  /** The instances of the job, e.g. {@code ml.m5.large} (required). */
  public SageMakerBatchTransform<T, R> withInstanceType(String instanceType) {
    return checked(toBuilder().instanceType(instanceType).build());
  }

  public SageMakerBatchTransform<T, R> withInstanceCount(int count) {
    return checked(toBuilder().instanceCount(count).build());
  }

  /** The largest request, in MB (1 to 100; SageMaker's default 6). */
  public SageMakerBatchTransform<T, R> withMaxPayloadInMB(int megabytes) {
    return checked(toBuilder().maxPayloadInMB(megabytes).build());
  }

  /** Requests in flight per instance (0: SageMaker chooses). */
  public SageMakerBatchTransform<T, R> withMaxConcurrentTransforms(int requests) {
    return checked(toBuilder().maxConcurrentTransforms(requests).build());
  }

  public SageMakerBatchTransform<T, R> withBatchStrategy(BatchTransformSpec.BatchStrategy s) {
    return checked(toBuilder().batchStrategy(s).build());
  }

  /** Added to the model container's environment for this job. */
  public SageMakerBatchTransform<T, R> withEnvironment(Map<String, String> environment) {
    return checked(toBuilder().environment(Map.copyOf(environment)).build());
  }

  /** Checks the job settings now (the instance type may still be missing) rather than at run. */
  private static <T, R> SageMakerBatchTransform<T, R> checked(SageMakerBatchTransform<T, R> t) {
    t.spec(t.instanceType() == null ? "ml.m5.large" : t.instanceType());
    return t;
  }

  private BatchTransformSpec spec(String instanceType) {
    return BatchTransformSpec.builder()
        .instanceType(instanceType)
        .instanceCount(instanceCount())
        .maxPayloadInMB(maxPayloadInMB())
        .maxConcurrentTransforms(maxConcurrentTransforms())
        .batchStrategy(batchStrategy())
        .environment(environment())
        .build();
  }

  /** Stage under this {@code s3://bucket/prefix} instead of the default SageMaker bucket. */
  public SageMakerBatchTransform<T, R> withStagingLocation(String s3Uri) {
    if (s3Uri == null || !s3Uri.startsWith("s3://") || URI.create(s3Uri).getHost() == null) {
      throw new IllegalArgumentException(
          "withStagingLocation needs an s3://bucket/prefix URI, got " + s3Uri);
    }
    return toBuilder().stagingLocation(s3Uri.replaceAll("/+$", "")).build();
  }

  /** Delete the staged input and output once the predictions are read (default true). */
  public SageMakerBatchTransform<T, R> withDeleteStagingData(boolean delete) {
    return toBuilder().deleteStagingData(delete).build();
  }

  /** Input objects (default 4); SageMaker spreads whole objects over the instances. */
  public SageMakerBatchTransform<T, R> withNumShards(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("withNumShards needs at least 1, got " + shards);
    }
    return toBuilder().numShards(shards).build();
  }

  /** How long the job may run before it is stopped (default 2 hours), and how often to poll. */
  public SageMakerBatchTransform<T, R> withTimeout(Duration timeout, Duration pollInterval) {
    if (timeout == null
        || timeout.isNegative()
        || timeout.isZero()
        || pollInterval == null
        || pollInterval.isNegative()
        || pollInterval.isZero()) {
      throw new IllegalArgumentException(
          "withTimeout needs positive durations, got timeout "
              + timeout
              + " and poll "
              + pollInterval);
    }
    return toBuilder().timeout(timeout).pollInterval(pollInterval).build();
  }

  /** How the job (and a created model) are named (default prefix {@code sagemaker-beam}). */
  public SageMakerBatchTransform<T, R> withNamePolicy(ResourceNamePolicy policy) {
    if (policy == null) {
      throw new IllegalArgumentException("withNamePolicy needs a policy, got null");
    }
    return toBuilder().names(policy).build();
  }

  @Override
  public InvokeEndpoint.Result<T, R> expand(PCollection<T> input) {
    Plan plan = plan();
    Coder<T> coder = input.getCoder();
    TupleTag<KV<Integer, List<T>>> stagedTag = new TupleTag<>("staged") {};
    TupleTag<PredictedElement<T, R>> successTag = new TupleTag<>("successes") {};
    TupleTag<FailedElement<T>> refusedTag = new TupleTag<>("refused") {};
    TupleTag<FailedElement<T>> failureTag = new TupleTag<>("failures") {};
    Coder<KV<Integer, List<T>>> shardCoder = KvCoder.of(VarIntCoder.of(), ListCoder.of(coder));

    PCollectionTuple staging =
        input
            .apply("AssignShard", ParDo.of(new AssignShardFn<>(coder, numShards())))
            .setCoder(KvCoder.of(VarIntCoder.of(), coder))
            .apply("GroupByShard", GroupByKey.create())
            .apply(
                "Stage",
                ParDo.of(new StageShardFn<>(plan, serializer(), stagedTag, refusedTag))
                    .withOutputTags(stagedTag, TupleTagList.of(refusedTag)));
    PCollection<KV<Integer, List<T>>> shards = staging.get(stagedTag).setCoder(shardCoder);
    PCollection<FailedElement<T>> refused =
        staging.get(refusedTag).setCoder(FailedElement.coder(coder));

    PCollectionView<JobOutcome> outcome =
        shards
            .apply("CountStaged", Count.globally())
            .apply("RunBatchTransformJob", ParDo.of(new RunJobFn(plan)))
            .setCoder(SerializableCoder.of(JobOutcome.class))
            .apply("Outcome", View.asSingleton());
    PCollectionTuple joined =
        shards.apply(
            "ReadPredictions",
            ParDo.of(new JoinFn<>(plan, deserializer(), outcome, successTag, failureTag))
                .withSideInputs(outcome)
                .withOutputTags(successTag, TupleTagList.of(failureTag)));
    PCollection<PredictedElement<T, R>> successes =
        joined
            .get(successTag)
            .setCoder(PredictedElement.coder(coder, deserializer().predictionCoder()));
    PCollection<FailedElement<T>> jobFailures =
        joined.get(failureTag).setCoder(FailedElement.coder(coder));
    PCollection<FailedElement<T>> failures =
        PCollectionList.of(refused).and(jobFailures).apply("AllFailures", Flatten.pCollections());

    if (deleteStagingData()) {
      input
          .getPipeline()
          .apply("StagingRoot", Create.of(plan.jobName).withCoder(StringUtf8Coder.of()))
          .apply("AfterPredictionsRead", Wait.on(successes, jobFailures))
          .apply("DeleteStagedData", ParDo.of(new DeleteStagedFn(plan.config, plan.staging)));
    }
    return InvokeEndpoint.Result.of(
        input.getPipeline(), successTag, successes, failureTag, failures);
  }

  /** Everything decided when the transform is applied. */
  private Plan plan() {
    if (config() == null) {
      throw new IllegalStateException(
          "SageMakerBatchTransform has no client configuration; call"
              + " withClientConfiguration(SageMakerClientConfiguration.forRegion(...) or"
              + " forLocal(...))");
    }
    if (instanceType() == null) {
      throw new IllegalStateException(
          "SageMakerBatchTransform has no instance type; call withInstanceType(\"ml.m5.large\")"
              + " (or another ml.* type)");
    }
    BatchTransformSpec spec = spec(instanceType());
    // the default bucket is resolved at run time: building the pipeline makes no AWS calls
    StagingLocation staging = StagingLocation.of(config(), stagingLocation());
    String jobName = names().newName(ResourceNamePolicy.Kind.TRANSFORM_JOB);
    String model =
        modelName() != null ? modelName() : names().newName(ResourceNamePolicy.Kind.MODEL);
    LOG.info(
        "SageMakerBatchTransform: job {} on model {} stages under {}/{}/",
        jobName,
        model,
        staging,
        jobName);
    return new Plan(
        config(),
        spec,
        jobName,
        model,
        modelName() == null,
        image(),
        modelDataUrl(),
        roleArn(),
        staging,
        serializer(),
        deserializer(),
        timeout(),
        pollInterval());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .addIfNotNull(DisplayData.item("modelName", modelName()))
        .addIfNotNull(DisplayData.item("modelDataUrl", modelDataUrl()))
        .add(DisplayData.item("contentType", serializer().contentType()))
        .add(DisplayData.item("accept", deserializer().accept()))
        .add(DisplayData.item("numShards", numShards()))
        .addIfNotNull(DisplayData.item("stagingLocation", stagingLocation()))
        .add(DisplayData.item("deleteStagingData", deleteStagingData()));
    if (config() != null) {
      builder.include(
          "clientConfiguration", (DisplayData.Builder b) -> config().populateDisplayData(b));
    }
  }

  /** What the job's steps need at run time. */
  static final class Plan implements Serializable {
    private static final long serialVersionUID = 1L;
    final SageMakerClientConfiguration config;
    final BatchTransformSpec spec;
    final String jobName;
    final String modelName;
    final boolean createModel;
    final String image;
    final String modelDataUrl;
    final String roleArn;
    final StagingLocation staging;
    final RequestSerializer<?> serializer;
    final ResponseDeserializer<?> deserializer;
    final Duration timeout;
    final Duration pollInterval;

    Plan(
        SageMakerClientConfiguration config,
        BatchTransformSpec spec,
        String jobName,
        String modelName,
        boolean createModel,
        String image,
        String modelDataUrl,
        String roleArn,
        StagingLocation staging,
        RequestSerializer<?> serializer,
        ResponseDeserializer<?> deserializer,
        Duration timeout,
        Duration pollInterval) {
      this.config = config;
      this.spec = spec;
      this.jobName = jobName;
      this.modelName = modelName;
      this.createModel = createModel;
      this.image = image;
      this.modelDataUrl = modelDataUrl;
      this.roleArn = roleArn;
      this.staging = staging;
      this.serializer = serializer;
      this.deserializer = deserializer;
      this.timeout = timeout;
      this.pollInterval = pollInterval;
    }

    /** {@code <staging>/<job>}, the default staging location resolved on first use. */
    String root() {
      return staging.resolve(jobName);
    }

    String input() {
      return root() + "/input";
    }

    String output() {
      return root() + "/output";
    }
  }

  /**
   * How the job ended: Completed, Failed, Stopped, or Empty when there was nothing to score. A
   * record, so that its {@code SerializableCoder} (one element per job) has the equals Beam checks
   * for.
   */
  record JobOutcome(String status, String failureReason) implements Serializable {}

  static final class AssignShardFn<T> extends DoFn<T, KV<Integer, T>> {
    private static final long serialVersionUID = 1L;
    private final Coder<T> coder;
    private final int numShards;
    private transient ByteArrayOutputStream buffer;

    AssignShardFn(Coder<T> coder, int numShards) {
      this.coder = coder;
      this.numShards = numShards;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<KV<Integer, T>> out) {
      if (buffer == null) {
        buffer = new ByteArrayOutputStream(1024);
      }
      buffer.reset();
      try {
        coder.encode(element, buffer);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.output(KV.of(TrainingDataShard.shardOf(buffer.toByteArray(), numShards), element));
    }
  }

  /** Writes one shard as one object; outputs its staged elements, in order. */
  static final class StageShardFn<T> extends DoFn<KV<Integer, Iterable<T>>, KV<Integer, List<T>>> {
    private static final long serialVersionUID = 1L;
    private final Plan plan;
    private final RequestSerializer<T> serializer;
    private final TupleTag<KV<Integer, List<T>>> stagedTag;
    private final TupleTag<FailedElement<T>> refusedTag;
    private transient S3Client s3;

    StageShardFn(
        Plan plan,
        RequestSerializer<T> serializer,
        TupleTag<KV<Integer, List<T>>> stagedTag,
        TupleTag<FailedElement<T>> refused) {
      this.plan = plan;
      this.serializer = serializer;
      this.stagedTag = stagedTag;
      this.refusedTag = refused;
    }

    @Setup
    public void setup() {
      s3 = SageMakerClients.s3(plan.config);
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<T>> shard, MultiOutputReceiver out) {
      List<T> written =
          BatchTransformShards.upload(
              s3,
              plan.input(),
              shard.getKey(),
              serializer,
              shard.getValue().iterator(),
              (element, e) ->
                  out.get(refusedTag)
                      .output(
                          new FailedElement<>(
                              element,
                              InvocationFailure.create(
                                  null,
                                  InvocationFailure.SERIALIZATION_ERROR,
                                  String.valueOf(e.getMessage()),
                                  null,
                                  null,
                                  null,
                                  0))));
      if (!written.isEmpty()) {
        out.get(stagedTag).output(KV.of(shard.getKey(), written));
      }
    }

    @Teardown
    public void teardown() {
      if (s3 != null) {
        s3.close();
      }
    }
  }

  /** Runs the job once every shard is staged (its input is the count of staged shards). */
  static final class RunJobFn extends DoFn<Long, JobOutcome> {
    private static final long serialVersionUID = 1L;
    private final Plan plan;

    RunJobFn(Plan plan) {
      this.plan = plan;
    }

    @ProcessElement
    public void process(@Element Long shards, OutputReceiver<JobOutcome> out) {
      if (shards == 0) {
        LOG.info("SageMakerBatchTransform: nothing to score, no job {} run", plan.jobName);
        out.output(new JobOutcome("Empty", null));
        return;
      }
      try (SageMakerClient client = SageMakerClients.sageMaker(plan.config)) {
        if (plan.createModel) {
          try {
            new EndpointDeployer(client, plan.timeout, plan.pollInterval)
                .createModel(
                    plan.modelName,
                    plan.image,
                    plan.modelDataUrl,
                    plan.roleArn,
                    Map.of(),
                    Map.of());
          } catch (SageMakerException e) {
            if (!String.valueOf(e.getMessage()).contains("already existing")) {
              throw e;
            }
            LOG.info("Model {} exists already (a retried step); using it", plan.modelName);
          }
        }
        try {
          DescribeTransformJobResponse job =
              new BatchTransformRunner(client, plan.timeout, plan.pollInterval)
                  .run(
                      plan.spec.toRequest(
                          plan.jobName,
                          plan.modelName,
                          plan.input() + "/",
                          plan.output() + "/",
                          plan.serializer,
                          plan.deserializer));
          out.output(new JobOutcome(job.transformJobStatusAsString(), job.failureReason()));
        } finally {
          if (plan.createModel) {
            new SageMakerResourceCleanup(client).deleteModel(plan.modelName);
          }
        }
      }
    }
  }

  /** Joins each shard's output back to its elements, in order. */
  static final class JoinFn<T, R> extends DoFn<KV<Integer, List<T>>, PredictedElement<T, R>> {
    private static final long serialVersionUID = 1L;
    private final Plan plan;
    private final ResponseDeserializer<R> deserializer;
    private final PCollectionView<JobOutcome> outcome;
    private final TupleTag<PredictedElement<T, R>> successTag;
    private final TupleTag<FailedElement<T>> failureTag;
    private transient S3Client s3;

    JoinFn(
        Plan plan,
        ResponseDeserializer<R> deserializer,
        PCollectionView<JobOutcome> outcome,
        TupleTag<PredictedElement<T, R>> successTag,
        TupleTag<FailedElement<T>> failureTag) {
      this.plan = plan;
      this.deserializer = deserializer;
      this.outcome = outcome;
      this.successTag = successTag;
      this.failureTag = failureTag;
    }

    @Setup
    public void setup() {
      s3 = SageMakerClients.s3(plan.config);
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, List<T>> shard, ProcessContext context, MultiOutputReceiver out) {
      JobOutcome job = context.sideInput(outcome);
      List<T> elements = shard.getValue();
      List<R> predictions;
      String problem;
      try {
        predictions =
            BatchTransformShards.read(
                s3, plan.output(), shard.getKey(), deserializer, elements.size());
        problem =
            predictions != null
                ? null
                : "batch transform job "
                    + plan.jobName
                    + " ended "
                    + job.status()
                    + " without output for "
                    + plan.input()
                    + "/"
                    + BatchTransformShards.inputName(shard.getKey())
                    + (job.failureReason() == null ? "" : ": " + job.failureReason());
      } catch (IllegalStateException e) {
        predictions = null;
        problem = e.getMessage();
      }
      if (predictions == null) {
        InvocationFailure failure =
            InvocationFailure.create(null, BATCH_TRANSFORM_FAILED, problem, null, null, null, 1);
        for (T element : elements) {
          out.get(failureTag).output(new FailedElement<>(element, failure));
        }
        return;
      }
      for (int i = 0; i < elements.size(); i++) {
        out.get(successTag).output(new PredictedElement<>(elements.get(i), predictions.get(i)));
      }
    }

    @Teardown
    public void teardown() {
      if (s3 != null) {
        s3.close();
      }
    }
  }

  /** Deletes the staged input and output of the job named by the element. */
  static final class DeleteStagedFn extends DoFn<String, Void> {
    private static final long serialVersionUID = 1L;
    private final SageMakerClientConfiguration config;
    private final StagingLocation staging;

    DeleteStagedFn(SageMakerClientConfiguration config, StagingLocation staging) {
      this.config = config;
      this.staging = staging;
    }

    @ProcessElement
    public void process(@Element String jobName) {
      String root = staging.resolve(jobName);
      StagingArea.deleteStagedData(() -> SageMakerClients.s3(config), URI.create(root + "/"));
      LOG.info("SageMakerBatchTransform: deleted the staged data under {}/", root);
    }
  }
}
