package dev.sagemakerbeam.local.transform;

import static dev.sagemakerbeam.local.server.RequestFields.checkEnum;
import static dev.sagemakerbeam.local.server.RequestFields.optionalInt;
import static dev.sagemakerbeam.local.server.RequestFields.optionalObject;
import static dev.sagemakerbeam.local.server.RequestFields.optionalString;
import static dev.sagemakerbeam.local.server.RequestFields.requireInt;
import static dev.sagemakerbeam.local.server.RequestFields.requireName;
import static dev.sagemakerbeam.local.server.RequestFields.requireObject;
import static dev.sagemakerbeam.local.server.RequestFields.requireString;
import static dev.sagemakerbeam.local.server.RequestFields.stringMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.local.hosting.Models;
import dev.sagemakerbeam.local.server.ApiException;
import dev.sagemakerbeam.local.server.ListFilter;
import dev.sagemakerbeam.local.server.ListPage;
import dev.sagemakerbeam.local.server.ServiceContext;
import dev.sagemakerbeam.local.storage.S3DataSource;
import dev.sagemakerbeam.local.storage.S3Location;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch transform operations: CreateTransformJob validates the request as SageMaker does (the
 * model must exist, the input must name at least one S3 object) and starts a {@link
 * TransformJobRun} in the background; Describe/List read the job's description; StopTransformJob
 * asks the run to stop.
 */
public final class TransformJobs implements AutoCloseable {
  static final String KIND = "transform-jobs";
  private static final Logger LOG = LoggerFactory.getLogger(TransformJobs.class);

  /** SageMaker's default MaxPayloadInMB. */
  static final int DEFAULT_MAX_PAYLOAD_MB = 6;

  private static final Pattern INSTANCE_TYPE = Pattern.compile("ml\\.[a-z0-9-]+\\.[a-z0-9]+");
  private static final Pattern ENVIRONMENT_KEY = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,1023}");

  private final ServiceContext context;
  private final Models models;
  private final Map<String, TransformJobRun> jobs = new ConcurrentHashMap<>();
  private final ExecutorService runners =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "sagemaker-local-transform");
            t.setDaemon(true);
            return t;
          });

  /** Loads the jobs kept under the data directory; jobs that were running are marked Failed. */
  public TransformJobs(ServiceContext context, Models models) {
    this.context = context;
    this.models = models;
    for (Map.Entry<String, ObjectNode> entry : context.state().loadAll(KIND).entrySet()) {
      jobs.put(entry.getKey(), TransformJobRun.restored(context, entry.getValue()));
    }
  }

  /** CreateTransformJob. */
  public ObjectNode create(JsonNode request) {
    String name = requireName(request, "TransformJobName");
    String modelName = requireString(request, "ModelName", "ModelName");

    Integer maxConcurrent =
        optionalInt(
            request, "MaxConcurrentTransforms", "MaxConcurrentTransforms", 0, Integer.MAX_VALUE);
    Integer maxPayload = optionalInt(request, "MaxPayloadInMB", "MaxPayloadInMB", 0, 100);
    int payloadMb = maxPayload == null ? DEFAULT_MAX_PAYLOAD_MB : maxPayload;
    if (maxConcurrent != null && (long) maxConcurrent * payloadMb > 100) {
      throw ApiException.validation(
          "MaxConcurrentTransforms ("
              + maxConcurrent
              + ") * MaxPayloadInMB ("
              + payloadMb
              + (maxPayload == null ? ", the default" : "")
              + ") must not exceed 100 MB");
    }
    String batchStrategy = optionalString(request, "BatchStrategy", "BatchStrategy");
    if (batchStrategy != null) {
      checkEnum("BatchStrategy", batchStrategy, "MultiRecord", "SingleRecord");
    }
    Map<String, String> environment =
        stringMap(request, "Environment", "Environment", 16, 1024, 10240);
    for (String key : environment.keySet()) {
      if (!ENVIRONMENT_KEY.matcher(key).matches()) {
        throw ApiException.validation(
            "Value '"
                + key
                + "' at 'Environment' failed to satisfy constraint: Map keys must satisfy"
                + " regular expression pattern: [a-zA-Z_][a-zA-Z0-9_]{0,1023}");
      }
    }
    JsonNode clientConfig = optionalObject(request, "ModelClientConfig", "ModelClientConfig");
    if (clientConfig != null) {
      optionalInt(
          clientConfig,
          "InvocationsTimeoutInSeconds",
          "ModelClientConfig.InvocationsTimeoutInSeconds",
          1,
          3600);
      optionalInt(
          clientConfig, "InvocationsMaxRetries", "ModelClientConfig.InvocationsMaxRetries", 0, 3);
    }

    JsonNode input = requireObject(request, "TransformInput", "TransformInput");
    JsonNode dataSource = requireObject(input, "DataSource", "TransformInput.DataSource");
    JsonNode s3Source =
        requireObject(dataSource, "S3DataSource", "TransformInput.DataSource.S3DataSource");
    String dataType =
        checkEnum(
            "TransformInput.DataSource.S3DataSource.S3DataType",
            requireString(
                s3Source, "S3DataType", "TransformInput.DataSource.S3DataSource.S3DataType"),
            "ManifestFile",
            "S3Prefix",
            "AugmentedManifestFile",
            "Converse");
    if (!dataType.equals("ManifestFile") && !dataType.equals("S3Prefix")) {
      throw ApiException.validation(
          "S3DataType "
              + dataType
              + " is not supported by SageMaker Local's batch transform; use S3Prefix or"
              + " ManifestFile");
    }
    String inputUri =
        requireString(s3Source, "S3Uri", "TransformInput.DataSource.S3DataSource.S3Uri");
    S3Location inputLocation =
        S3Location.parse("TransformInput.DataSource.S3DataSource.S3Uri", inputUri);
    optionalString(input, "ContentType", "TransformInput.ContentType");
    String compression = optionalString(input, "CompressionType", "TransformInput.CompressionType");
    if (compression != null) {
      checkEnum("TransformInput.CompressionType", compression, "None", "Gzip");
    }
    String splitType = optionalString(input, "SplitType", "TransformInput.SplitType");
    if (splitType != null) {
      checkEnum("TransformInput.SplitType", splitType, "None", "Line", "RecordIO", "TFRecord");
      if (splitType.equals("TFRecord")) {
        throw ApiException.validation(
            "TransformInput.SplitType TFRecord is not supported by SageMaker Local; use None,"
                + " Line or RecordIO");
      }
    }

    JsonNode output = requireObject(request, "TransformOutput", "TransformOutput");
    S3Location.parse(
        "TransformOutput.S3OutputPath",
        requireString(output, "S3OutputPath", "TransformOutput.S3OutputPath"));
    optionalString(output, "Accept", "TransformOutput.Accept");
    String assembleWith = optionalString(output, "AssembleWith", "TransformOutput.AssembleWith");
    if (assembleWith != null) {
      checkEnum("TransformOutput.AssembleWith", assembleWith, "None", "Line");
    }
    optionalString(output, "KmsKeyId", "TransformOutput.KmsKeyId");

    JsonNode resources = requireObject(request, "TransformResources", "TransformResources");
    String instanceType =
        requireString(resources, "InstanceType", "TransformResources.InstanceType");
    if (!INSTANCE_TYPE.matcher(instanceType).matches()) {
      throw ApiException.validation(
          "Value '"
              + instanceType
              + "' at 'TransformResources.InstanceType' failed to satisfy constraint: Member"
              + " must be an ML instance type such as ml.m5.large");
    }
    requireInt(resources, "InstanceCount", "TransformResources.InstanceCount", 1, 100);

    JsonNode dataProcessing = optionalObject(request, "DataProcessing", "DataProcessing");
    if (dataProcessing != null) {
      checkDataProcessing(dataProcessing);
    }
    if (request.hasNonNull("DataCaptureConfig")) {
      throw ApiException.validation(
          "DataCaptureConfig is not supported by SageMaker Local; leave it out");
    }

    ObjectNode model = models.get(modelName).deepCopy();
    // As SageMaker does, an input that names no object is refused before the job starts.
    List<S3DataSource.Entry> objects;
    try {
      objects = S3DataSource.list(context.s3(), dataType, inputLocation);
    } catch (S3DataSource.InvalidDataSourceException e) {
      throw ApiException.validation(e.getMessage());
    }
    if (objects.isEmpty()) {
      throw ApiException.validation(
          "No S3 objects found under S3 URL \""
              + inputUri
              + "\" given in input data source. Please ensure that the bucket exists in the"
              + " selected region ("
              + context.region()
              + "), that objects exist under that S3 prefix.");
    }

    ObjectNode description = context.mapper().createObjectNode();
    double now = ServiceContext.now();
    description.put("TransformJobName", name);
    description.put("TransformJobArn", context.arn("transform-job", name));
    description.put("TransformJobStatus", "InProgress");
    description.put("ModelName", modelName);
    description.put("MaxConcurrentTransforms", maxConcurrent == null ? 1 : maxConcurrent);
    if (clientConfig != null) {
      description.set("ModelClientConfig", clientConfig.deepCopy());
    }
    description.put("MaxPayloadInMB", payloadMb);
    description.put("BatchStrategy", batchStrategy == null ? "MultiRecord" : batchStrategy);
    if (!environment.isEmpty()) {
      description.set("Environment", context.mapper().valueToTree(environment));
    }
    description.set("TransformInput", input.deepCopy());
    description.set("TransformOutput", output.deepCopy());
    description.set("TransformResources", resources.deepCopy());
    if (dataProcessing != null) {
      description.set("DataProcessing", dataProcessing.deepCopy());
    }
    description.put("CreationTime", now);
    description.put("LastModifiedTime", now);

    TransformJobRun run;
    synchronized (jobs) {
      if (jobs.containsKey(name)) {
        throw ApiException.inUse(
            "Job name must be unique within an AWS account and region, and a job with this name"
                + " already exists ("
                + context.arn("transform-job", name)
                + ")");
      }
      run = new TransformJobRun(context, description, model);
      jobs.put(name, run);
      context.state().save(KIND, name, description);
    }
    runners.submit(run::run);
    LOG.debug(
        "Transform job {} created: model {}, {} input object(s) under {}",
        name,
        modelName,
        objects.size(),
        inputUri);
    ObjectNode response = context.mapper().createObjectNode();
    response.put("TransformJobArn", description.get("TransformJobArn").asText());
    return response;
  }

  /** DescribeTransformJob. */
  public ObjectNode describe(JsonNode request) {
    return find(requireString(request, "TransformJobName", "TransformJobName")).snapshot();
  }

  /** StopTransformJob. */
  public ObjectNode stop(JsonNode request) {
    find(requireString(request, "TransformJobName", "TransformJobName")).requestStop();
    return context.mapper().createObjectNode();
  }

  /**
   * ListTransformJobs (NameContains, StatusEquals, CreationTime/LastModifiedTime After/Before,
   * SortBy, SortOrder, MaxResults, NextToken).
   */
  public ObjectNode list(JsonNode request) {
    ListFilter filter =
        ListFilter.of(
            request,
            "TransformJobName",
            "TransformJobStatus",
            "InProgress",
            "Completed",
            "Failed",
            "Stopping",
            "Stopped");
    List<ObjectNode> summaries =
        filter.summaries(
            context.mapper(),
            jobs.values().stream().map(TransformJobRun::snapshot).toList(),
            "TransformJobName",
            "TransformJobArn",
            "CreationTime",
            "TransformEndTime",
            "LastModifiedTime",
            "TransformJobStatus",
            "FailureReason");
    return ListPage.page(
        context.mapper(),
        request,
        summaries,
        "TransformJobSummaries",
        "TransformJobName",
        new String[] {"Name", "CreationTime", "Status"});
  }

  private TransformJobRun find(String name) {
    TransformJobRun run = jobs.get(name);
    if (run == null) {
      throw ApiException.validation("Could not find requested job with name " + name);
    }
    return run;
  }

  private static void checkDataProcessing(JsonNode dataProcessing) {
    String inputFilter =
        optionalString(dataProcessing, "InputFilter", "DataProcessing.InputFilter");
    String outputFilter =
        optionalString(dataProcessing, "OutputFilter", "DataProcessing.OutputFilter");
    String joinSource = optionalString(dataProcessing, "JoinSource", "DataProcessing.JoinSource");
    if (joinSource != null) {
      checkEnum("DataProcessing.JoinSource", joinSource, "Input", "None");
    }
    if (inputFilter != null && !inputFilter.equals("$")
        || outputFilter != null && !outputFilter.equals("$")
        || "Input".equals(joinSource)) {
      throw ApiException.validation(
          "DataProcessing (InputFilter, OutputFilter and JoinSource Input) is not supported by"
              + " SageMaker Local; leave it out or keep its defaults (InputFilter \"$\","
              + " OutputFilter \"$\", JoinSource None)");
    }
  }

  @Override
  public void close() {
    for (TransformJobRun run : jobs.values()) {
      if (run.isActive()) {
        try {
          run.requestStop();
        } catch (ApiException e) {
          // finished meanwhile
        }
      }
    }
    runners.shutdown();
    try {
      if (!runners.awaitTermination(15, TimeUnit.SECONDS)) {
        runners.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
