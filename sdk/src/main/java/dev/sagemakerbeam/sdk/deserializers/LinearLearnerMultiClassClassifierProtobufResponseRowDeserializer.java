package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.transforms.serde.ScoredPrediction;
import dev.sagemakerbeam.transforms.serde.ScoredProtobufResponseDeserializer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Linear Learner multiclass classifier protobuf responses as a vector column, by default {@code
 * score} (the probability of each class), and a double column, by default {@code predicted_label};
 * decoding by the shared {@link ScoredProtobufResponseDeserializer}.
 */
public final class LinearLearnerMultiClassClassifierProtobufResponseRowDeserializer
    extends DelegatingResponseRowDeserializer<ScoredPrediction> {
  private static final long serialVersionUID = 1L;

  public LinearLearnerMultiClassClassifierProtobufResponseRowDeserializer() {
    this("score", "predicted_label");
  }

  public LinearLearnerMultiClassClassifierProtobufResponseRowDeserializer(
      String scoreColumnName, String predictedLabelColumnName) {
    super(
        new ScoredProtobufResponseDeserializer(),
        new StructType()
            .add(scoreColumnName, SQLDataTypes.VectorType(), false)
            .add(predictedLabelColumnName, DataTypes.DoubleType, false));
  }

  @Override
  protected Row toRow(ScoredPrediction p) {
    if (!p.hasPredictedLabel()) {
      throw new IllegalArgumentException(
          "a multiclass classifier's answer has a predicted_label, got "
              + p
              + ": is the endpoint's model a multiclass classifier?");
    }
    return RowFactory.create(Vectors.dense(p.scores()), p.predictedLabel());
  }
}
