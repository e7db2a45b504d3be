package dev.sagemakerbeam.sdk.deserializers;

/**
 * Linear Learner binary classifier protobuf responses as Double columns, by default {@code score}
 * (the probability of label 1) and {@code predicted_label}.
 */
public final class LinearLearnerBinaryClassifierProtobufResponseRowDeserializer
    extends BinaryClassifierRowDeserializer {
  private static final long serialVersionUID = 1L;

  public LinearLearnerBinaryClassifierProtobufResponseRowDeserializer() {
    this("score", "predicted_label");
  }

  public LinearLearnerBinaryClassifierProtobufResponseRowDeserializer(
      String scoreColumnName, String predictedLabelColumnName) {
    super("Linear Learner", scoreColumnName, predictedLabelColumnName);
  }
}
