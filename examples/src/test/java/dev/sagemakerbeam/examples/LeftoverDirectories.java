package dev.sagemakerbeam.examples;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The SageMaker Local data directories in the temporary directory, to check that an example deletes
 * the one it made: the examples promise to delete what they create.
 */
final class LeftoverDirectories {
  private LeftoverDirectories() {}

  static Set<Path> sageMakerLocalDataDirectories() throws IOException {
    Set<Path> dirs = new TreeSet<>();
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(
            Path.of(System.getProperty("java.io.tmpdir")), "sagemaker-local*")) {
      entries.forEach(dirs::add);
    }
    return dirs;
  }
}
