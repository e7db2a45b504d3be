package dev.sagemakerbeam.transforms.hosting;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to host: the model (image, artifact, role, environment) and the endpoint that serves it
 * (instance type and count, tags), with the names of the three resources to create.
 */
public final class EndpointSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String modelName;
  private final String endpointConfigName;
  private final String endpointName;
  private final String image;
  private final String modelDataUrl;
  private final String executionRoleArn;
  private final LinkedHashMap<String, String> environment;
  private final String instanceType;
  private final int initialInstanceCount;
  private final String variantName;
  private final LinkedHashMap<String, String> tags;

  private EndpointSpec(Builder b) {
    this.modelName = require(b.modelName, "modelName");
    this.endpointConfigName = require(b.endpointConfigName, "endpointConfigName");
    this.endpointName = require(b.endpointName, "endpointName");
    this.image = require(b.image, "image");
    this.modelDataUrl = b.modelDataUrl;
    this.executionRoleArn = require(b.executionRoleArn, "executionRoleArn");
    this.environment = new LinkedHashMap<>(b.environment);
    this.instanceType = require(b.instanceType, "instanceType");
    if (b.initialInstanceCount < 1) {
      throw new IllegalArgumentException(
          "initialInstanceCount must be at least 1, was " + b.initialInstanceCount);
    }
    this.initialInstanceCount = b.initialInstanceCount;
    this.variantName = require(b.variantName, "variantName");
    this.tags = new LinkedHashMap<>(b.tags);
  }

  private static String require(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("EndpointSpec needs " + name + "; set it on the builder");
    }
    return value;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String modelName() {
    return modelName;
  }

  public String endpointConfigName() {
    return endpointConfigName;
  }

  public String endpointName() {
    return endpointName;
  }

  public String image() {
    return image;
  }

  /** S3 URI of model.tar.gz, or null for a container that needs no artifact. */
  public String modelDataUrl() {
    return modelDataUrl;
  }

  public String executionRoleArn() {
    return executionRoleArn;
  }

  public Map<String, String> environment() {
    return Collections.unmodifiableMap(environment);
  }

  public String instanceType() {
    return instanceType;
  }

  public int initialInstanceCount() {
    return initialInstanceCount;
  }

  public String variantName() {
    return variantName;
  }

  public Map<String, String> tags() {
    return Collections.unmodifiableMap(tags);
  }

  @Override
  public String toString() {
    return "EndpointSpec(endpoint="
        + endpointName
        + ", config="
        + endpointConfigName
        + ", model="
        + modelName
        + ", image="
        + image
        + ", artifact="
        + modelDataUrl
        + ", "
        + initialInstanceCount
        + " x "
        + instanceType
        + ")";
  }

  /** Builder; names, image, role and instance type are required. */
  public static final class Builder {
    private String modelName;
    private String endpointConfigName;
    private String endpointName;
    private String image;
    private String modelDataUrl;
    private String executionRoleArn;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String instanceType;
    private int initialInstanceCount = 1;
    private String variantName = "AllTraffic";
    private final Map<String, String> tags = new LinkedHashMap<>();

    public Builder modelName(String v) {
      modelName = v;
      return this;
    }

    public Builder endpointConfigName(String v) {
      endpointConfigName = v;
      return this;
    }

    public Builder endpointName(String v) {
      endpointName = v;
      return this;
    }

    public Builder image(String v) {
      image = v;
      return this;
    }

    public Builder modelDataUrl(String v) {
      modelDataUrl = v;
      return this;
    }

    public Builder executionRoleArn(String v) {
      executionRoleArn = v;
      return this;
    }

    public Builder environment(Map<String, String> v) {
      environment.clear();
      environment.putAll(Objects.requireNonNull(v, "environment"));
      return this;
    }

    public Builder instanceType(String v) {
      instanceType = v;
      return this;
    }

    public Builder initialInstanceCount(int v) {
      initialInstanceCount = v;
      return this;
    }

    public Builder variantName(String v) {
      variantName = v;
      return this;
    }

    public Builder tags(Map<String, String> v) {
      tags.clear();
      tags.putAll(Objects.requireNonNull(v, "tags"));
      return this;
    }

    public EndpointSpec build() {
      return new EndpointSpec(this);
    }
  }
}
