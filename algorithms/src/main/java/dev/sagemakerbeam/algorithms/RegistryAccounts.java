package dev.sagemakerbeam.algorithms;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ECR registry accounts of a family of SageMaker images, by region, as SageMaker publishes them
 * (the sagemaker-python-sdk's {@code image_uri_config}), with each partition's ECR domain. The
 * first-party algorithms (K-Means, PCA, Linear Learner, ...) share one table; framework images such
 * as {@code sagemaker-xgboost} have their own.
 */
public final class RegistryAccounts implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The first-party algorithms' accounts. */
  public static final RegistryAccounts FIRST_PARTY;

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
    FIRST_PARTY = new RegistryAccounts(m);
  }

  private final Map<String, String> accounts;

  private RegistryAccounts(Map<String, String> accounts) {
    this.accounts = Collections.unmodifiableMap(new TreeMap<>(accounts));
  }

  public static RegistryAccounts of(Map<String, String> accountsByRegion) {
    accountsByRegion.forEach(RegistryAccounts::checkAccount);
    return new RegistryAccounts(accountsByRegion);
  }

  /** A copy with {@code account} for {@code region} (a new region, or a mirror). */
  public RegistryAccounts with(String region, String account) {
    checkAccount(region, account);
    Map<String, String> m = new TreeMap<>(accounts);
    m.put(region, account);
    return new RegistryAccounts(m);
  }

  public Map<String, String> accounts() {
    return accounts;
  }

  /**
   * {@code <account>.dkr.ecr.<region>.<domain>} for {@code region}.
   *
   * @throws IllegalArgumentException if no account is known there, naming the fix
   */
  public String registry(String region, String repository) {
    String account = accounts.get(region);
    if (account == null) {
      throw new IllegalArgumentException(
          "no registry known for the built-in '"
              + repository
              + "' image in region '"
              + region
              + "'; known regions: "
              + accounts.keySet()
              + ". Add one with .withAccount(\""
              + region
              + "\", \"<12-digit account>\") or give ImageUriResolver.fixed(\"<image uri>\")");
    }
    return account + ".dkr.ecr." + region + "." + domainOf(region);
  }

  /** The ECR domain of a region's partition. */
  public static String domainOf(String region) {
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

  private static void checkAccount(String region, String account) {
    if (account == null || !account.matches("\\d{12}")) {
      throw new IllegalArgumentException(
          "registry account '" + account + "' for " + region + " must be 12 digits");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistryAccounts && ((RegistryAccounts) o).accounts.equals(accounts);
  }

  @Override
  public int hashCode() {
    return accounts.hashCode();
  }
}
