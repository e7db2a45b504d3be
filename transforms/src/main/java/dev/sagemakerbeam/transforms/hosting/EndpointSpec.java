package dev.sagemakerbeam.transforms.hosting;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * What to host: the model (image, artifact, role, environment) and the endpoint that serves it
 * (instance type and count, tags), with the names of the three resources to create. An AutoValue
 * value with unmodifiable maps; {@link Builder#build()} names what is missing.
 */
@AutoValue
public abstract class EndpointSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  EndpointSpec() {}

  public static Builder builder() {
    return new AutoValue_EndpointSpec.Builder()
        .environment(Map.of())
        .tags(Map.of())
        .initialInstanceCount(1)
        .variantName("AllTraffic");
  }

  public abstract Builder toBuilder();

  public abstract String modelName();

  public abstract String endpointConfigName();

  public abstract String endpointName();

  public abstract String image();

  /** S3 URI of model.tar.gz, or null for a container that needs no artifact. */
  public abstract @Nullable String modelDataUrl();

  public abstract String executionRoleArn();

  public abstract Map<String, String> environment();

  public abstract String instanceType();

  public abstract int initialInstanceCount();

  public abstract String variantName();

  public abstract Map<String, String> tags();

  @Override
  public final String toString() {
    return "EndpointSpec(endpoint="
        + endpointName()
        + ", config="
        + endpointConfigName()
        + ", model="
        + modelName()
        + ", image="
        + image()
        + ", artifact="
        + modelDataUrl()
        + ", "
        + initialInstanceCount()
        + " x "
        + instanceType()
        + ")";
  }

  /** Builder; names, image, role and instance type are required. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder modelName(String v);

    abstract Optional<String> modelName();

    public abstract Builder endpointConfigName(String v);

    abstract Optional<String> endpointConfigName();

    public abstract Builder endpointName(String v);

    abstract Optional<String> endpointName();

    public abstract Builder image(String v);

    abstract Optional<String> image();

    public abstract Builder modelDataUrl(@Nullable String v);

    public abstract Builder executionRoleArn(String v);

    abstract Optional<String> executionRoleArn();

    public abstract Builder environment(Map<String, String> v);

    abstract Map<String, String> environment();

    public abstract Builder instanceType(String v);

    abstract Optional<String> instanceType();

    public abstract Builder initialInstanceCount(int v);

    public abstract Builder variantName(String v);

    abstract Optional<String> variantName();

    public abstract Builder tags(Map<String, String> v);

    abstract Map<String, String> tags();

    abstract EndpointSpec autoBuild();

    public final EndpointSpec build() {
      require(modelName(), "modelName");
      require(endpointConfigName(), "endpointConfigName");
      require(endpointName(), "endpointName");
      require(image(), "image");
      require(executionRoleArn(), "executionRoleArn");
      require(instanceType(), "instanceType");
      require(variantName(), "variantName");
      environment(Collections.unmodifiableMap(new LinkedHashMap<>(environment())));
      tags(Collections.unmodifiableMap(new LinkedHashMap<>(tags())));
      EndpointSpec spec = autoBuild();
      if (spec.initialInstanceCount() < 1) {
        throw new IllegalArgumentException(
            "initialInstanceCount must be at least 1, was " + spec.initialInstanceCount());
      }
      return spec;
    }

    private static void require(Optional<String> value, String name) {
      if (value.isEmpty() || value.get().isEmpty()) {
        throw new IllegalArgumentException(
            "EndpointSpec needs " + name + "; set it on the builder");
      }
    }
  }
}
