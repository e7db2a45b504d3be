package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.transforms.batch.BatchTransformRunner;
import dev.sagemakerbeam.transforms.batch.BatchTransformShards;
import dev.sagemakerbeam.transforms.batch.BatchTransformSpec;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.hosting.EndpointDeployer;
import dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup;
import dev.sagemakerbeam.transforms.naming.ResourceNamePolicy;
import dev.sagemakerbeam.transforms.training.StagingArea;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTransformJobResponse;
import software.amazon.awssdk.services.sagemaker.model.TransformJobStatus;

/**
 * {@link SageMakerModel#batchTransform} on Spark: the rows are fixed once ({@code
 * localCheckpoint}), each partition is staged by its executor as one object through {@link
 * BatchTransformShards}, the driver runs one job through {@link BatchTransformRunner} on a
 * SageMaker model (created for the job from the artifact and deleted after it, or the existing
 * endpoint's), and each partition then reads its {@code .out} object back and joins it to its rows
 * in order. The result is materialized before the staged input and output are deleted, so it does
 * not depend on them.
 */
final class BatchTransformExecution {
  private static final Logger LOG = LoggerFactory.getLogger(BatchTransformExecution.class);

  private BatchTransformExecution() {}

  static Dataset<Row> run(
      SageMakerModel model, Dataset<?> dataset, StructType outputSchema, String existingModel) {
    SageMakerEstimatorOptions o = model.getOptions();
    SageMakerClientConfiguration config = o.clientConfiguration();
    String region = SageMakerClients.resolveRegion(config);
    ResourceNamePolicy names = o.namePolicyFactory().createNamePolicy();
    String jobName = names.newName(ResourceNamePolicy.Kind.TRANSFORM_JOB);
    SparkConf conf = SageMakerEstimator.effectiveConf(dataset.sparkSession());
    S3DataPath root;
    try (S3Client s3 = SageMakerClients.s3(config)) {
      root =
          SageMakerEstimator.resolve(
                  "batchTransformS3DataPath",
                  o.batchTransformS3DataPath(),
                  conf,
                  config,
                  s3,
                  region)
              .resolve(jobName);
    }
    String input = root.resolve("input").toS3Uri();
    String output = root.resolve("output").toS3Uri();
    boolean keepFailed = o.modelErrorColumnName() != null;

    Dataset<Row> rows = dataset.toDF().localCheckpoint(true);
    String temporaryModel = null;
    try {
      List<StagedPartition> staged =
          rows.javaRDD()
              .mapPartitionsWithIndex(
                  new StagePartition(config, input, o.requestRowSerializer(), keepFailed), false)
              .collect();
      Map<Integer, StagedPartition> byIndex = new HashMap<>();
      long records = 0;
      for (StagedPartition p : staged) {
        byIndex.put(p.index, p);
        records += p.records;
      }
      LOG.info(
          "Batch transform {}: staged {} rows in {} objects under {}",
          jobName,
          records,
          staged.stream().filter(p -> p.records > 0).count(),
          input);

      String failure = null;
      if (records > 0) {
        String modelName = existingModel;
        try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
          if (modelName == null) {
            temporaryModel = names.newName(ResourceNamePolicy.Kind.MODEL);
            new EndpointDeployer(client, o.endpointTimeout(), o.pollInterval())
                .createModel(
                    temporaryModel,
                    model.getModelImage(),
                    model.getModelPath(),
                    model.roleArn(),
                    o.modelEnvironmentVariables(),
                    Map.of());
            modelName = temporaryModel;
          }
          BatchTransformSpec spec =
              BatchTransformSpec.builder()
                  .instanceType(o.endpointInstanceType())
                  .instanceCount(o.endpointInitialInstanceCount())
                  .maxPayloadInMB(o.batchTransformMaxPayloadInMB())
                  .maxConcurrentTransforms(o.batchTransformMaxConcurrentTransforms())
                  .batchStrategy(o.batchTransformStrategy())
                  .build();
          DescribeTransformJobResponse job =
              new BatchTransformRunner(client, o.batchTransformTimeout(), o.pollInterval())
                  .run(
                      spec.toRequest(
                          jobName,
                          modelName,
                          input + "/",
                          output + "/",
                          o.requestRowSerializer(),
                          o.responseRowDeserializer()));
          if (job.transformJobStatus() != TransformJobStatus.COMPLETED) {
            if (!keepFailed) {
              BatchTransformRunner.requireCompleted(job);
            }
            failure =
                "BatchTransformJob "
                    + jobName
                    + " "
                    + job.transformJobStatusAsString()
                    + ": "
                    + job.failureReason();
          }
        }
      }
      Dataset<Row> result =
          dataset
              .sparkSession()
              .createDataFrame(
                  rows.javaRDD()
                      .mapPartitionsWithIndex(
                          new JoinPartition(
                              config,
                              output,
                              o.responseRowDeserializer(),
                              byIndex,
                              o.modelPrependInputRowsToTransformationRows(),
                              keepFailed,
                              failure),
                          true),
                  outputSchema)
              .localCheckpoint(true);
      LOG.info("Batch transform {}: {} rows out", jobName, records);
      return result;
    } finally {
      rows.unpersist();
      if (temporaryModel != null) {
        try (SageMakerClient client = SageMakerClients.sageMaker(config)) {
          new SageMakerResourceCleanup(client).deleteModel(temporaryModel);
        }
      }
      if (o.deleteBatchTransformData()) {
        StagingArea.deleteStagedData(
            () -> SageMakerClients.s3(config), URI.create(root.toS3Uri() + "/"));
      } else {
        LOG.info("Batch transform {}: input and output kept under {}", jobName, root.toS3Uri());
      }
    }
  }

  /** One partition's staging: how many rows went to its object, and the rows refused. */
  static final class StagedPartition implements Serializable {
    private static final long serialVersionUID = 1L;
    final int index;
    final int records;

    /** Position in the partition -> why the serializer refused it. */
    final Map<Integer, String> refused;

    StagedPartition(int index, int records, Map<Integer, String> refused) {
      this.index = index;
      this.records = records;
      this.refused = refused;
    }
  }

  private static final class StagePartition
      implements Function2<Integer, Iterator<Row>, Iterator<StagedPartition>> {
    private static final long serialVersionUID = 1L;
    private final SageMakerClientConfiguration config;
    private final String input;
    private final RequestRowSerializer serializer;
    private final boolean keepFailed;

    StagePartition(
        SageMakerClientConfiguration config,
        String input,
        RequestRowSerializer serializer,
        boolean keepFailed) {
      this.config = config;
      this.input = input;
      this.serializer = serializer;
      this.keepFailed = keepFailed;
    }

    @Override
    public Iterator<StagedPartition> call(Integer index, Iterator<Row> rows) {
      Map<Integer, String> refused = new HashMap<>();
      int[] position = {0};
      Iterator<Row> counted =
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return rows.hasNext();
            }

            @Override
            public Row next() {
              position[0]++;
              return rows.next();
            }
          };
      List<Row> written;
      try (S3Client s3 = SageMakerClients.s3(config)) {
        written =
            BatchTransformShards.upload(
                s3,
                input,
                index,
                serializer,
                counted,
                (row, e) -> {
                  if (!keepFailed) {
                    throw new IllegalArgumentException(
                        "cannot serialize a row for batch transform: "
                            + e.getMessage()
                            + "; set modelErrorColumnName to keep such rows with the error",
                        e);
                  }
                  refused.put(position[0] - 1, "SerializationError: " + e.getMessage());
                });
      }
      return List.of(new StagedPartition(index, written.size(), refused)).iterator();
    }
  }

  private static final class JoinPartition
      implements Function2<Integer, Iterator<Row>, Iterator<Row>> {
    private static final long serialVersionUID = 1L;
    private final SageMakerClientConfiguration config;
    private final String output;
    private final ResponseRowDeserializer deserializer;
    private final Map<Integer, StagedPartition> staged;
    private final boolean prepend;
    private final boolean keepFailed;
    private final String jobFailure;

    JoinPartition(
        SageMakerClientConfiguration config,
        String output,
        ResponseRowDeserializer deserializer,
        Map<Integer, StagedPartition> staged,
        boolean prepend,
        boolean keepFailed,
        String jobFailure) {
      this.config = config;
      this.output = output;
      this.deserializer = deserializer;
      this.staged = staged;
      this.prepend = prepend;
      this.keepFailed = keepFailed;
      this.jobFailure = jobFailure;
    }

    @Override
    public Iterator<Row> call(Integer index, Iterator<Row> rows) {
      StagedPartition part = staged.get(index);
      List<Row> predictions = null;
      if (part != null && part.records > 0) {
        try (S3Client s3 = SageMakerClients.s3(config)) {
          predictions = BatchTransformShards.read(s3, output, index, deserializer, part.records);
        }
        if (predictions == null && !keepFailed) {
          throw new IllegalStateException(
              "batch transform wrote no "
                  + BatchTransformShards.outputName(index)
                  + " under "
                  + output
                  + (jobFailure == null ? "" : " (" + jobFailure + ")"));
        }
      }
      int width = deserializer.schema().fields().length;
      List<Row> out = new ArrayList<>();
      int position = 0;
      int next = 0;
      while (rows.hasNext()) {
        Row row = rows.next();
        String refused = part == null ? null : part.refused.get(position);
        position++;
        if (refused != null) {
          out.add(PartitionInference.combine(row, null, width, refused, prepend, keepFailed));
        } else if (predictions == null) {
          out.add(
              PartitionInference.combine(
                  row,
                  null,
                  width,
                  jobFailure != null ? jobFailure : "BatchTransformError: no output",
                  prepend,
                  keepFailed));
        } else {
          out.add(
              PartitionInference.combine(
                  row, predictions.get(next++), width, null, prepend, keepFailed));
        }
      }
      return out.iterator();
    }
  }
}
