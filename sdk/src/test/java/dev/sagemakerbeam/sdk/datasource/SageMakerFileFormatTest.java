package dev.sagemakerbeam.sdk.datasource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.io.AmazonRecordEncoder;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.RecordIoWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sagemaker} Spark data source: write -> read round trips and write validation. */
class SageMakerFileFormatTest {
  static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("SageMakerFileFormatTest")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void denseMlVectorsWithLabelsRoundTrip() {
    List<Row> rows = new ArrayList<>();
    Random random = new Random(1);
    for (int i = 0; i < 100; i++) {
      rows.add(RowFactory.create((double) (i % 3), Vectors.dense(floats(random, 784))));
    }
    Dataset<Row> back =
        roundTrip(frame(rows, DataTypes.DoubleType, SQLDataTypes.VectorType()), "dense");
    assertThat(counts(back.collectAsList()), equalTo(counts(rows)));
    assertThat(featureClasses(back), everyItem(equalTo(DenseVector.class)));
  }

  @Test
  void sparseMlVectorsStaySparse() {
    List<Row> rows = new ArrayList<>();
    Random random = new Random(2);
    for (int i = 0; i < 100; i++) {
      int[] indices = random.ints(0, 100_000).distinct().limit(50).sorted().toArray();
      rows.add(RowFactory.create(-1.5 * i, Vectors.sparse(100_000, indices, floats(random, 50))));
    }
    Dataset<Row> back =
        roundTrip(frame(rows, DataTypes.DoubleType, SQLDataTypes.VectorType()), "sparse");
    assertThat(counts(back.collectAsList()), equalTo(counts(rows)));
    assertThat(featureClasses(back), everyItem(equalTo(SparseVector.class)));
  }

  @Test
  void oldMllibVectorsAreWrittenAndReadBackAsMlVectors() {
    List<Row> rows =
        List.of(
            RowFactory.create(1.0, org.apache.spark.mllib.linalg.Vectors.dense(1, 2, 3)),
            RowFactory.create(
                2.0,
                org.apache.spark.mllib.linalg.Vectors.sparse(
                    5, new int[] {1, 4}, new double[] {0.5, 8})));
    Dataset<Row> back =
        roundTrip(
            frame(rows, DataTypes.DoubleType, new org.apache.spark.mllib.linalg.VectorUDT()),
            "mllib");
    List<Row> expected =
        List.of(
            RowFactory.create(1.0, Vectors.dense(1, 2, 3)),
            RowFactory.create(2.0, Vectors.sparse(5, new int[] {1, 4}, new double[] {0.5, 8})));
    assertThat(counts(back.collectAsList()), equalTo(counts(expected)));
  }

  @Test
  void optionsNameTheColumnsAndOtherColumnsAreIgnored() {
    StructType schema =
        new StructType(
            new StructField[] {
              new StructField("id", DataTypes.StringType, false, Metadata.empty()),
              new StructField("y", DataTypes.IntegerType, false, Metadata.empty()),
              new StructField("x", SQLDataTypes.VectorType(), false, Metadata.empty()),
              new StructField("label", DataTypes.StringType, false, Metadata.empty()),
            });
    Dataset<Row> df =
        spark.createDataFrame(
            List.of(
                RowFactory.create("a", 7, Vectors.dense(1, 2), "not a label"),
                RowFactory.create("b", 8, Vectors.dense(3, 4), "not a label")),
            schema);
    String path = dir.resolve("options").toString();
    df.write()
        .format("sagemaker")
        .option("labelColumnName", "y")
        .option("featuresColumnName", "x")
        .save(path);
    Dataset<Row> back = spark.read().format("sagemaker").load(path);
    assertThat(back.schema(), equalTo(SageMakerFileFormat.READ_SCHEMA));
    assertThat(
        counts(back.collectAsList()),
        equalTo(
            counts(
                List.of(
                    RowFactory.create(7.0, Vectors.dense(1, 2)),
                    RowFactory.create(8.0, Vectors.dense(3, 4))))));
  }

  @Test
  void framesWithoutALabelColumnGiveNullLabels() {
    StructType schema =
        new StructType(
            new StructField[] {
              new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty())
            });
    Dataset<Row> df =
        spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2))), schema);
    String path = dir.resolve("unlabelled").toString();
    df.write().format("sagemaker").save(path);
    List<Row> back = spark.read().format("sagemaker").load(path).collectAsList();
    assertThat(back.size(), is(1));
    assertThat(back.get(0).get(0), nullValue());
    assertThat(back.get(0).get(1), equalTo(Vectors.dense(1, 2)));
  }

  @Test
  void aFeaturesColumnThatIsNotAVectorFailsNamingTheColumnAndType() {
    StructType schema =
        new StructType(
            new StructField[] {
              new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
              new StructField(
                  "features",
                  DataTypes.createArrayType(DataTypes.DoubleType),
                  false,
                  Metadata.empty())
            });
    Dataset<Row> df =
        spark.createDataFrame(List.of(RowFactory.create(1.0, new double[] {1, 2})), schema);
    String message = writeFailure(df, Map.of());
    assertThat(message, containsString("features column 'features'"));
    assertThat(message, containsString("array<double>"));
    assertThat(message, containsString("VectorAssembler"));
  }

  @Test
  void aNonNumericLabelOrAMissingNamedColumnFailsWithTheFix() {
    StructType schema =
        new StructType(
            new StructField[] {
              new StructField("label", DataTypes.StringType, false, Metadata.empty()),
              new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty())
            });
    Dataset<Row> df =
        spark.createDataFrame(List.of(RowFactory.create("cat", Vectors.dense(1))), schema);
    String wrongType = writeFailure(df, Map.of());
    assertThat(wrongType, containsString("numeric label column, but 'label' has type string"));
    assertThat(wrongType, containsString("cast it to double"));
    String missingLabel = writeFailure(df, Map.of("labelColumnName", "target"));
    assertThat(missingLabel, containsString("no label column 'target'"));
    String missingFeatures =
        writeFailure(df, Map.of("featuresColumnName", "vec", "labelColumnName", "label"));
    assertThat(missingFeatures, containsString("no features column 'vec'"));
  }

  @Test
  void sparkLibsvmThroughSagemakerReadsBackEqual() {
    Dataset<Row> mnist =
        spark
            .read()
            .format("libsvm")
            .option("numFeatures", "784")
            .load("../data/mnist/mnist-test.libsvm.gz");
    List<Row> input = mnist.collectAsList();
    assertThat(input.size(), greaterThan(500));
    String path = dir.resolve("mnist").toString();
    mnist.write().format("sagemaker").save(path);
    Dataset<Row> back = spark.read().format("sagemaker").load(path);
    assertThat(counts(back.collectAsList()), equalTo(counts(input)));
  }

  @Test
  void aFileLargerThanOneSplitIsReadInSeveralPartitionsGivingEveryRecordOnce() {
    List<Row> rows = new ArrayList<>();
    Random random = new Random(3);
    for (int i = 0; i < 2000; i++) {
      rows.add(RowFactory.create((double) i, Vectors.dense(floats(random, 30))));
    }
    String path = dir.resolve("split").toString();
    frame(rows, DataTypes.DoubleType, SQLDataTypes.VectorType())
        .coalesce(1)
        .write()
        .format("sagemaker")
        .save(path);
    String previousMax = spark.conf().get("spark.sql.files.maxPartitionBytes");
    String previousOpen = spark.conf().get("spark.sql.files.openCostInBytes");
    try {
      spark.conf().set("spark.sql.files.maxPartitionBytes", "10001");
      spark.conf().set("spark.sql.files.openCostInBytes", "1");
      Dataset<Row> back = spark.read().format("sagemaker").load(path);
      assertThat(back.rdd().getNumPartitions(), greaterThan(10));
      List<Row> read = back.collectAsList();
      assertThat(read.size(), is(rows.size()));
      assertThat(counts(read), equalTo(counts(rows)));
      // a projection reads the same records
      assertThat(back.select("features").count(), is((long) rows.size()));
    } finally {
      spark.conf().set("spark.sql.files.maxPartitionBytes", previousMax);
      spark.conf().set("spark.sql.files.openCostInBytes", previousOpen);
    }
  }

  @Test
  void gzipFilesAreReadWhole() throws IOException {
    Path gz = Files.createDirectories(dir.resolve("gz"));
    AmazonRecordEncoder encoder = new AmazonRecordEncoder();
    try (RecordIoWriter writer =
        new RecordIoWriter(
            new GZIPOutputStream(Files.newOutputStream(gz.resolve("part-0.pbr.gz"))))) {
      writer.write(encoder.toByteArray(FeatureVector.dense(new double[] {1, 2}), 3.0));
      writer.write(encoder.toByteArray(FeatureVector.sparse(4, new int[] {3}, new double[] {5})));
    }
    List<Row> back = spark.read().format("sagemaker").load(gz.toString()).collectAsList();
    assertThat(
        counts(back),
        equalTo(
            counts(
                List.of(
                    RowFactory.create(3.0, Vectors.dense(1, 2)),
                    RowFactory.create(null, Vectors.sparse(4, new int[] {3}, new double[] {5}))))));
  }

  @Test
  void writtenFilesHaveThePbrExtension() throws IOException {
    Dataset<Row> df =
        frame(
            List.of(RowFactory.create(1.0, Vectors.dense(1))),
            DataTypes.DoubleType,
            SQLDataTypes.VectorType());
    Path out = dir.resolve("ext");
    df.write().format("sagemaker").save(out.toString());
    try (Stream<Path> files = Files.list(out)) {
      List<String> data =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith(".") && !n.startsWith("_"))
              .collect(Collectors.toList());
      assertThat(data.isEmpty(), is(false));
      assertThat(data, everyItem(org.hamcrest.Matchers.endsWith(".pbr")));
    }
  }

  private String writeFailure(Dataset<Row> df, Map<String, String> options) {
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                df.write()
                    .format("sagemaker")
                    .options(options)
                    .save(dir.resolve("failed").toString()));
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  private Dataset<Row> roundTrip(Dataset<Row> df, String name) {
    String path = dir.resolve(name).toString();
    df.write().format("sagemaker").save(path);
    return spark.read().format("sagemaker").load(path);
  }

  private static Dataset<Row> frame(
      List<Row> rows,
      org.apache.spark.sql.types.DataType labelType,
      org.apache.spark.sql.types.DataType vectorType) {
    StructType schema =
        new StructType(
            new StructField[] {
              new StructField("label", labelType, false, Metadata.empty()),
              new StructField("features", vectorType, false, Metadata.empty())
            });
    return spark.createDataFrame(rows, schema);
  }

  /** Values that float32 narrowing keeps exactly. */
  private static double[] floats(Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  /** Multiset of (label, features) pairs; ml vectors compare by value whether dense or sparse. */
  private static Map<List<Object>, Integer> counts(List<Row> rows) {
    Map<List<Object>, Integer> counts = new HashMap<>();
    for (Row row : rows) {
      counts.merge(Arrays.asList(row.get(0), row.get(1)), 1, Integer::sum);
    }
    return counts;
  }

  private static List<Class<?>> featureClasses(Dataset<Row> df) {
    return df.collectAsList().stream()
        .map(r -> (Class<?>) ((Vector) r.get(1)).getClass())
        .collect(Collectors.toList());
  }
}
