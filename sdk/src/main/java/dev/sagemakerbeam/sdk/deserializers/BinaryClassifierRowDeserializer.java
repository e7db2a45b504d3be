package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.transforms.serde.ScoredPrediction;
import dev.sagemakerbeam.transforms.serde.ScoredProtobufResponseDeserializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A binary classifier's protobuf responses (Linear Learner's, Factorization Machines') as two
 * double columns: the {@code score} (the probability of label 1) and the {@code predicted_label};
 * decoding by the shared {@link ScoredProtobufResponseDeserializer}.
 */
abstract class BinaryClassifierRowDeserializer
    extends DelegatingResponseRowDeserializer<ScoredPrediction> {
  private static final long serialVersionUID = 1L;
  private final String algorithm;

  BinaryClassifierRowDeserializer(
      String algorithm, String scoreColumnName, String predictedLabelColumnName) {
    super(
        new ScoredProtobufResponseDeserializer(),
        new StructType()
            .add(scoreColumnName, DataTypes.DoubleType, false)
            .add(predictedLabelColumnName, DataTypes.DoubleType, false));
    this.algorithm = algorithm;
  }

  @Override
  protected Row toRow(ScoredPrediction p) {
    if (!p.hasPredictedLabel() || p.scores().length != 1) {
      throw new IllegalArgumentException(
          "a binary classifier's answer has one score and a predicted_label, got "
              + p
              + ": is the endpoint's model a "
              + algorithm
              + " binary classifier?");
    }
    return RowFactory.create(p.score(), p.predictedLabel());
  }
}
