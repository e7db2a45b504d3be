package dev.sagemakerbeam.local.algorithm;

import java.nio.file.Path;
import java.util.Map;

/**
 * An algorithm as SageMaker Local runs it, built in (K-Means, PCA, ...) or a user's program: it
 * trains under the SageMaker container contract and serves the model it wrote.
 *
 * <p>The server prepares the job directory (the {@code /opt/ml} tree: input/config/*.json,
 * input/data/&lt;channel&gt;/, model/, output/), calls {@link #train}, packs {@code model/} into
 * model.tar.gz and turns an {@link AlgorithmException} into the job's FailureReason. For hosting it
 * unpacks the artifact and calls {@link #load} once per model worker.
 */
public interface Algorithm {

  /**
   * Checks hyperparameters as SageMaker does before any data is read.
   *
   * @throws AlgorithmException naming the parameter, the value and the rule it breaks
   */
  void validateHyperparameters(Map<String, String> hyperparameters) throws AlgorithmException;

  /**
   * Trains, reading the channels and writing the model into {@link TrainingJobContext#modelDir()}.
   * Long work checks {@link TrainingJobContext#stopRequested()} (and thread interruption) often and
   * returns promptly when asked to stop.
   *
   * @return final metrics, name to value (SageMaker's FinalMetricDataList)
   * @throws AlgorithmException whose message becomes the job's FailureReason
   */
  Map<String, Double> train(TrainingJobContext job) throws AlgorithmException, InterruptedException;

  /**
   * Loads the model in {@code modelDir} (the unpacked model.tar.gz) into a worker that answers
   * invocations.
   *
   * @param environment the model's container environment variables
   */
  ModelWorker load(Path modelDir, Map<String, String> environment) throws AlgorithmException;
}
