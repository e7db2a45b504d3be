package dev.sagemakerbeam.transforms.hosting;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The SageMaker hosting resources a deployment created (any of them may be null: attaching to an
 * existing endpoint creates nothing). What {@link SageMakerResourceCleanup} deletes. An AutoValue
 * value: equal when the names are.
 */
@AutoValue
public abstract class CreatedResources implements Serializable {
  private static final long serialVersionUID = 1L;

  CreatedResources() {}

  /** Resources by name; null for any that was not created. */
  public static CreatedResources of(
      @Nullable String modelName,
      @Nullable String endpointConfigName,
      @Nullable String endpointName) {
    return new AutoValue_CreatedResources(modelName, endpointConfigName, endpointName);
  }

  public static CreatedResources none() {
    return of(null, null, null);
  }

  public abstract @Nullable String modelName();

  public abstract @Nullable String endpointConfigName();

  public abstract @Nullable String endpointName();

  public CreatedResources withModel(String name) {
    return of(name, endpointConfigName(), endpointName());
  }

  public CreatedResources withEndpointConfig(String name) {
    return of(modelName(), name, endpointName());
  }

  public CreatedResources withEndpoint(String name) {
    return of(modelName(), endpointConfigName(), name);
  }

  public boolean isEmpty() {
    return modelName() == null && endpointConfigName() == null && endpointName() == null;
  }

  /** "endpoint x, endpoint config y, model z" for messages. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (endpointName() != null) {
      parts.add("endpoint " + endpointName());
    }
    if (endpointConfigName() != null) {
      parts.add("endpoint config " + endpointConfigName());
    }
    if (modelName() != null) {
      parts.add("model " + modelName());
    }
    return parts.isEmpty() ? "nothing" : String.join(", ", parts);
  }

  @Override
  public final String toString() {
    return "CreatedResources(" + describe() + ")";
  }
}
