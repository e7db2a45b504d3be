package dev.sagemakerbeam.transforms.hosting;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import javax.annotation.Nullable;

/**
 * An endpoint serving a model, with the resources that were created for it (for cleanup). An
 * AutoValue value.
 */
@AutoValue
public abstract class HostedEndpoint implements Serializable {
  private static final long serialVersionUID = 1L;

  HostedEndpoint() {}

  public static HostedEndpoint of(
      String endpointName, @Nullable String modelArtifactUri, CreatedResources createdResources) {
    return new AutoValue_HostedEndpoint(endpointName, modelArtifactUri, createdResources);
  }

  public abstract String endpointName();

  /** The artifact the endpoint serves, or null when attached to an existing endpoint. */
  public abstract @Nullable String modelArtifactUri();

  public abstract CreatedResources createdResources();

  @Override
  public final String toString() {
    return "HostedEndpoint("
        + endpointName()
        + ", artifact="
        + modelArtifactUri()
        + ", created "
        + createdResources().describe()
        + ")";
  }
}
