package dev.sagemakerbeam.transforms.hosting;

import java.io.Serializable;
import java.util.Objects;

/** An endpoint serving a model, with the resources that were created for it (for cleanup). */
public final class HostedEndpoint implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String endpointName;
  private final String modelArtifactUri;
  private final CreatedResources createdResources;

  public HostedEndpoint(
      String endpointName, String modelArtifactUri, CreatedResources createdResources) {
    this.endpointName = Objects.requireNonNull(endpointName, "endpointName");
    this.modelArtifactUri = modelArtifactUri;
    this.createdResources = Objects.requireNonNull(createdResources, "createdResources");
  }

  public String endpointName() {
    return endpointName;
  }

  /** The artifact the endpoint serves, or null when attached to an existing endpoint. */
  public String modelArtifactUri() {
    return modelArtifactUri;
  }

  public CreatedResources createdResources() {
    return createdResources;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HostedEndpoint)) {
      return false;
    }
    HostedEndpoint h = (HostedEndpoint) o;
    return endpointName.equals(h.endpointName)
        && Objects.equals(modelArtifactUri, h.modelArtifactUri)
        && createdResources.equals(h.createdResources);
  }

  @Override
  public int hashCode() {
    return Objects.hash(endpointName, modelArtifactUri, createdResources);
  }

  @Override
  public String toString() {
    return "HostedEndpoint("
        + endpointName
        + ", artifact="
        + modelArtifactUri
        + ", created "
        + createdResources.describe()
        + ")";
  }
}
