package dev.sagemakerbeam.transforms.algorithms;

import java.util.List;
import java.util.Map;

/**
 * Hyperparameters of SageMaker's PCA: {@code feature_dim}, {@code mini_batch_size} and {@code
 * num_components} are required; {@code num_components} must not exceed {@code feature_dim}.
 */
public final class PcaHyperparameters extends Hyperparameters {
  private static final long serialVersionUID = 1L;
  private static final List<String> MODES = List.of("regular", "randomized");

  @Override
  protected String algorithm() {
    return "PCA";
  }

  @Override
  protected List<String> required() {
    return List.of("feature_dim", "mini_batch_size", "num_components");
  }

  public PcaHyperparameters featureDim(long featureDim) {
    putPositiveInt("feature_dim", featureDim);
    return this;
  }

  public PcaHyperparameters miniBatchSize(long size) {
    putPositiveInt("mini_batch_size", size);
    return this;
  }

  public PcaHyperparameters numComponents(long components) {
    putPositiveInt("num_components", components);
    return this;
  }

  /** {@code regular} or {@code randomized}. */
  public PcaHyperparameters algorithmMode(String mode) {
    putChoice("algorithm_mode", mode, MODES);
    return this;
  }

  public PcaHyperparameters subtractMean(boolean subtract) {
    put("subtract_mean", Boolean.toString(subtract));
    return this;
  }

  /** -1 (the default: none) or a positive count; only used in randomized mode. */
  public PcaHyperparameters extraComponents(long extra) {
    if (extra != -1 && (extra < 1 || extra > Integer.MAX_VALUE)) {
      throw invalid("extra_components", extra, "-1 or a positive integer");
    }
    put("extra_components", Long.toString(extra));
    return this;
  }

  @Override
  public PcaHyperparameters raw(String name, String value) {
    super.raw(name, value);
    return this;
  }

  @Override
  protected void validateTogether(Map<String, String> all) {
    long features = longValue(all, "feature_dim");
    long components = longValue(all, "num_components");
    if (components > features) {
      throw invalid("num_components", components, "at most feature_dim (" + features + ")");
    }
  }
}
