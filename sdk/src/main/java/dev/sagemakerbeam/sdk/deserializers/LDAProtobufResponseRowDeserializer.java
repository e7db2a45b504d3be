package dev.sagemakerbeam.sdk.deserializers;

import dev.sagemakerbeam.transforms.serde.LdaPrediction;
import dev.sagemakerbeam.transforms.serde.LdaProtobufResponseDeserializer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * LDA protobuf responses as one vector column, by default {@code topic_mixture}: a Vector for any
 * number of topics (the original library gave a Double for one topic, against its own schema).
 */
public final class LDAProtobufResponseRowDeserializer
    extends DelegatingResponseRowDeserializer<LdaPrediction> {
  private static final long serialVersionUID = 1L;

  public LDAProtobufResponseRowDeserializer() {
    this("topic_mixture");
  }

  public LDAProtobufResponseRowDeserializer(String topicMixtureColumnName) {
    super(
        new LdaProtobufResponseDeserializer(),
        new StructType().add(topicMixtureColumnName, SQLDataTypes.VectorType(), false));
  }

  @Override
  protected Row toRow(LdaPrediction p) {
    return RowFactory.create(Vectors.dense(p.topicMixture()));
  }
}
