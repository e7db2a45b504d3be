package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;
import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.algorithms.RegistryAccounts;

/**
 * Image URIs of SageMaker's built-in algorithms: {@code
 * <account>.dkr.ecr.<region>.<domain>/<repository>:<tag>}, with the repository, default tag and
 * registry accounts of the algorithm catalogue ({@link AlgorithmSpec}).
 *
 * <p>Immutable; {@link #withTag} and {@link #withAccount} return adjusted copies.
 */
public final class BuiltInAlgorithmImages implements ImageUriResolver {
  private static final long serialVersionUID = 1L;

  private final String repository;
  private final String tag;
  private final RegistryAccounts accounts;

  private BuiltInAlgorithmImages(String repository, String tag, RegistryAccounts accounts) {
    this.repository = repository;
    this.tag = tag;
    this.accounts = accounts;
  }

  /** The catalogue's image of {@code algorithm} with its default tag. */
  public static BuiltInAlgorithmImages of(AlgorithmSpec algorithm) {
    return new BuiltInAlgorithmImages(
        algorithm.imageRepository(), algorithm.defaultImageTag(), algorithm.registry());
  }

  /** SageMaker's K-Means image ({@code kmeans:1}). */
  public static BuiltInAlgorithmImages kmeans() {
    return of(AlgorithmCatalog.KMEANS);
  }

  /** SageMaker's PCA image ({@code pca:1}). */
  public static BuiltInAlgorithmImages pca() {
    return of(AlgorithmCatalog.PCA);
  }

  /** SageMaker's XGBoost framework image ({@code sagemaker-xgboost:1.7-1}). */
  public static BuiltInAlgorithmImages xgboost() {
    return of(AlgorithmCatalog.XGBOOST);
  }

  /** SageMaker's Linear Learner image ({@code linear-learner:1}). */
  public static BuiltInAlgorithmImages linearLearner() {
    return of(AlgorithmCatalog.LINEAR_LEARNER);
  }

  /** SageMaker's Factorization Machines image ({@code factorization-machines:1}). */
  public static BuiltInAlgorithmImages factorizationMachines() {
    return of(AlgorithmCatalog.FACTORIZATION_MACHINES);
  }

  /** SageMaker's LDA image ({@code lda:1}). */
  public static BuiltInAlgorithmImages lda() {
    return of(AlgorithmCatalog.LDA);
  }

  /** Another image tag, e.g. {@code latest}. */
  public BuiltInAlgorithmImages withTag(String newTag) {
    if (newTag == null || !newTag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
      throw new IllegalArgumentException("image tag '" + newTag + "' is not a valid Docker tag");
    }
    return new BuiltInAlgorithmImages(repository, newTag, accounts);
  }

  /** Another registry account for a region (a new region, or a mirror). */
  public BuiltInAlgorithmImages withAccount(String region, String account) {
    return new BuiltInAlgorithmImages(repository, tag, accounts.with(region, account));
  }

  public String repository() {
    return repository;
  }

  public String tag() {
    return tag;
  }

  @Override
  public String imageUri(String region) {
    return accounts.registry(region, repository) + "/" + repository + ":" + tag;
  }

  @Override
  public String toString() {
    return "BuiltInAlgorithmImages(" + repository + ":" + tag + ")";
  }
}
