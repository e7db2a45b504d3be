package dev.sagemakerbeam.local.training;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** model.tar.gz as SageMaker writes it: the contents of {@code /opt/ml/model}, gzip'd tar. */
public final class ModelArchive {
  private ModelArchive() {}

  /** Packs the files under {@code modelDir} (paths relative to it) into {@code archive}. */
  public static void pack(Path modelDir, Path archive) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(modelDir)) {
      files = walk.filter(p -> !p.equals(modelDir)).sorted().collect(Collectors.toList());
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive));
        GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path file : files) {
        String name = modelDir.relativize(file).toString().replace('\\', '/');
        TarArchiveEntry entry =
            new TarArchiveEntry(file.toFile(), Files.isDirectory(file) ? name + "/" : name);
        tar.putArchiveEntry(entry);
        if (Files.isRegularFile(file)) {
          Files.copy(file, tar);
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }

  /**
   * Unpacks {@code archive} into {@code targetDir}; entries that would land outside it are refused.
   *
   * @throws IOException with a message a user can act on (what is wrong with the archive and what
   *     SageMaker expects), never naming a path of this host
   */
  public static void unpack(Path archive, Path targetDir) throws IOException {
    Files.createDirectories(targetDir);
    Path root = targetDir.toAbsolutePath().normalize();
    int entries = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
      GzipCompressorInputStream gzip;
      try {
        gzip = new GzipCompressorInputStream(in);
      } catch (IOException e) {
        throw new IOException(
            "the model artifact is not a gzip-compressed tar archive ("
                + Files.size(archive)
                + " bytes, not in the gzip format): ModelDataUrl must name a model.tar.gz holding"
                + " the model files, as a training job writes it (tar -czf model.tar.gz -C model .)",
            e);
      }
      try (TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          entries++;
          Path target = root.resolve(entry.getName()).normalize();
          if (!target.startsWith(root)) {
            throw new UnpackException(
                "model archive entry '"
                    + entry.getName()
                    + "' points outside the model directory; pack the model with paths relative"
                    + " to it (tar -czf model.tar.gz -C model .)");
          }
          if (entry.isDirectory()) {
            Files.createDirectories(target);
          } else if (entry.isFile()) {
            Files.createDirectories(target.getParent());
            Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        }
      } catch (UnpackException e) {
        throw e;
      } catch (IOException | IllegalArgumentException e) {
        throw new IOException(
            "the model artifact is a gzip file but not a readable tar archive (after "
                + entries
                + " entries: "
                + e.getMessage()
                + "); it may be truncated, or be a single gzip-compressed file: ModelDataUrl must"
                + " name a model.tar.gz (tar -czf model.tar.gz -C model .)",
            e);
      }
    }
  }

  /** An archive refused for what it holds, whose message is already the user's. */
  private static final class UnpackException extends IOException {
    UnpackException(String message) {
      super(message);
    }
  }

  /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList());
    }
    for (Path path : paths) {
      Files.deleteIfExists(path);
    }
  }
}
