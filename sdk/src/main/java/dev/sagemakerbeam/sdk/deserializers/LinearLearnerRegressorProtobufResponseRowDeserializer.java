package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.transforms.serde.LinearLearnerPrediction;
import dev.sagemakerbeam.transforms.serde.LinearLearnerProtobufResponseDeserializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Linear Learner regressor protobuf responses as one double column, by default {@code score};
 * decoding by the shared {@link LinearLearnerProtobufResponseDeserializer}.
 */
public final class LinearLearnerRegressorProtobufResponseRowDeserializer
    extends DelegatingResponseRowDeserializer<LinearLearnerPrediction> {
  private static final long serialVersionUID = 1L;

  public LinearLearnerRegressorProtobufResponseRowDeserializer() {
    this("score");
  }

  public LinearLearnerRegressorProtobufResponseRowDeserializer(String scoreColumnName) {
    super(
        new LinearLearnerProtobufResponseDeserializer(),
        new StructType().add(scoreColumnName, DataTypes.DoubleType, false));
  }

  @Override
  protected Row toRow(LinearLearnerPrediction p) {
    if (p.scores().length != 1) {
      throw new IllegalArgumentException(
          "a regressor's answer has one score, got "
              + p
              + ": is the endpoint's model a regressor?");
    }
    return RowFactory.create(p.score());
  }
}
