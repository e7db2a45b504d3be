package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.transforms.naming.ResourceNamePolicy;
import java.io.Serializable;

/**
 * Creates the {@link ResourceNamePolicy} naming one estimator's jobs, models, configs and
 * endpoints.
 */
@FunctionalInterface
public interface NamePolicyFactory extends Serializable {
  ResourceNamePolicy createNamePolicy();

  /** Names prefixed {@code sagemaker-beam}. */
  static NamePolicyFactory defaultPrefix() {
    return ResourceNamePolicy::withDefaultPrefix;
  }

  /** Names prefixed {@code prefix}. */
  static NamePolicyFactory withPrefix(String prefix) {
    ResourceNamePolicy.withPrefix(prefix); // validates now, not at fit()
    return () -> ResourceNamePolicy.withPrefix(prefix);
  }
}
