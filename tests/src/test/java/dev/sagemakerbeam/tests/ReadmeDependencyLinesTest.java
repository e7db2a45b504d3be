package dev.sagemakerbeam.tests;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The consumer project (src/it/consumer-project, built and run by maven-invoker-plugin) declares
 * exactly the dependencies of the README's "Add it to your project" section, so the test of a
 * user's own project tests what the README tells users to write.
 */
class ReadmeDependencyLinesTest {
  private static final Pattern DEPENDENCY =
      Pattern.compile(
          "<dependency>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>[^<]*(?:<!--[^>]*-->\\s*)?"
              + "<version>([^<]+)</version>\\s*</dependency>");

  private static List<String> dependencies(String text) {
    List<String> found = new ArrayList<>();
    Matcher m = DEPENDENCY.matcher(text);
    while (m.find()) {
      String version = m.group(3).equals("@project.version@") ? "0.1.0-SNAPSHOT" : m.group(3);
      found.add(m.group(1) + ":" + m.group(2) + ":" + version);
    }
    return found;
  }

  @Test
  void consumerProjectDeclaresTheReadmesLines() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("## Add it to your project");
    String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
    String pom = Files.readString(Path.of("src", "it", "consumer-project", "pom.xml"));
    String declared = pom.substring(pom.indexOf("<dependencies>"), pom.indexOf("</dependencies>"));
    List<String> readmeLines = dependencies(section);
    assertThat(readmeLines, hasSize(3));
    assertThat(dependencies(declared), equalTo(readmeLines));
  }

  @Test
  void theReadmesSparkFlagsAreTheParentPomsFlags() throws Exception {
    Pattern opens = Pattern.compile("<spark.java17.opens>([^<]+)</spark.java17.opens>");
    Matcher readme = opens.matcher(Files.readString(Path.of("..", "README.md")));
    Matcher pom = opens.matcher(Files.readString(Path.of("..", "pom.xml")));
    assertThat("README declares spark.java17.opens", readme.find(), equalTo(true));
    assertThat("pom.xml declares spark.java17.opens", pom.find(), equalTo(true));
    assertThat(readme.group(1), equalTo(pom.group(1)));
  }
}
