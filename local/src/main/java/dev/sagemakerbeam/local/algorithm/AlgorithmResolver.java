package dev.sagemakerbeam.local.algorithm;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;
import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.local.algorithm.builtin.BuiltInAlgorithms;
import dev.sagemakerbeam.local.algorithm.process.ProcessAlgorithm;
import dev.sagemakerbeam.local.server.ApiException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a container image URI into the algorithm that runs it.
 *
 * <ul>
 *   <li>SageMaker's own image URIs, {@code
 *       <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repo>:<tag>} (any account, region and tag,
 *       or a digest), select a built-in or registered in-process algorithm by repository name; so
 *       does a bare {@code <repo>[:<tag>]}.
 *   <li>{@code process:/path/to/program} or {@code file:///path/to/program} runs a local executable
 *       under the SageMaker container contract ({@link ProcessAlgorithm}).
 * </ul>
 */
public final class AlgorithmResolver {
  private static final Pattern ECR_REGISTRY =
      Pattern.compile("^\\d{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$");
  private static final Pattern IMAGE =
      Pattern.compile(
          "^(?:([^/]+)/)?([a-z0-9][a-z0-9._/-]*?)(?::([A-Za-z0-9_.-]{1,128}))?(?:@sha256:[0-9a-f]{64})?$");

  private final Map<String, Algorithm> byRepository = new TreeMap<>();
  private final java.util.Set<String> registered;

  /** Built-in algorithms plus {@code registered} (repository name to algorithm; these win). */
  public AlgorithmResolver(Map<String, Algorithm> registered) {
    byRepository.putAll(BuiltInAlgorithms.all());
    byRepository.putAll(registered);
    this.registered = java.util.Set.copyOf(registered.keySet());
  }

  /**
   * The catalogue's description of the built-in algorithm {@code image} runs, or empty for a user
   * program or an algorithm registered in-process (which may override a built-in's repository).
   */
  public java.util.Optional<AlgorithmSpec> builtInSpec(String image) {
    if (image.startsWith("process:") || image.startsWith("file:")) {
      return java.util.Optional.empty();
    }
    String repository = repositoryName(image);
    if (repository == null) {
      return java.util.Optional.empty();
    }
    if (!byRepository.containsKey(repository) && repository.contains("/")) {
      repository = repository.substring(repository.lastIndexOf('/') + 1);
    }
    if (registered.contains(repository)) {
      return java.util.Optional.empty();
    }
    if (repository.equals("xgboost")) {
      return java.util.Optional.of(AlgorithmCatalog.XGBOOST);
    }
    return AlgorithmCatalog.byImageRepository(repository);
  }

  /** A metric to read from a user program's log: the first group of the last matching line. */
  public record MetricDefinition(String name, Pattern regex) {}

  /**
   * Resolves {@code image} given in request field {@code field}.
   *
   * @throws ApiException ValidationException naming the image and what is accepted
   */
  public Algorithm resolve(String field, String image, List<MetricDefinition> metrics) {
    if (image.startsWith("process:") || image.startsWith("file:")) {
      Path program;
      try {
        program =
            image.startsWith("file:")
                ? Paths.get(URI.create(image))
                : Paths.get(image.substring("process:".length()));
      } catch (RuntimeException e) {
        throw ApiException.validation(
            "Image '"
                + image
                + "' at '"
                + field
                + "' is not a valid program path: "
                + e.getMessage());
      }
      if (!program.isAbsolute() || !Files.isRegularFile(program) || !Files.isExecutable(program)) {
        throw ApiException.validation(
            "Image '"
                + image
                + "' at '"
                + field
                + "' names no executable file; a user algorithm"
                + " image is process:/absolute/path/to/program (run as '<program> train' and"
                + " '<program> serve')");
      }
      return new ProcessAlgorithm(program, metrics);
    }
    String repository = repositoryName(image);
    Algorithm algorithm = repository == null ? null : byRepository.get(repository);
    if (algorithm == null && repository != null && repository.contains("/")) {
      algorithm = byRepository.get(repository.substring(repository.lastIndexOf('/') + 1));
    }
    if (algorithm == null) {
      throw ApiException.validation(
          "Image '"
              + image
              + "' at '"
              + field
              + "' is not an algorithm SageMaker Local can run;"
              + " use a SageMaker image whose repository is one of "
              + byRepository.keySet()
              + " (for example <account>.dkr.ecr.<region>.amazonaws.com/kmeans:1) or"
              + " process:/absolute/path/to/program for your own algorithm");
    }
    return algorithm;
  }

  /** The repository name of an image URI, without registry, tag or digest; null if malformed. */
  static String repositoryName(String image) {
    Matcher m = IMAGE.matcher(image);
    if (!m.matches()) {
      return null;
    }
    String registry = m.group(1);
    String path = m.group(2);
    if (registry != null
        && !(registry.contains(".") || registry.contains(":") || registry.equals("localhost"))) {
      path = registry + "/" + path;
    } else if (registry != null
        && registry.contains(".dkr.ecr.")
        && !ECR_REGISTRY.matcher(registry).matches()) {
      return null;
    }
    return path;
  }
}
