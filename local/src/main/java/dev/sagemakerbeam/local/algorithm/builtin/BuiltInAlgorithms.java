package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import java.util.Map;

/**
 * SageMaker's built-in algorithms that SageMaker Local runs in-process, by the repository name of
 * their image ({@code <account>.dkr.ecr.<region>.amazonaws.com/kmeans:1} selects {@code kmeans}).
 */
public final class BuiltInAlgorithms {
  private BuiltInAlgorithms() {}

  /**
   * Repository name to algorithm: {@code kmeans}, {@code pca}, {@code sagemaker-xgboost}, {@code
   * linear-learner} (and the retired first-party {@code xgboost} image's repository, for old image
   * URIs).
   */
  public static Map<String, Algorithm> all() {
    XGBoostAlgorithm xgboost = new XGBoostAlgorithm();
    return Map.of(
        AlgorithmCatalog.KMEANS.imageRepository(),
        new KMeansAlgorithm(),
        AlgorithmCatalog.PCA.imageRepository(),
        new PcaAlgorithm(),
        AlgorithmCatalog.XGBOOST.imageRepository(),
        xgboost,
        AlgorithmCatalog.LINEAR_LEARNER.imageRepository(),
        new LinearLearnerAlgorithm(),
        AlgorithmCatalog.FACTORIZATION_MACHINES.imageRepository(),
        new FactorizationMachinesAlgorithm(),
        AlgorithmCatalog.LDA.imageRepository(),
        new LdaAlgorithm(),
        "xgboost",
        xgboost);
  }
}
