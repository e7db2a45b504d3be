package dev.sagemakerbeam.transforms.training;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * A completed SageMaker training job: what hosting needs (the artifact and image) and what users
 * look at (final metrics). An AutoValue value; the metrics are an unmodifiable copy.
 */
@AutoValue
public abstract class TrainedModel implements Serializable {
  private static final long serialVersionUID = 1L;

  TrainedModel() {}

  public static TrainedModel of(
      String trainingJobName,
      String modelArtifactUri,
      @Nullable String trainingImage,
      Map<String, Double> finalMetrics) {
    return new AutoValue_TrainedModel(
        trainingJobName,
        modelArtifactUri,
        trainingImage,
        Collections.unmodifiableMap(new TreeMap<>(finalMetrics)));
  }

  public abstract String trainingJobName();

  /** S3 URI of model.tar.gz. */
  public abstract String modelArtifactUri();

  /** The training image (the same image usually serves the model). */
  public abstract @Nullable String trainingImage();

  /** FinalMetricDataList, metric name to value, sorted by name. */
  public abstract Map<String, Double> finalMetrics();
}
