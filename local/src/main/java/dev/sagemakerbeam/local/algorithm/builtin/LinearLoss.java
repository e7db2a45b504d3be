package dev.sagemakerbeam.local.algorithm.builtin;

/**
 * Linear Learner's losses of one output score {@code s} against a label {@code y}: the value (the
 * {@code objective_loss} metric is its mean) and its derivative in {@code s}, which training
 * follows. Softmax is not here: it couples the scores of all classes ({@link
 * LinearLearnerTrainer}).
 */
enum LinearLoss {
  /** Cross-entropy of {@code sigmoid(s)} against a 0/1 label. */
  LOGISTIC("logistic"),
  /** {@code max(0, margin - y' s)} with {@code y'} the label as -1/+1. */
  HINGE("hinge_loss"),
  /** {@code (s - y)^2}. */
  SQUARED("squared_loss"),
  /** {@code |s - y|}. */
  ABSOLUTE("absolute_loss"),
  /** {@code max(0, |s - y| - eps)^2}. */
  EPS_INSENSITIVE_SQUARED("eps_insensitive_squared_loss"),
  /** {@code max(0, |s - y| - eps)}. */
  EPS_INSENSITIVE_ABSOLUTE("eps_insensitive_absolute_loss"),
  /**
   * Pinball loss of quantile {@code q}: {@code q (y - s)} above the label, {@code (1 - q)} below.
   */
  QUANTILE("quantile_loss"),
  /**
   * Squared below {@code delta}, linear above: {@code 0.5 r^2} or {@code delta (|r| - delta/2)}.
   */
  HUBER("huber_loss"),
  /** Cross-entropy of the softmax of the class scores. */
  SOFTMAX("softmax_loss");

  private final String hyperparameter;

  LinearLoss(String hyperparameter) {
    this.hyperparameter = hyperparameter;
  }

  String hyperparameter() {
    return hyperparameter;
  }

  static LinearLoss of(String hyperparameter) {
    for (LinearLoss l : values()) {
      if (l.hyperparameter.equals(hyperparameter)) {
        return l;
      }
    }
    throw new IllegalArgumentException("no Linear Learner loss " + hyperparameter);
  }

  /**
   * The loss of one score; {@code p} is the loss's parameter: margin (hinge), loss_insensitivity
   * (eps), quantile or huber_delta.
   */
  double value(double s, double y, double p) {
    switch (this) {
      case LOGISTIC:
        {
          // log(1 + e^s) - y s, computed without overflow
          double softplus = s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
          return softplus - y * s;
        }
      case HINGE:
        return Math.max(0, p - (2 * y - 1) * s);
      case SQUARED:
        return (s - y) * (s - y);
      case ABSOLUTE:
        return Math.abs(s - y);
      case EPS_INSENSITIVE_SQUARED:
        {
          double e = Math.max(0, Math.abs(s - y) - p);
          return e * e;
        }
      case EPS_INSENSITIVE_ABSOLUTE:
        return Math.max(0, Math.abs(s - y) - p);
      case QUANTILE:
        {
          double r = y - s;
          return r >= 0 ? p * r : (p - 1) * r;
        }
      case HUBER:
        {
          double r = Math.abs(s - y);
          return r <= p ? 0.5 * r * r : p * (r - 0.5 * p);
        }
      default:
        throw new IllegalStateException("softmax_loss is computed over all classes");
    }
  }

  /** The derivative of {@link #value} in {@code s}. */
  double derivative(double s, double y, double p) {
    switch (this) {
      case LOGISTIC:
        return sigmoid(s) - y;
      case HINGE:
        {
          double sign = 2 * y - 1;
          return p - sign * s > 0 ? -sign : 0;
        }
      case SQUARED:
        return 2 * (s - y);
      case ABSOLUTE:
        return Math.signum(s - y);
      case EPS_INSENSITIVE_SQUARED:
        {
          double r = s - y;
          double e = Math.abs(r) - p;
          return e > 0 ? 2 * e * Math.signum(r) : 0;
        }
      case EPS_INSENSITIVE_ABSOLUTE:
        {
          double r = s - y;
          return Math.abs(r) > p ? Math.signum(r) : 0;
        }
      case QUANTILE:
        {
          double r = y - s;
          return r > 0 ? -p : r < 0 ? 1 - p : 0;
        }
      case HUBER:
        return Math.max(-p, Math.min(p, s - y));
      default:
        throw new IllegalStateException("softmax_loss is computed over all classes");
    }
  }

  static double sigmoid(double s) {
    return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
  }
}
