package dev.sagemakerbeam.sdk.deserializers;

/**
 * Factorization Machines regressor protobuf responses as one Double column, by default {@code
 * score}.
 */
public final class FactorizationMachinesRegressorDeserializer extends RegressorRowDeserializer {
  private static final long serialVersionUID = 1L;

  public FactorizationMachinesRegressorDeserializer() {
    this("score");
  }

  public FactorizationMachinesRegressorDeserializer(String scoreColumnName) {
    super("Factorization Machines", scoreColumnName);
  }
}
