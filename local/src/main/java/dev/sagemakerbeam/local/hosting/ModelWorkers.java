package dev.sagemakerbeam.local.hosting;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.server.ApiException;
import dev.sagemakerbeam.local.server.ServiceContext;
import dev.sagemakerbeam.local.storage.S3Location;
import dev.sagemakerbeam.local.training.ModelArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model (a CreateModel description) put to work: its ModelDataUrl downloaded and unpacked under a
 * directory, and a number of {@link ModelWorker}s loaded from it by the algorithm of its image,
 * with the container's Environment (plus any variables the caller adds over it). Endpoints start
 * one per production variant, transform jobs one per job.
 */
public final class ModelWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelWorkers.class);

  private final String image;
  private final List<ModelWorker> workers;

  private ModelWorkers(String image, List<ModelWorker> workers) {
    this.image = image;
    this.workers = workers;
  }

  /**
   * Downloads and unpacks the model into {@code dir/model} and loads {@code count} workers.
   *
   * @param model the model's description (DescribeModel)
   * @param environment variables set over the container's Environment
   * @param what names the user of the model in error messages, e.g. "variant 'AllTraffic'"
   * @throws AlgorithmException with the reason, when the model cannot be downloaded or loaded
   */
  public static ModelWorkers start(
      ServiceContext context,
      JsonNode model,
      Path dir,
      int count,
      Map<String, String> environment,
      String what)
      throws AlgorithmException {
    String modelName = model.get("ModelName").asText();
    JsonNode container = model.get("PrimaryContainer");
    String image = container.get("Image").asText();
    Algorithm algorithm;
    try {
      algorithm = context.algorithms().resolve("PrimaryContainer.Image", image, List.of());
    } catch (ApiException e) {
      throw new AlgorithmException(e.getMessage());
    }
    Path modelDir = dir.resolve("model");
    try {
      Files.createDirectories(modelDir);
      if (container.hasNonNull("ModelDataUrl")) {
        S3Location location =
            S3Location.parse("ModelDataUrl", container.get("ModelDataUrl").asText());
        Path archive = dir.resolve("model.tar.gz");
        context.s3().download(location, archive);
        ModelArchive.unpack(archive, modelDir);
      }
    } catch (IOException | ApiException e) {
      throw new AlgorithmException(
          "Failed to download and extract model data for "
              + what
              + " (model '"
              + modelName
              + "'"
              + (container.hasNonNull("ModelDataUrl")
                  ? ", ModelDataUrl " + container.get("ModelDataUrl").asText()
                  : "")
              + "): "
              + e.getMessage(),
          e);
    }
    Map<String, String> variables = new LinkedHashMap<>();
    container
        .path("Environment")
        .fields()
        .forEachRemaining(e -> variables.put(e.getKey(), e.getValue().asText()));
    variables.putAll(environment);
    List<ModelWorker> workers = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        workers.add(algorithm.load(modelDir, Map.copyOf(variables)));
      }
    } catch (AlgorithmException | RuntimeException e) {
      closeAll(workers);
      throw new AlgorithmException(
          "Model '" + modelName + "' for " + what + " failed to load: " + e.getMessage(), e);
    }
    return new ModelWorkers(image, List.copyOf(workers));
  }

  /** The model's image. */
  public String image() {
    return image;
  }

  /** The loaded workers, one per instance. */
  public List<ModelWorker> workers() {
    return workers;
  }

  /** Closes every worker (for user algorithms: stops their processes). */
  @Override
  public void close() {
    closeAll(workers);
  }

  private static void closeAll(List<ModelWorker> workers) {
    for (ModelWorker worker : workers) {
      try {
        worker.close();
      } catch (RuntimeException e) {
        LOG.warn("Closing a model worker failed", e);
      }
    }
  }
}
