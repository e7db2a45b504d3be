package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.transforms.serde.ScoredPrediction;
import dev.sagemakerbeam.transforms.serde.ScoredProtobufResponseDeserializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A regressor's protobuf responses (Linear Learner's, Factorization Machines') as one double
 * column, the {@code score}; decoding by the shared {@link ScoredProtobufResponseDeserializer}.
 */
abstract class RegressorRowDeserializer
    extends DelegatingResponseRowDeserializer<ScoredPrediction> {
  private static final long serialVersionUID = 1L;
  private final String algorithm;

  RegressorRowDeserializer(String algorithm, String scoreColumnName) {
    super(
        new ScoredProtobufResponseDeserializer(),
        new StructType().add(scoreColumnName, DataTypes.DoubleType, false));
    this.algorithm = algorithm;
  }

  @Override
  protected Row toRow(ScoredPrediction p) {
    if (p.scores().length != 1) {
      throw new IllegalArgumentException(
          "a regressor's answer has one score, got "
              + p
              + ": is the endpoint's model a "
              + algorithm
              + " regressor?");
    }
    return RowFactory.create(p.score());
  }
}
