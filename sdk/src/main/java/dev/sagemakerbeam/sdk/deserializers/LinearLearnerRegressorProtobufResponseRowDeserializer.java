package dev.sagemakerbeam.sdk.deserializers;

/** Linear Learner regressor protobuf responses as one Double column, by default {@code score}. */
public final class LinearLearnerRegressorProtobufResponseRowDeserializer
    extends RegressorRowDeserializer {
  private static final long serialVersionUID = 1L;

  public LinearLearnerRegressorProtobufResponseRowDeserializer() {
    this("score");
  }

  public LinearLearnerRegressorProtobufResponseRowDeserializer(String scoreColumnName) {
    super("Linear Learner", scoreColumnName);
  }
}
