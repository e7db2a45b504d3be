package dev.sagemakerbeam.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's Beam snippet is {@link BeamKMeansExample}'s code, and that code runs: MNIST K-Means
 * trained, hosted and all 1,000 test digits scored on the Direct runner against SageMaker Local.
 */
class BeamKMeansExampleTest {

  @Test
  void theReadmeSnippetIsTheExamplesCode() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("## Using it from Beam");
    int start = readme.indexOf("```java\n", section) + "```java\n".length();
    String snippet = readme.substring(start, readme.indexOf("```", start)).strip();
    String source =
        Files.readString(
            Path.of("src/main/java/dev/sagemakerbeam/examples/BeamKMeansExample.java"));
    String region =
        source.substring(
            source.indexOf("// README:begin\n") + "// README:begin\n".length(),
            source.indexOf("// README:end"));
    String dedented =
        Arrays.stream(region.split("\n"))
            .map(l -> l.startsWith("    ") ? l.substring(4) : l)
            .collect(Collectors.joining("\n"))
            .strip();
    assertThat(snippet, equalTo(dedented));
  }

  @Test
  void theSnippetRunsAndScoresEveryTestDigit() throws Exception {
    java.util.Set<java.nio.file.Path> before = LeftoverDirectories.sageMakerLocalDataDirectories();
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      BeamKMeansExample.main(new String[] {"--runner=DirectRunner"});
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    java.util.Set<java.nio.file.Path> left = LeftoverDirectories.sageMakerLocalDataDirectories();
    left.removeAll(before);
    assertThat("SageMaker Local's data directory is deleted: " + left, left.isEmpty(), is(true));
    original.print(out);
    assertThat(out, containsString("scored 1000 rows"));
  }
}
