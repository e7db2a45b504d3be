package dev.sagemakerbeam.transforms.testing;

import dev.sagemakerbeam.local.SageMakerLocal;
import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One SageMaker Local per test class, on free loopback ports with a fresh data directory, and the
 * client configuration that points every client at it. Register it as a static field; it starts
 * before the class's {@code @BeforeAll} methods and stops after its {@code @AfterAll} ones:
 *
 * <pre>{@code
 * @RegisterExtension static final SageMakerLocalExtension LOCAL = new SageMakerLocalExtension();
 * ... SageMakerClients.sageMaker(LOCAL.config()) ...
 * }</pre>
 *
 * Shared by the transforms, sdk and tests modules through this module's test jar.
 */
public final class SageMakerLocalExtension implements BeforeAllCallback, AfterAllCallback {
  private Path dataDirectory;
  private SageMakerLocal local;
  private SageMakerClientConfiguration config;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dataDirectory =
        Files.createTempDirectory(
            "sagemaker-local-" + context.getRequiredTestClass().getSimpleName());
    local = SageMakerLocal.builder().dataDirectory(dataDirectory).port(0).s3Port(0).build();
    config = configurationFor(local);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (local != null) {
      local.close();
    }
    if (dataDirectory != null) {
      try (Stream<Path> files = Files.walk(dataDirectory)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The running SageMaker Local. */
  public SageMakerLocal local() {
    if (local == null) {
      throw new IllegalStateException(
          "SageMaker Local is not started: register the extension on a static field");
    }
    return local;
  }

  /** Client configuration for its API, runtime, S3 and STS, with its key pair. */
  public SageMakerClientConfiguration config() {
    local();
    return config;
  }

  /** The configuration for any running SageMaker Local. */
  public static SageMakerClientConfiguration configurationFor(SageMakerLocal local) {
    return SageMakerClientConfiguration.forLocal(
        local.apiEndpoint(),
        local.runtimeEndpoint(),
        local.s3Endpoint(),
        local.stsEndpoint(),
        local.region(),
        local.credentials().accessKeyId(),
        local.credentials().secretAccessKey());
  }
}
