package dev.sagemakerbeam.transforms.hosting;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SageMaker hosting resources a deployment created (any of them may be null: attaching to an
 * existing endpoint creates nothing). What {@link SageMakerResourceCleanup} deletes.
 */
public final class CreatedResources implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String modelName;
  private final String endpointConfigName;
  private final String endpointName;

  public CreatedResources(String modelName, String endpointConfigName, String endpointName) {
    this.modelName = modelName;
    this.endpointConfigName = endpointConfigName;
    this.endpointName = endpointName;
  }

  public static CreatedResources none() {
    return new CreatedResources(null, null, null);
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

  public CreatedResources withModel(String name) {
    return new CreatedResources(name, endpointConfigName, endpointName);
  }

  public CreatedResources withEndpointConfig(String name) {
    return new CreatedResources(modelName, name, endpointName);
  }

  public CreatedResources withEndpoint(String name) {
    return new CreatedResources(modelName, endpointConfigName, name);
  }

  public boolean isEmpty() {
    return modelName == null && endpointConfigName == null && endpointName == null;
  }

  /** "endpoint x, endpoint config y, model z" for messages. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (endpointName != null) {
      parts.add("endpoint " + endpointName);
    }
    if (endpointConfigName != null) {
      parts.add("endpoint config " + endpointConfigName);
    }
    if (modelName != null) {
      parts.add("model " + modelName);
    }
    return parts.isEmpty() ? "nothing" : String.join(", ", parts);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CreatedResources)) {
      return false;
    }
    CreatedResources r = (CreatedResources) o;
    return Objects.equals(modelName, r.modelName)
        && Objects.equals(endpointConfigName, r.endpointConfigName)
        && Objects.equals(endpointName, r.endpointName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(modelName, endpointConfigName, endpointName);
  }

  @Override
  public String toString() {
    return "CreatedResources(" + describe() + ")";
  }
}
