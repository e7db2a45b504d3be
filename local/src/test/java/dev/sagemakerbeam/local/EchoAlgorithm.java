package dev.sagemakerbeam.local;

import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A tiny in-process algorithm for tests and the benchmark: its workers answer the request body back
 * (prefixed with the model's {@code PREFIX} environment variable), or fail with status 400 for the
 * body {@code fail}.
 */
public final class EchoAlgorithm implements Algorithm {
  @Override
  public void validateHyperparameters(Map<String, String> hyperparameters)
      throws AlgorithmException {
    if (hyperparameters.containsKey("bad")) {
      throw new AlgorithmException("ClientError: hyperparameter 'bad' is not allowed");
    }
  }

  @Override
  public Map<String, Double> train(TrainingJobContext job) throws AlgorithmException {
    try {
      java.nio.file.Files.writeString(job.modelDir().resolve("echo.txt"), "echo");
    } catch (java.io.IOException e) {
      throw new AlgorithmException(e.getMessage(), e);
    }
    return Map.of("echo:count", 1.0);
  }

  @Override
  public ModelWorker load(Path modelDir, Map<String, String> environment) {
    byte[] prefix = environment.getOrDefault("PREFIX", "").getBytes(StandardCharsets.UTF_8);
    return (body, contentType, accept) -> {
      if (body.length == 4 && new String(body, StandardCharsets.UTF_8).equals("fail")) {
        throw new ModelWorker.ModelError(400, "cannot score 'fail'");
      }
      byte[] out = new byte[prefix.length + body.length];
      System.arraycopy(prefix, 0, out, 0, prefix.length);
      System.arraycopy(body, 0, out, prefix.length, body.length);
      return new ModelWorker.Invocation(out, accept != null ? accept : contentType);
    };
  }
}
