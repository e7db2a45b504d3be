package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.local.algorithm.Algorithm;
import java.util.Map;

/**
 * The algorithms SageMaker Local runs in-process, by the repository name of their SageMaker image
 * ({@code kmeans}, {@code pca}, ...): {@code <account>.dkr.ecr.<region>.amazonaws.com/kmeans:1}
 * selects the entry {@code kmeans}.
 */
public final class BuiltInAlgorithms {
  private BuiltInAlgorithms() {}

  /** Repository name to algorithm. */
  public static Map<String, Algorithm> all() {
    return Map.of();
  }
}
