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
    return new Prefixed(ResourceNamePolicy.DEFAULT_PREFIX);
  }

  /** Names prefixed {@code prefix}. */
  static NamePolicyFactory withPrefix(String prefix) {
    ResourceNamePolicy.withPrefix(prefix); // validates now, not at fit()
    return new Prefixed(prefix);
  }

  /** Names with a fixed prefix; a saved stage records it by its prefix. */
  final class Prefixed implements NamePolicyFactory {
    private static final long serialVersionUID = 1L;
    private final String prefix;

    private Prefixed(String prefix) {
      this.prefix = prefix;
    }

    public String prefix() {
      return prefix;
    }

    @Override
    public ResourceNamePolicy createNamePolicy() {
      return ResourceNamePolicy.withPrefix(prefix);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Prefixed && ((Prefixed) o).prefix.equals(prefix);
    }

    @Override
    public int hashCode() {
      return prefix.hashCode();
    }

    @Override
    public String toString() {
      return "NamePolicyFactory.withPrefix(" + prefix + ")";
    }
  }
}
