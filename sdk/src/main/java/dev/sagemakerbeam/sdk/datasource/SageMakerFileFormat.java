package dev.sagemakerbeam.sdk.datasource;

import java.io.IOException;
import java.io.Serializable;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.FileFormat;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.collection.Seq;
import scala.collection.immutable.Map;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The {@code sagemaker} Spark data source: DataFrames as RecordIO-wrapped Amazon Records, the
 * training data format of SageMaker's built-in algorithms.
 *
 * <pre>{@code
 * df.write().format("sagemaker")
 *     .option("labelColumnName", "label")        // default "label"; a numeric column, optional
 *     .option("featuresColumnName", "features")  // default "features"; an ml or mllib Vector
 *     .save("s3a://bucket/train/");
 * Dataset<Row> back = spark.read().format("sagemaker").load("s3a://bucket/train/");
 * // back: label double (null for unlabelled records), features ml Vector (sparse where stored sparse)
 * }</pre>
 *
 * <p>Records are encoded by {@code io}'s {@code AmazonRecordEncoder} and framed by its {@code
 * RecordIoWriter}; reading splits files at record boundaries through {@code RecordIoRange}, as
 * Beam's source does. Feature values and labels are narrowed to float32 on write.
 */
public final class SageMakerFileFormat implements FileFormat, DataSourceRegister, Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerFileFormat.class);

  /** The format name for {@code format(...)}. */
  public static final String SHORT_NAME = "sagemaker";

  /** Write option: the label column (default {@value #DEFAULT_LABEL_COLUMN}). */
  public static final String LABEL_COLUMN_OPTION = "labelColumnName";

  /** Write option: the features column (default {@value #DEFAULT_FEATURES_COLUMN}). */
  public static final String FEATURES_COLUMN_OPTION = "featuresColumnName";

  public static final String DEFAULT_LABEL_COLUMN = "label";
  public static final String DEFAULT_FEATURES_COLUMN = "features";

  /** File extension of written files, as the original SageMaker Spark library used. */
  public static final String FILE_EXTENSION = ".pbr";

  /**
   * The schema of read data: {@code label} double (null for unlabelled records) and {@code
   * features} ml Vector (never null in practice, but file sources report every column nullable).
   */
  public static final StructType READ_SCHEMA =
      new StructType(
          new StructField[] {
            new StructField(DEFAULT_LABEL_COLUMN, DataTypes.DoubleType, true, Metadata.empty()),
            new StructField(
                DEFAULT_FEATURES_COLUMN, SQLDataTypes.VectorType(), true, Metadata.empty())
          });

  /** Public no-argument constructor, used by Spark's data source lookup. */
  public SageMakerFileFormat() {}

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public Option<StructType> inferSchema(
      SparkSession spark, Map<String, String> options, Seq<FileStatus> files) {
    return Option.apply(READ_SCHEMA);
  }

  @Override
  public OutputWriterFactory prepareWrite(
      SparkSession spark, Job job, Map<String, String> options, StructType dataSchema) {
    WriteColumns columns = WriteColumns.resolve(dataSchema, WriteColumns.optionsOf(options));
    LOG.info("Writing DataFrame as SageMaker RecordIO-protobuf: {}", columns);
    return new RecordWriterFactory(columns);
  }

  @Override
  public boolean isSplitable(SparkSession spark, Map<String, String> options, Path path) {
    return isUncompressed(spark.sessionState().newHadoopConf(), path);
  }

  @Override
  public scala.Function1<PartitionedFile, scala.collection.Iterator<InternalRow>> buildReader(
      SparkSession spark,
      StructType dataSchema,
      StructType partitionSchema,
      StructType requiredSchema,
      Seq<Filter> filters,
      Map<String, String> options,
      Configuration hadoopConf) {
    for (StructField field : requiredSchema.fields()) {
      if (!READ_SCHEMA.getFieldIndex(field.name()).isDefined()) {
        throw new IllegalArgumentException(
            "the sagemaker format reads columns "
                + String.join(", ", READ_SCHEMA.fieldNames())
                + "; column '"
                + field.name()
                + "' is not one of them (do not give read() a schema with other columns)");
      }
    }
    Broadcast<SerializableConfiguration> conf =
        spark
            .sparkContext()
            .broadcast(
                new SerializableConfiguration(hadoopConf),
                ClassTag$.MODULE$.apply(SerializableConfiguration.class));
    return new ReadFunction(conf, requiredSchema);
  }

  @Override
  public String toString() {
    return "SageMaker";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SageMakerFileFormat;
  }

  @Override
  public int hashCode() {
    return SageMakerFileFormat.class.hashCode();
  }

  static boolean isUncompressed(Configuration conf, Path path) {
    return new CompressionCodecFactory(conf).getCodec(path) == null;
  }

  /** Opens each file split on an executor and reads its records into rows. */
  private static final class ReadFunction
      extends AbstractFunction1<PartitionedFile, scala.collection.Iterator<InternalRow>>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<SerializableConfiguration> conf;
    private final StructType requiredSchema;

    ReadFunction(Broadcast<SerializableConfiguration> conf, StructType requiredSchema) {
      this.conf = conf;
      this.requiredSchema = requiredSchema;
    }

    @Override
    public scala.collection.Iterator<InternalRow> apply(PartitionedFile file) {
      try {
        RecordRowIterator rows =
            RecordRowIterator.open(
                conf.value().value(), file.toPath(), file.start(), file.length(), requiredSchema);
        return scala.collection.JavaConverters.asScalaIteratorConverter(rows).asScala();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(
            "cannot open " + file.toPath() + " at byte " + file.start() + ": " + e.getMessage(), e);
      }
    }
  }

  private static final class RecordWriterFactory extends OutputWriterFactory {
    private static final long serialVersionUID = 1L;
    private final WriteColumns columns;

    RecordWriterFactory(WriteColumns columns) {
      this.columns = columns;
    }

    @Override
    public String getFileExtension(TaskAttemptContext context) {
      return FILE_EXTENSION;
    }

    @Override
    public OutputWriter newInstance(
        String path, StructType dataSchema, TaskAttemptContext context) {
      try {
        return new RecordOutputWriter(path, context.getConfiguration(), columns);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot create " + path + ": " + e.getMessage(), e);
      }
    }
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
