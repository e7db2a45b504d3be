package dev.sagemakerbeam.transforms.training;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A completed SageMaker training job: what hosting needs (the artifact and image) and what users
 * look at (final metrics).
 */
public final class TrainedModel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String trainingJobName;
  private final String modelArtifactUri;
  private final String trainingImage;
  private final TreeMap<String, Double> finalMetrics;

  public TrainedModel(
      String trainingJobName,
      String modelArtifactUri,
      String trainingImage,
      Map<String, Double> finalMetrics) {
    this.trainingJobName = Objects.requireNonNull(trainingJobName, "trainingJobName");
    this.modelArtifactUri = Objects.requireNonNull(modelArtifactUri, "modelArtifactUri");
    this.trainingImage = trainingImage;
    this.finalMetrics = new TreeMap<>(finalMetrics);
  }

  public String trainingJobName() {
    return trainingJobName;
  }

  /** S3 URI of model.tar.gz. */
  public String modelArtifactUri() {
    return modelArtifactUri;
  }

  /** The training image (the same image usually serves the model). */
  public String trainingImage() {
    return trainingImage;
  }

  /** FinalMetricDataList, metric name to value, sorted by name. */
  public Map<String, Double> finalMetrics() {
    return java.util.Collections.unmodifiableMap(finalMetrics);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TrainedModel)) {
      return false;
    }
    TrainedModel t = (TrainedModel) o;
    return trainingJobName.equals(t.trainingJobName)
        && modelArtifactUri.equals(t.modelArtifactUri)
        && Objects.equals(trainingImage, t.trainingImage)
        && finalMetrics.equals(t.finalMetrics);
  }

  @Override
  public int hashCode() {
    return Objects.hash(trainingJobName, modelArtifactUri, trainingImage, finalMetrics);
  }

  @Override
  public String toString() {
    return "TrainedModel(job="
        + trainingJobName
        + ", artifact="
        + modelArtifactUri
        + ", image="
        + trainingImage
        + ", metrics="
        + finalMetrics
        + ")";
  }
}
