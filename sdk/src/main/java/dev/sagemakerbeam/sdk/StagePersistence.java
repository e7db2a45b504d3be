package dev.sagemakerbeam.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.transforms.batch.BatchTransformSpec;
import dev.sagemakerbeam.transforms.config.AwsCredentialsSpec;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.hosting.CreatedResources;
import dev.sagemakerbeam.transforms.training.TrainedModel;
import dev.sagemakerbeam.transforms.tuning.HyperparameterRange;
import dev.sagemakerbeam.transforms.tuning.TuningJobSpec;
import dev.sagemakerbeam.transforms.tuning.TuningResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * How SageMaker stages are saved and loaded with Spark ML's persistence, so that {@code
 * Pipeline.save}/{@code PipelineModel.load} take them beside Spark's own stages.
 *
 * <p>A stage's directory holds {@code metadata/}, Spark's own JSON (class, uid, every Param and
 * default, written by {@code DefaultParamsWriter}), and {@code sagemaker/}, one JSON line with
 * every {@link SageMakerEstimatorOptions} option and, for a model, its endpoint, artifact, image,
 * role, training job, metrics and the resources it created. Both are text files written through
 * Hadoop's file system, so any path Spark can write ({@code file:}, {@code hdfs:}, {@code s3a:})
 * works.
 *
 * <p>Never saved: credentials. A client configuration with static keys is saved without them and
 * loaded with the SDK's default credential chain (environment variables, the {@code
 * aws.accessKeyId}/{@code aws.secretAccessKey} system properties, a profile or an instance role),
 * as a profile or the default chain are. Request serializers and response deserializers (and any
 * user class given for the role, S3 locations or names) are saved by class name with their Java
 * serialized state; loading checks first that the class is on the classpath and fails naming it if
 * not, and reads the state back accepting only classes of the JDK, Scala, Spark, this library and
 * the saved class's own package.
 */
final class StagePersistence {
  private static final Logger LOG = LoggerFactory.getLogger(StagePersistence.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String SAGEMAKER_DIR = "sagemaker";
  static final int FORMAT_VERSION = 1;

  private StagePersistence() {}

  // ---- files ----

  /** Writes Spark's metadata of {@code stage} and the SageMaker part under {@code path}. */
  static void saveStage(Params stage, ObjectNode sagemaker, String path, SparkContext sc) {
    DefaultParamsWriter$.MODULE$.saveMetadata(stage, path, sc, Option.empty(), Option.empty());
    sagemaker.put("formatVersion", FORMAT_VERSION);
    String line;
    try {
      line = JSON.writeValueAsString(sagemaker);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the SageMaker part of " + stage.uid(), e);
    }
    JavaSparkContext.fromSparkContext(sc)
        .parallelize(List.of(line), 1)
        .saveAsTextFile(new Path(path, SAGEMAKER_DIR).toString());
    LOG.info("Saved {} ({}) to {}", stage.uid(), stage.getClass().getSimpleName(), path);
  }

  /** A saved stage: Spark's metadata and the SageMaker part. */
  record Saved(DefaultParamsReader.Metadata metadata, ObjectNode sagemaker, String path) {
    /** Sets the saved Params (and defaults) on {@code stage}. */
    void setParams(Params stage) {
      metadata.getAndSetParams(stage, Option.empty());
    }
  }

  /** Reads what {@link #saveStage} wrote, checking the class is {@code expected} or a subclass. */
  static Saved read(String path, SparkContext sc, Class<?> expected) {
    DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sc, "");
    Class<?> saved = loadClass("the stage", metadata.className(), path);
    if (!expected.isAssignableFrom(saved)) {
      throw new IllegalArgumentException(
          path
              + " holds a "
              + metadata.className()
              + ", not a "
              + expected.getName()
              + "; load it with "
              + saved.getSimpleName()
              + ".load or Pipeline/PipelineModel.load");
    }
    String sagemakerPath = new Path(path, SAGEMAKER_DIR).toString();
    String line;
    try {
      line = sc.textFile(sagemakerPath, 1).first();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          path + " has no readable " + SAGEMAKER_DIR + "/ part; was it saved by this library?", e);
    }
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(line);
      int version = node.path("formatVersion").asInt(-1);
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException(
            path
                + " was saved in format version "
                + version
                + "; this library reads version "
                + FORMAT_VERSION);
      }
      return new Saved(metadata, node, path);
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalArgumentException(sagemakerPath + " is not valid JSON: " + e, e);
    }
  }

  /** A new instance of the saved class through its {@code (String uid)} constructor. */
  static <T> T instantiate(Saved saved, Class<T> type) {
    return instantiate(saved, type, new Class<?>[0]);
  }

  /**
   * A new instance of the saved class through its {@code (String uid, <more>...)} constructor,
   * given the saved uid and {@code args}.
   */
  static <T> T instantiate(Saved saved, Class<T> type, Class<?>[] more, Object... args) {
    Class<?> cls = loadClass("the stage", saved.metadata().className(), saved.path());
    Class<?>[] params = new Class<?>[more.length + 1];
    params[0] = String.class;
    System.arraycopy(more, 0, params, 1, more.length);
    Object[] values = new Object[args.length + 1];
    values[0] = saved.metadata().uid();
    System.arraycopy(args, 0, values, 1, args.length);
    try {
      return type.cast(cls.getConstructor(params).newInstance(values));
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          cls.getName()
              + " has no public "
              + java.util.Arrays.stream(params)
                  .map(Class::getSimpleName)
                  .collect(java.util.stream.Collectors.joining(", ", "(", ")"))
              + " constructor, which loading a saved stage needs",
          e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot create " + cls.getName() + " for " + saved.path() + ": " + e.getCause(), e);
    }
  }

  static Class<?> loadClass(String what, String className, String path) {
    try {
      return Class.forName(className, false, classLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(
          "cannot load "
              + path
              + ": "
              + what
              + " is a "
              + className
              + ", which is not on the classpath; add the jar that has it (e.g. with --jars)",
          e);
    }
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : StagePersistence.class.getClassLoader();
  }

  // ---- writers and readers ----

  /** Writes a {@link SageMakerEstimator}: Params and options. */
  static final class EstimatorWriter extends MLWriter {
    private final SageMakerEstimator estimator;

    EstimatorWriter(SageMakerEstimator estimator) {
      this.estimator = estimator;
    }

    @Override
    public void saveImpl(String path) {
      ObjectNode n = NODES.objectNode();
      n.set("options", optionsToJson(estimator.getOptions()));
      saveStage(estimator, n, path, sc());
    }
  }

  /** Reads any saved {@link SageMakerEstimator}, as the class that was saved. */
  static final class EstimatorReader extends MLReader<SageMakerEstimator> {
    @Override
    public SageMakerEstimator load(String path) {
      Saved saved = read(path, sc(), SageMakerEstimator.class);
      SageMakerEstimator estimator = instantiate(saved, SageMakerEstimator.class);
      estimator.setOptions(optionsFromJson(saved.sagemaker().get("options"), path));
      saved.setParams(estimator);
      return estimator;
    }
  }

  /** Writes a {@link SageMakerModel}: options, endpoint, artifact, image, role, job, metrics. */
  static final class ModelWriter extends MLWriter {
    private final SageMakerModel model;

    ModelWriter(SageMakerModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      ObjectNode n = NODES.objectNode();
      n.set("options", optionsToJson(model.getOptions()));
      ObjectNode m = n.putObject("model");
      m.put("endpointName", model.getEndpointName());
      m.put("modelPath", model.getModelPath());
      m.put("modelImage", model.getModelImage());
      m.put("roleArn", model.roleArn());
      m.put("trainingJobName", model.getTrainingJobName());
      ObjectNode metrics = m.putObject("trainingMetrics");
      model.trainingMetrics().forEach(metrics::put);
      CreatedResources created = model.getCreatedResources();
      m.putObject("createdResources")
          .put("modelName", created.modelName())
          .put("endpointConfigName", created.endpointConfigName())
          .put("endpointName", created.endpointName());
      if (model.tuningResult() != null) {
        m.set("tuningResult", tuningResultToJson(model.tuningResult()));
      }
      saveStage(model, n, path, sc());
    }
  }

  /** Reads a saved {@link SageMakerModel}; nothing is created or called. */
  static final class ModelReader extends MLReader<SageMakerModel> {
    @Override
    public SageMakerModel load(String path) {
      Saved saved = read(path, sc(), SageMakerModel.class);
      JsonNode m = saved.sagemaker().get("model");
      JsonNode created = m.get("createdResources");
      SageMakerModel model =
          SageMakerModel.restored(
              saved.metadata().uid(),
              optionsFromJson(saved.sagemaker().get("options"), path),
              text(m, "endpointName"),
              text(m, "modelPath"),
              text(m, "modelImage"),
              text(m, "roleArn"),
              text(m, "trainingJobName"),
              map(m.get("trainingMetrics"), JsonNode::asDouble),
              CreatedResources.of(
                  text(created, "modelName"),
                  text(created, "endpointConfigName"),
                  text(created, "endpointName")));
      if (m.hasNonNull("tuningResult")) {
        model.setTuningResult(tuningResultFromJson(m.get("tuningResult")));
      }
      saved.setParams(model);
      LOG.info(
          "Loaded model {} (endpoint {}, artifact {})",
          model.uid(),
          model.getEndpointName(),
          model.getModelPath());
      return model;
    }
  }

  /**
   * Writes a {@link SageMakerTuner}: its ranges, objective, strategy and limits, and the tuned
   * estimator under {@code <path>/estimator}.
   */
  static final class TunerWriter extends MLWriter {
    private final SageMakerTuner tuner;

    TunerWriter(SageMakerTuner tuner) {
      this.tuner = tuner;
    }

    @Override
    public void saveImpl(String path) {
      ObjectNode n = NODES.objectNode();
      ObjectNode t = n.putObject("tuner");
      t.put("strategy", tuner.getStrategy().name());
      t.put("objectiveMetric", tuner.getObjectiveMetric());
      t.put(
          "objectiveDirection",
          tuner.getObjectiveDirection() == null ? null : tuner.getObjectiveDirection().name());
      t.put("maxTrainingJobs", tuner.getMaxTrainingJobs());
      t.put("maxParallelTrainingJobs", tuner.getMaxParallelTrainingJobs());
      t.put("randomSeed", tuner.getRandomSeed());
      t.put("timeout", tuner.getTimeout() == null ? null : tuner.getTimeout().toString());
      ArrayNode ranges = t.putArray("ranges");
      for (HyperparameterRange range : tuner.getRanges()) {
        ObjectNode r = ranges.addObject();
        r.put("name", range.name());
        r.put("kind", range.kind().name());
        r.put("min", range.min());
        r.put("max", range.max());
        r.put("scaling", range.scaling().name());
        range.values().forEach(r.putArray("values")::add);
      }
      saveStage(tuner, n, path, sc());
      String estimatorPath = new Path(path, ESTIMATOR_DIR).toString();
      try {
        tuner.getEstimator().write().session(sparkSession()).save(estimatorPath);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(
            "cannot save the tuned estimator to " + estimatorPath, e);
      }
    }
  }

  static final String ESTIMATOR_DIR = "estimator";

  /** Reads a saved {@link SageMakerTuner} and its estimator; nothing is created or called. */
  static final class TunerReader extends MLReader<SageMakerTuner> {
    @Override
    public SageMakerTuner load(String path) {
      Saved saved = read(path, sc(), SageMakerTuner.class);
      SageMakerEstimator estimator =
          SageMakerEstimator.read()
              .session(sparkSession())
              .load(new Path(path, ESTIMATOR_DIR).toString());
      SageMakerTuner tuner =
          instantiate(
              saved, SageMakerTuner.class, new Class<?>[] {SageMakerEstimator.class}, estimator);
      JsonNode t = saved.sagemaker().get("tuner");
      for (JsonNode r : t.get("ranges")) {
        tuner.addRange(rangeFromJson(r, path));
      }
      tuner.setStrategy(TuningJobSpec.Strategy.valueOf(text(t, "strategy")));
      if (text(t, "objectiveMetric") != null) {
        tuner.setObjective(
            text(t, "objectiveMetric"),
            TuningJobSpec.Direction.valueOf(text(t, "objectiveDirection")));
      }
      tuner.setMaxTrainingJobs(t.get("maxTrainingJobs").asInt());
      tuner.setMaxParallelTrainingJobs(t.get("maxParallelTrainingJobs").asInt());
      if (t.hasNonNull("randomSeed")) {
        tuner.setRandomSeed(t.get("randomSeed").asInt());
      }
      if (text(t, "timeout") != null) {
        tuner.setTimeout(Duration.parse(text(t, "timeout")));
      }
      saved.setParams(tuner);
      LOG.info(
          "Loaded tuner {} of {} ({} ranges)",
          tuner.uid(),
          estimator.getClass().getSimpleName(),
          tuner.getRanges().size());
      return tuner;
    }

    private static HyperparameterRange rangeFromJson(JsonNode r, String path) {
      String name = text(r, "name");
      HyperparameterRange.Scaling scaling = HyperparameterRange.Scaling.valueOf(text(r, "scaling"));
      switch (HyperparameterRange.Kind.valueOf(text(r, "kind"))) {
        case INTEGER:
          return HyperparameterRange.integer(
              name, Long.parseLong(text(r, "min")), Long.parseLong(text(r, "max")), scaling);
        case CONTINUOUS:
          return HyperparameterRange.continuous(
              name,
              Double.parseDouble(text(r, "min")),
              Double.parseDouble(text(r, "max")),
              scaling);
        case CATEGORICAL:
          List<String> values = new java.util.ArrayList<>();
          r.get("values").forEach(v -> values.add(v.asText()));
          return HyperparameterRange.categorical(name, values.toArray(new String[0]));
        default:
          throw new IllegalArgumentException(path + ": unknown range kind in " + r);
      }
    }
  }

  // ---- tuning results ----

  static ObjectNode tuningResultToJson(TuningResult r) {
    ObjectNode n = NODES.objectNode();
    n.put("tuningJobName", r.tuningJobName());
    n.put("status", r.status());
    n.put("objectiveMetric", r.objectiveMetric());
    TrainedModel best = r.bestModel();
    ObjectNode b = n.putObject("bestModel");
    b.put("trainingJobName", best.trainingJobName());
    b.put("modelArtifactUri", best.modelArtifactUri());
    b.put("trainingImage", best.trainingImage());
    ObjectNode metrics = b.putObject("finalMetrics");
    best.finalMetrics().forEach(metrics::put);
    n.set("bestHyperparameters", stringMap(r.bestHyperparameters()));
    n.put("bestObjectiveValue", r.bestObjectiveValue());
    ArrayNode trials = n.putArray("trials");
    for (TuningResult.Trial t : r.trials()) {
      ObjectNode o = trials.addObject();
      o.put("trainingJobName", t.trainingJobName());
      o.put("status", t.status());
      o.set("tunedHyperparameters", stringMap(t.tunedHyperparameters()));
      o.put("objectiveValue", t.objectiveValue());
      o.put("failureReason", t.failureReason());
    }
    return n;
  }

  static TuningResult tuningResultFromJson(JsonNode n) {
    JsonNode b = n.get("bestModel");
    List<TuningResult.Trial> trials = new ArrayList<>();
    for (JsonNode o : n.get("trials")) {
      JsonNode value = o.get("objectiveValue");
      trials.add(
          TuningResult.Trial.of(
              text(o, "trainingJobName"),
              text(o, "status"),
              stringMap(o.get("tunedHyperparameters")),
              value == null || value.isNull() ? null : value.asDouble(),
              text(o, "failureReason")));
    }
    return TuningResult.of(
        text(n, "tuningJobName"),
        text(n, "status"),
        text(n, "objectiveMetric"),
        TrainedModel.of(
            text(b, "trainingJobName"),
            text(b, "modelArtifactUri"),
            text(b, "trainingImage"),
            map(b.get("finalMetrics"), JsonNode::asDouble)),
        stringMap(n.get("bestHyperparameters")),
        n.get("bestObjectiveValue").asDouble(),
        trials);
  }

  // ---- options ----

  static ObjectNode optionsToJson(SageMakerEstimatorOptions o) {
    ObjectNode n = NODES.objectNode();
    n.put("trainingImage", o.trainingImage());
    n.put("modelImage", o.modelImage());
    n.set("requestRowSerializer", component(o.requestRowSerializer()));
    n.set("responseRowDeserializer", component(o.responseRowDeserializer()));
    n.set("hyperParameters", stringMap(o.hyperParameters()));
    n.set("sagemakerRole", role(o.sagemakerRole()));
    n.put("trainingInstanceType", o.trainingInstanceType());
    n.put("trainingInstanceCount", o.trainingInstanceCount());
    n.put("trainingInstanceVolumeSizeInGB", o.trainingInstanceVolumeSizeInGB());
    n.put("endpointInstanceType", o.endpointInstanceType());
    n.put("endpointInitialInstanceCount", o.endpointInitialInstanceCount());
    n.put("trainingSparkDataFormat", o.trainingSparkDataFormat());
    n.set("trainingSparkDataFormatOptions", stringMap(o.trainingSparkDataFormatOptions()));
    if (o.trainingProjectedColumns() == null) {
      n.putNull("trainingProjectedColumns");
    } else {
      o.trainingProjectedColumns().forEach(n.putArray("trainingProjectedColumns")::add);
    }
    n.set("trainingInputS3DataPath", s3Resource(o.trainingInputS3DataPath()));
    n.set("trainingOutputS3DataPath", s3Resource(o.trainingOutputS3DataPath()));
    n.put("trainingChannelName", o.trainingChannelName());
    n.put("validationIndicatorColumnName", o.validationIndicatorColumnName());
    n.put("trainingContentType", o.trainingContentType());
    n.put("trainingS3DataDistribution", o.trainingS3DataDistribution());
    n.put("trainingCompressionCodec", o.trainingCompressionCodec());
    n.put("trainingMaxRuntimeInSeconds", o.trainingMaxRuntimeInSeconds());
    n.put("trainingKmsKeyId", o.trainingKmsKeyId());
    n.set("modelEnvironmentVariables", stringMap(o.modelEnvironmentVariables()));
    n.put("deleteStagingDataAfterTraining", o.deleteStagingDataAfterTraining());
    n.put("endpointCreationPolicy", o.endpointCreationPolicy().name());
    n.set("namePolicyFactory", namePolicy(o.namePolicyFactory()));
    n.set("clientConfiguration", clientConfiguration(o.clientConfiguration()));
    n.put(
        "modelPrependInputRowsToTransformationRows", o.modelPrependInputRowsToTransformationRows());
    n.put("modelErrorColumnName", o.modelErrorColumnName());
    n.put("maxRecordsPerRequest", o.maxRecordsPerRequest());
    n.put("maxInFlightRequests", o.maxInFlightRequests());
    n.put("pollInterval", o.pollInterval().toString());
    n.put("trainingTimeout", o.trainingTimeout() == null ? null : o.trainingTimeout().toString());
    n.put("endpointTimeout", o.endpointTimeout().toString());
    n.put("useBatchTransform", o.useBatchTransform());
    n.set("batchTransformS3DataPath", s3Resource(o.batchTransformS3DataPath()));
    n.put("batchTransformMaxPayloadInMB", o.batchTransformMaxPayloadInMB());
    n.put("batchTransformMaxConcurrentTransforms", o.batchTransformMaxConcurrentTransforms());
    n.put("batchTransformStrategy", o.batchTransformStrategy().name());
    n.put("deleteBatchTransformData", o.deleteBatchTransformData());
    n.put("batchTransformTimeout", o.batchTransformTimeout().toString());
    return n;
  }

  static SageMakerEstimatorOptions optionsFromJson(JsonNode n, String path) {
    SageMakerEstimatorOptions.Builder b = SageMakerEstimatorOptions.builder();
    b.trainingImage(text(n, "trainingImage"));
    b.modelImage(text(n, "modelImage"));
    b.requestRowSerializer(
        fromComponent(n.get("requestRowSerializer"), RequestRowSerializer.class, path));
    b.responseRowDeserializer(
        fromComponent(n.get("responseRowDeserializer"), ResponseRowDeserializer.class, path));
    b.hyperParameters(stringMap(n.get("hyperParameters")));
    b.sagemakerRole(roleFromJson(n.get("sagemakerRole"), path));
    b.trainingInstanceType(text(n, "trainingInstanceType"));
    b.trainingInstanceCount(n.get("trainingInstanceCount").asInt());
    b.trainingInstanceVolumeSizeInGB(n.get("trainingInstanceVolumeSizeInGB").asInt());
    b.endpointInstanceType(text(n, "endpointInstanceType"));
    b.endpointInitialInstanceCount(n.get("endpointInitialInstanceCount").asInt());
    if (text(n, "trainingSparkDataFormat") != null) {
      b.trainingSparkDataFormat(text(n, "trainingSparkDataFormat"));
    }
    b.trainingSparkDataFormatOptions(stringMap(n.get("trainingSparkDataFormatOptions")));
    JsonNode projected = n.get("trainingProjectedColumns");
    if (projected != null && projected.isArray()) {
      List<String> columns = new ArrayList<>();
      projected.forEach(c -> columns.add(c.asText()));
      b.trainingProjectedColumns(columns);
    }
    b.trainingInputS3DataPath(s3ResourceFromJson(n.get("trainingInputS3DataPath"), path));
    b.trainingOutputS3DataPath(s3ResourceFromJson(n.get("trainingOutputS3DataPath"), path));
    b.trainingChannelName(text(n, "trainingChannelName"));
    b.validationIndicatorColumnName(text(n, "validationIndicatorColumnName"));
    b.trainingContentType(text(n, "trainingContentType"));
    b.trainingS3DataDistribution(text(n, "trainingS3DataDistribution"));
    b.trainingCompressionCodec(text(n, "trainingCompressionCodec"));
    b.trainingMaxRuntimeInSeconds(n.get("trainingMaxRuntimeInSeconds").asInt());
    b.trainingKmsKeyId(text(n, "trainingKmsKeyId"));
    b.modelEnvironmentVariables(stringMap(n.get("modelEnvironmentVariables")));
    b.deleteStagingDataAfterTraining(n.get("deleteStagingDataAfterTraining").asBoolean());
    b.endpointCreationPolicy(EndpointCreationPolicy.valueOf(text(n, "endpointCreationPolicy")));
    b.namePolicyFactory(namePolicyFromJson(n.get("namePolicyFactory"), path));
    b.clientConfiguration(clientConfigurationFromJson(n.get("clientConfiguration"), path));
    b.modelPrependInputRowsToTransformationRows(
        n.get("modelPrependInputRowsToTransformationRows").asBoolean());
    b.modelErrorColumnName(text(n, "modelErrorColumnName"));
    b.maxRecordsPerRequest(n.get("maxRecordsPerRequest").asInt());
    b.maxInFlightRequests(n.get("maxInFlightRequests").asInt());
    b.pollInterval(Duration.parse(text(n, "pollInterval")));
    b.trainingTimeout(duration(n, "trainingTimeout"));
    b.endpointTimeout(Duration.parse(text(n, "endpointTimeout")));
    b.useBatchTransform(n.get("useBatchTransform").asBoolean());
    b.batchTransformS3DataPath(s3ResourceFromJson(n.get("batchTransformS3DataPath"), path));
    b.batchTransformMaxPayloadInMB(n.get("batchTransformMaxPayloadInMB").asInt());
    b.batchTransformMaxConcurrentTransforms(n.get("batchTransformMaxConcurrentTransforms").asInt());
    b.batchTransformStrategy(
        BatchTransformSpec.BatchStrategy.valueOf(text(n, "batchTransformStrategy")));
    b.deleteBatchTransformData(n.get("deleteBatchTransformData").asBoolean());
    b.batchTransformTimeout(Duration.parse(text(n, "batchTransformTimeout")));
    return b.build();
  }

  private static ObjectNode role(IAMRoleResource role) {
    if (role instanceof IAMRole r) {
      return NODES.objectNode().put("type", "IAMRole").put("arn", r.arn());
    }
    if (role instanceof IAMRoleFromConfig r) {
      return NODES.objectNode().put("type", "IAMRoleFromConfig").put("configKey", r.configKey());
    }
    return component(role);
  }

  private static IAMRoleResource roleFromJson(JsonNode n, String path) {
    switch (n.path("type").asText()) {
      case "IAMRole":
        return new IAMRole(text(n, "arn"));
      case "IAMRoleFromConfig":
        return new IAMRoleFromConfig(text(n, "configKey"));
      default:
        return fromComponent(n, IAMRoleResource.class, path);
    }
  }

  private static ObjectNode s3Resource(S3Resource resource) {
    if (resource instanceof S3DataPath p) {
      return NODES.objectNode().put("type", "S3DataPath").put("uri", p.toS3Uri());
    }
    if (resource instanceof S3PathFromConfig p) {
      return NODES.objectNode().put("type", "S3PathFromConfig").put("configKey", p.configKey());
    }
    if (resource instanceof S3AutoCreatePath) {
      return NODES.objectNode().put("type", "S3AutoCreatePath");
    }
    return component(resource);
  }

  private static S3Resource s3ResourceFromJson(JsonNode n, String path) {
    switch (n.path("type").asText()) {
      case "S3DataPath":
        return S3DataPath.parse(text(n, "uri"));
      case "S3PathFromConfig":
        return new S3PathFromConfig(text(n, "configKey"));
      case "S3AutoCreatePath":
        return new S3AutoCreatePath();
      default:
        return fromComponent(n, S3Resource.class, path);
    }
  }

  private static ObjectNode namePolicy(NamePolicyFactory factory) {
    if (factory instanceof NamePolicyFactory.Prefixed p) {
      return NODES.objectNode().put("type", "prefix").put("prefix", p.prefix());
    }
    return component(factory);
  }

  private static NamePolicyFactory namePolicyFromJson(JsonNode n, String path) {
    if (n.path("type").asText().equals("prefix")) {
      return NamePolicyFactory.withPrefix(text(n, "prefix"));
    }
    return fromComponent(n, NamePolicyFactory.class, path);
  }

  /** The configuration without its keys: region, endpoints, credential source, timeouts. */
  private static ObjectNode clientConfiguration(SageMakerClientConfiguration c) {
    ObjectNode n = NODES.objectNode();
    n.put("region", c.region());
    ObjectNode credentials = n.putObject("credentials");
    credentials.put("kind", c.credentials().kind().name());
    switch (c.credentials().kind()) {
      case PROFILE -> credentials.put("profileName", c.credentials().profileName());
      case STATIC ->
          credentials.put(
              "note", "static keys are never saved; loaded with the default credential chain");
      default -> {}
    }
    n.put("sageMakerEndpoint", uri(c.sageMakerEndpoint()));
    n.put("runtimeEndpoint", uri(c.runtimeEndpoint()));
    n.put("s3Endpoint", uri(c.s3Endpoint()));
    n.put("stsEndpoint", uri(c.stsEndpoint()));
    n.put("s3PathStyleAccess", c.s3PathStyleAccess());
    n.put("maxSdkRetries", c.maxSdkRetries());
    n.put("maxConnections", c.maxConnections());
    n.put("connectionTimeout", c.connectionTimeout().toString());
    n.put("connectionAcquisitionTimeout", c.connectionAcquisitionTimeout().toString());
    n.put("socketTimeout", c.socketTimeout().toString());
    n.put("runtimeSocketTimeout", c.runtimeSocketTimeout().toString());
    return n;
  }

  private static SageMakerClientConfiguration clientConfigurationFromJson(JsonNode n, String path) {
    SageMakerClientConfiguration.Builder b = SageMakerClientConfiguration.builder();
    if (text(n, "region") != null) {
      b.region(text(n, "region"));
    }
    JsonNode credentials = n.get("credentials");
    String kind = credentials.path("kind").asText();
    if (kind.equals("PROFILE")) {
      b.credentials(AwsCredentialsSpec.profile(text(credentials, "profileName")));
    } else {
      if (kind.equals("STATIC")) {
        LOG.info(
            "{} was saved with static credentials, which are never saved; it uses the default"
                + " credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the"
                + " aws.accessKeyId/aws.secretAccessKey system properties, a profile or an"
                + " instance role)",
            path);
      }
      b.credentials(AwsCredentialsSpec.defaultChain());
    }
    if (text(n, "sageMakerEndpoint") != null) {
      b.sageMakerEndpoint(URI.create(text(n, "sageMakerEndpoint")));
    }
    if (text(n, "runtimeEndpoint") != null) {
      b.runtimeEndpoint(URI.create(text(n, "runtimeEndpoint")));
    }
    if (text(n, "s3Endpoint") != null) {
      b.s3Endpoint(URI.create(text(n, "s3Endpoint")));
    }
    if (text(n, "stsEndpoint") != null) {
      b.stsEndpoint(URI.create(text(n, "stsEndpoint")));
    }
    b.s3PathStyleAccess(n.get("s3PathStyleAccess").asBoolean());
    b.maxSdkRetries(n.get("maxSdkRetries").asInt());
    b.maxConnections(n.get("maxConnections").asInt());
    b.connectionTimeout(Duration.parse(text(n, "connectionTimeout")));
    b.connectionAcquisitionTimeout(Duration.parse(text(n, "connectionAcquisitionTimeout")));
    b.socketTimeout(Duration.parse(text(n, "socketTimeout")));
    b.runtimeSocketTimeout(Duration.parse(text(n, "runtimeSocketTimeout")));
    return b.build();
  }

  // ---- components saved by class ----

  /** {@code {"class": ..., "javaSerialized": base64}}, or null for null. */
  static ObjectNode component(Serializable value) {
    if (value == null) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot save a " + value.getClass().getName() + ": it does not serialize (" + e + ")", e);
    }
    return NODES
        .objectNode()
        .put("class", value.getClass().getName())
        .put("javaSerialized", Base64.getEncoder().encodeToString(bytes.toByteArray()));
  }

  static <T> T fromComponent(JsonNode n, Class<T> type, String path) {
    if (n == null || n.isNull()) {
      return null;
    }
    String className = text(n, "class");
    Class<?> cls = loadClass("its " + type.getSimpleName(), className, path);
    if (!type.isAssignableFrom(cls)) {
      throw new IllegalArgumentException(
          "cannot load " + path + ": " + className + " is not a " + type.getName());
    }
    String pkg = cls.getPackageName() + ".";
    ObjectInputFilter filter =
        info -> {
          Class<?> c = info.serialClass();
          while (c != null && c.isArray()) {
            c = c.getComponentType();
          }
          if (c == null || c.isPrimitive()) {
            return ObjectInputFilter.Status.UNDECIDED;
          }
          String name = c.getName();
          return name.startsWith("java.")
                  || name.startsWith("scala.")
                  || name.startsWith("org.apache.spark.")
                  || name.startsWith("dev.sagemakerbeam.")
                  || name.startsWith(pkg)
              ? ObjectInputFilter.Status.ALLOWED
              : ObjectInputFilter.Status.REJECTED;
        };
    byte[] bytes = Base64.getDecoder().decode(text(n, "javaSerialized"));
    try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(filter);
      return type.cast(in.readObject());
    } catch (InvalidClassException e) {
      throw new IllegalArgumentException(
          "cannot load the " + className + " saved at " + path + ": " + e.getMessage(), e);
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "cannot read the " + className + " saved at " + path + ": " + e, e);
    }
  }

  /** Resolves classes through the context class loader, where Spark puts {@code --jars}. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    LoaderObjectInputStream(InputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, classLoader());
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }

  // ---- JSON helpers ----

  static ObjectNode stringMap(Map<String, String> map) {
    ObjectNode n = NODES.objectNode();
    map.forEach(n::put);
    return n;
  }

  static Map<String, String> stringMap(JsonNode n) {
    Map<String, String> map = new LinkedHashMap<>();
    if (n != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        map.put(e.getKey(), e.getValue().asText());
      }
    }
    return map;
  }

  static <T> Map<String, T> map(JsonNode n, Function<JsonNode, T> value) {
    Map<String, T> map = new LinkedHashMap<>();
    if (n != null) {
      n.fields().forEachRemaining(e -> map.put(e.getKey(), value.apply(e.getValue())));
    }
    return map;
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Duration duration(JsonNode n, String field) {
    String v = text(n, field);
    return v == null ? null : Duration.parse(v);
  }

  private static String uri(URI uri) {
    return uri == null ? null : uri.toString();
  }
}
