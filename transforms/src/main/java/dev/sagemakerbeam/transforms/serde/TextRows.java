package dev.sagemakerbeam.transforms.serde;

/** Number formatting shared by the text request formats (CSV, LibSVM, JSON). */
final class TextRows {
  private TextRows() {}

  /** Shortest round-trip form; integral values without a trailing ".0". */
  static void appendNumber(StringBuilder sb, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(
          "value " + v + " cannot be sent in a text format; replace NaN/Infinity before inference");
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      sb.append((long) v);
    } else {
      sb.append(v);
    }
  }
}
