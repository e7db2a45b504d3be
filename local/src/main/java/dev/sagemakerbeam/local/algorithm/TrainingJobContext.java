package dev.sagemakerbeam.local.algorithm;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a training algorithm is given: the container-contract job directory with its input channels
 * already downloaded, the hyperparameters, and the means to log and to notice a stop.
 *
 * @param root the job's {@code /opt/ml} directory
 * @param hyperparameters as given in CreateTrainingJob (all values strings, as SageMaker passes
 *     them)
 * @param channels input channels by name, downloaded under {@code root/input/data/<name>/}
 * @param modelDir where the model goes ({@code root/model}); packed into model.tar.gz afterwards
 * @param log one line per call, shown as the job's log
 * @param stopRequested true once StopTrainingJob was called or MaxRuntimeInSeconds ran out
 */
public record TrainingJobContext(
    Path root,
    Map<String, String> hyperparameters,
    Map<String, Channel> channels,
    Path modelDir,
    Consumer<String> log,
    BooleanSupplier stopRequested) {

  /**
   * One input channel.
   *
   * @param name channel name, for example {@code train}
   * @param dir local directory holding the channel's files
   * @param contentType the channel's ContentType, or null when not given
   * @param compressionType {@code None} or {@code Gzip}
   */
  public record Channel(String name, Path dir, String contentType, String compressionType) {}
}
