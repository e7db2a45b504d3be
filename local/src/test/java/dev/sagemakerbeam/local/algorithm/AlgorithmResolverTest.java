package dev.sagemakerbeam.local.algorithm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.local.EchoAlgorithm;
import dev.sagemakerbeam.local.algorithm.process.ProcessAlgorithm;
import dev.sagemakerbeam.local.server.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlgorithmResolverTest {
  private final Algorithm kmeans = new EchoAlgorithm();
  private final AlgorithmResolver resolver = new AlgorithmResolver(Map.of("kmeans", kmeans));

  @Test
  void sageMakerImageUrisResolveByRepositoryName() {
    for (String image :
        List.of(
            "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1",
            "174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:latest",
            "390948362332.dkr.ecr.cn-north-1.amazonaws.com.cn/kmeans:1",
            "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans@sha256:" + "a".repeat(64),
            "kmeans:1",
            "kmeans")) {
      assertThat(image, resolver.resolve("Image", image, List.of()), sameInstance(kmeans));
    }
  }

  @Test
  void unknownImagesAreValidationErrorsNamingTheImage() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                resolver.resolve(
                    "Image",
                    "382416733822.dkr.ecr.us-east-1.amazonaws.com/object-detection:1",
                    List.of()));
    assertThat(e.code(), is("ValidationException"));
    assertThat(e.getMessage(), containsString("object-detection"));
    assertThat(e.getMessage(), containsString("process:"));
    assertThrows(ApiException.class, () -> resolver.resolve("Image", "not an image", List.of()));
    assertThrows(
        ApiException.class,
        () ->
            resolver.resolve("Image", "12345.dkr.ecr.us-east-1.amazonaws.com/kmeans:1", List.of()));
  }

  @Test
  void processImagesNameAnExecutable(@TempDir Path dir) throws Exception {
    Path program = Files.writeString(dir.resolve("algo"), "#!/bin/sh\nexit 0\n");
    assertThrows(
        ApiException.class, () -> resolver.resolve("Image", "process:" + program, List.of()));
    assertThat(program.toFile().setExecutable(true), is(true));
    assertThat(
        resolver.resolve("Image", "process:" + program, List.of()),
        instanceOf(ProcessAlgorithm.class));
    assertThat(
        resolver.resolve("Image", program.toUri().toString(), List.of()),
        instanceOf(ProcessAlgorithm.class));
    assertThrows(
        ApiException.class, () -> resolver.resolve("Image", "process:relative/algo", List.of()));
  }
}
