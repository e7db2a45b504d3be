package dev.sagemakerbeam.transforms.algorithms;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Image URIs of SageMaker's built-in algorithms: {@code
 * <account>.dkr.ecr.<region>.<domain>/<repository>:<tag>}, with the registry account of each region
 * as published by SageMaker (the sagemaker-python-sdk's {@code image_uri_config}), the China
 * partition's {@code amazonaws.com.cn} domain and the ISO partitions' domains.
 *
 * <p>Immutable; {@link #withTag} and {@link #withAccount} return adjusted copies.
 */
public final class BuiltInAlgorithmImages implements ImageUriResolver {
  private static final long serialVersionUID = 1L;

  /** Registry accounts of the first-party algorithms (K-Means, PCA, ...), by region. */
  static final Map<String, String> FIRST_PARTY_ACCOUNTS;

  static {
    Map<String, String> m = new TreeMap<>();
    m.put("af-south-1", "455444449433");
    m.put("ap-east-1", "286214385809");
    m.put("ap-northeast-1", "351501993468");
    m.put("ap-northeast-2", "835164637446");
    m.put("ap-northeast-3", "364406365360");
    m.put("ap-south-1", "991648021394");
    m.put("ap-southeast-1", "475088953585");
    m.put("ap-southeast-2", "712309505854");
    m.put("ca-central-1", "469771592824");
    m.put("cn-north-1", "390948362332");
    m.put("cn-northwest-1", "387376663083");
    m.put("eu-central-1", "664544806723");
    m.put("eu-north-1", "669576153137");
    m.put("eu-south-1", "257386234256");
    m.put("eu-west-1", "438346466558");
    m.put("eu-west-2", "644912444149");
    m.put("eu-west-3", "749696950732");
    m.put("me-south-1", "249704162688");
    m.put("sa-east-1", "855470959533");
    m.put("us-east-1", "382416733822");
    m.put("us-east-2", "404615174143");
    m.put("us-gov-west-1", "226302683700");
    m.put("us-iso-east-1", "490574956308");
    m.put("us-west-1", "632365934929");
    m.put("us-west-2", "174872318107");
    FIRST_PARTY_ACCOUNTS = Collections.unmodifiableMap(m);
  }

  private final String repository;
  private final String tag;
  private final Map<String, String> accounts;

  private BuiltInAlgorithmImages(String repository, String tag, Map<String, String> accounts) {
    this.repository = repository;
    this.tag = tag;
    this.accounts = accounts;
  }

  /** SageMaker's K-Means image ({@code kmeans:1}). */
  public static BuiltInAlgorithmImages kmeans() {
    return new BuiltInAlgorithmImages("kmeans", "1", FIRST_PARTY_ACCOUNTS);
  }

  /** SageMaker's PCA image ({@code pca:1}). */
  public static BuiltInAlgorithmImages pca() {
    return new BuiltInAlgorithmImages("pca", "1", FIRST_PARTY_ACCOUNTS);
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
    if (account == null || !account.matches("\\d{12}")) {
      throw new IllegalArgumentException("registry account '" + account + "' must be 12 digits");
    }
    Map<String, String> m = new TreeMap<>(accounts);
    m.put(region, account);
    return new BuiltInAlgorithmImages(repository, tag, Collections.unmodifiableMap(m));
  }

  public String repository() {
    return repository;
  }

  public String tag() {
    return tag;
  }

  @Override
  public String imageUri(String region) {
    String account = accounts.get(region);
    if (account == null) {
      throw new IllegalArgumentException(
          "no registry known for the built-in '" + repository + "' image in region '" + region
              + "'; known regions: " + accounts.keySet() + ". Add one with .withAccount(\"" + region
              + "\", \"<12-digit account>\") or give ImageUriResolver.fixed(\"<image uri>\")");
    }
    return account + ".dkr.ecr." + region + "." + domainOf(region) + "/" + repository + ":" + tag;
  }

  /** The ECR domain of a region's partition. */
  static String domainOf(String region) {
    if (region.startsWith("cn-")) {
      return "amazonaws.com.cn";
    }
    if (region.startsWith("us-isob-")) {
      return "sc2s.sgov.gov";
    }
    if (region.startsWith("us-iso-")) {
      return "c2s.ic.gov";
    }
    return "amazonaws.com";
  }

  @Override
  public String toString() {
    return "BuiltInAlgorithmImages(" + repository + ":" + tag + ")";
  }
}
