package dev.sagemakerbeam.examples;

import dev.sagemakerbeam.sdk.SageMakerModel;
import dev.sagemakerbeam.sdk.algorithms.LDASageMakerEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * SageMaker's LDA from Spark ML on SageMaker Local, on documents written from known topics: ten
 * "bars" over a 5 x 5 grid of words (each topic one row or one column of the grid), each document
 * 100 words from a mixture of three random bars. After fitting, a document made of one bar only is
 * scored for each bar: a good model puts nearly all of its mixture on one topic, a different topic
 * for each bar. Then a few mixed documents are scored. The endpoint is deleted at the end.
 *
 * <pre>
 * LdaExample [--aws --role ARN]
 * </pre>
 */
public final class LdaExample {
  private static final int GRID = 5;
  private static final int WORDS = GRID * GRID;
  private static final int BARS = 2 * GRID;

  private LdaExample() {}

  /** The words of bar {@code b}: row b of the grid for b below 5, else column b - 5. */
  static int[] bar(int b) {
    int[] words = new int[GRID];
    for (int i = 0; i < GRID; i++) {
      words[i] = b < GRID ? b * GRID + i : i * GRID + (b - GRID);
    }
    return words;
  }

  /**
   * A document of {@code length} words: each from one of {@code bars}, chosen by {@code weights}.
   */
  static Vector document(int[] bars, double[] weights, int length, Random random) {
    double[] counts = new double[WORDS];
    for (int n = 0; n < length; n++) {
      double u = random.nextDouble();
      int b = 0;
      while (b < bars.length - 1 && u > weights[b]) {
        u -= weights[b];
        b++;
      }
      counts[bar(bars[b])[random.nextInt(GRID)]]++;
    }
    return Vectors.dense(counts).compressed();
  }

  public static void main(String[] args) throws Exception {
    try (ExampleSession session = ExampleSession.start("LdaExample", args)) {
      Random random = new Random(7);
      List<Row> docs = new ArrayList<>();
      for (int d = 0; d < 2000; d++) {
        int[] bars = {random.nextInt(BARS), random.nextInt(BARS), random.nextInt(BARS)};
        double a = random.nextDouble();
        double b = random.nextDouble() * (1 - a);
        docs.add(RowFactory.create(document(bars, new double[] {a, b, 1 - a - b}, 100, random)));
      }
      StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false);
      Dataset<Row> corpus = session.spark.createDataFrame(docs, schema);
      SageMakerModel model = null;
      try {
        model =
            new LDASageMakerEstimator(session.options().build())
                .setNumTopics(BARS)
                .setFeatureDim(WORDS)
                .setMiniBatchSize(2000)
                .setAlpha0(1)
                .setMaxIterations(200)
                .setTol(1e-6)
                .fit(corpus);
        System.out.println("LDA training metrics: " + model.trainingMetrics());
        List<Row> pure = new ArrayList<>();
        for (int b = 0; b < BARS; b++) {
          pure.add(RowFactory.create(document(new int[] {b}, new double[] {1}, 100, random)));
        }
        List<Row> mixtures =
            model.transform(session.spark.createDataFrame(pure, schema)).collectAsList();
        java.util.Set<Integer> topics = new java.util.HashSet<>();
        for (int b = 0; b < BARS; b++) {
          Vector mixture = mixtures.get(b).getAs("topic_mixture");
          topics.add(mixture.argmax());
          System.out.printf(
              "bar %d (%s %d): topic %d holds %.2f of its mixture%n",
              b,
              b < GRID ? "row" : "column",
              b % GRID,
              mixture.argmax(),
              mixture.apply(mixture.argmax()));
        }
        System.out.printf("The %d bars map to %d distinct topics%n", BARS, topics.size());
        for (Row row : model.transform(corpus.limit(3)).collectAsList()) {
          System.out.println("document topic_mixture " + row.getAs("topic_mixture"));
        }
      } finally {
        session.deleteCreatedResources(model);
      }
    }
  }
}
