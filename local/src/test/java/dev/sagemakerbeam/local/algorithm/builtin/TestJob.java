package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A training job directory laid out as the server lays it out, for calling algorithms directly. */
final class TestJob {
  final Path root;
  final Map<String, Channel> channels = new LinkedHashMap<>();
  final List<String> log = Collections.synchronizedList(new ArrayList<>());

  TestJob(Path root) {
    this.root = root;
  }

  /** A channel directory {@code input/data/<name>}, created empty. */
  Path channel(String name, String contentType, String compressionType) {
    Path dir = root.resolve("input/data").resolve(name);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channels.put(name, new Channel(name, dir, contentType, compressionType));
    return dir;
  }

  Path modelDir() {
    return root.resolve("model");
  }

  TrainingJobContext context(Map<String, String> hyperparameters) {
    return context(hyperparameters, () -> false);
  }

  TrainingJobContext context(Map<String, String> hyperparameters, BooleanSupplier stop) {
    return new TrainingJobContext(root, hyperparameters, channels, modelDir(), log::add, stop);
  }
}
