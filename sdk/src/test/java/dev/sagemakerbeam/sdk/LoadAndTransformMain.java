package dev.sagemakerbeam.sdk;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;

/**
 * Run in a JVM of its own by {@link PipelinePersistenceTest}: loads a saved {@code PipelineModel},
 * transforms a Parquet file with it and writes {@code id} and the chosen columns as JSON. Its
 * credentials come only from the {@code aws.accessKeyId}/{@code aws.secretAccessKey} system
 * properties it is started with, since saved stages hold none.
 *
 * <p>Arguments: the saved model, the input Parquet, the output directory, the columns to write.
 */
public final class LoadAndTransformMain {
  private LoadAndTransformMain() {}

  public static void main(String[] args) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("LoadAndTransformMain")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    try {
      PipelineModel model = PipelineModel.load(args[0]);
      String[] columns = new String[args.length - 3];
      System.arraycopy(args, 3, columns, 0, columns.length);
      model
          .transform(spark.read().parquet(args[1]))
          .select("id", columns)
          .coalesce(1)
          .write()
          .json(args[2]);
    } finally {
      spark.stop();
    }
  }
}
