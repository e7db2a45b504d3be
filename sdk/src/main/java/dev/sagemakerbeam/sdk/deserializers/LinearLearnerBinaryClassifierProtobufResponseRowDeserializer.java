package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.transforms.serde.LinearLearnerPrediction;
import dev.sagemakerbeam.transforms.serde.LinearLearnerProtobufResponseDeserializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Linear Learner binary classifier protobuf responses as two double columns, by default {@code
 * score} (the probability of label 1) and {@code predicted_label}; decoding by the shared {@link
 * LinearLearnerProtobufResponseDeserializer}.
 */
public final class LinearLearnerBinaryClassifierProtobufResponseRowDeserializer
    extends DelegatingResponseRowDeserializer<LinearLearnerPrediction> {
  private static final long serialVersionUID = 1L;

  public LinearLearnerBinaryClassifierProtobufResponseRowDeserializer() {
    this("score", "predicted_label");
  }

  public LinearLearnerBinaryClassifierProtobufResponseRowDeserializer(
      String scoreColumnName, String predictedLabelColumnName) {
    super(
        new LinearLearnerProtobufResponseDeserializer(),
        new StructType()
            .add(scoreColumnName, DataTypes.DoubleType, false)
            .add(predictedLabelColumnName, DataTypes.DoubleType, false));
  }

  @Override
  protected Row toRow(LinearLearnerPrediction p) {
    if (!p.hasPredictedLabel() || p.scores().length != 1) {
      throw new IllegalArgumentException(
          "a binary classifier's answer has one score and a predicted_label, got "
              + p
              + ": is the endpoint's model a binary classifier?");
    }
    return RowFactory.create(p.score(), p.predictedLabel());
  }
}
