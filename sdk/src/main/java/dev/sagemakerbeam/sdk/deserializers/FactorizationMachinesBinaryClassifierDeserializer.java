package dev.sagemakerbeam.sdk.deserializers;

/**
 * Factorization Machines binary classifier protobuf responses as Double columns, by default {@code
 * score} (the probability of label 1) and {@code predicted_label}.
 */
public final class FactorizationMachinesBinaryClassifierDeserializer
    extends BinaryClassifierRowDeserializer {
  private static final long serialVersionUID = 1L;

  public FactorizationMachinesBinaryClassifierDeserializer() {
    this("score", "predicted_label");
  }

  public FactorizationMachinesBinaryClassifierDeserializer(
      String scoreColumnName, String predictedLabelColumnName) {
    super("Factorization Machines", scoreColumnName, predictedLabelColumnName);
  }
}
