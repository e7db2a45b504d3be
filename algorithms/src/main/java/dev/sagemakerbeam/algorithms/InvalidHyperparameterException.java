package dev.sagemakerbeam.algorithms;

/**
 * A hyperparameter value that breaks its rule in the catalogue. The message is the same in every
 * layer: {@code "<algorithm> hyperparameter <name> = <value> is invalid: it must be <rule>"}, or
 * {@code "... <name> is required but not set ..."}.
 */
public final class InvalidHyperparameterException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String hyperparameter;
  private final String rule;

  InvalidHyperparameterException(
      String algorithm, String hyperparameter, String value, String rule) {
    super(
        algorithm
            + " hyperparameter "
            + hyperparameter
            + " = "
            + value
            + " is invalid: it must be "
            + rule);
    this.hyperparameter = hyperparameter;
    this.rule = rule;
  }

  InvalidHyperparameterException(String hyperparameter, String rule, String message) {
    super(message);
    this.hyperparameter = hyperparameter;
    this.rule = rule;
  }

  /** The hyperparameter's SageMaker name. */
  public String hyperparameter() {
    return hyperparameter;
  }

  /** The rule it breaks, in words. */
  public String rule() {
    return rule;
  }
}
