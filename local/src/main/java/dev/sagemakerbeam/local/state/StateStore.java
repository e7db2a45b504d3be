package dev.sagemakerbeam.local.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each resource's description (the document its Describe operation answers) as one JSON file
 * under {@code <data>/state/<kind>/<name>.json}, written atomically, so state survives a restart.
 */
public final class StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

  private final Path root;
  private final ObjectMapper mapper;

  public StateStore(Path root, ObjectMapper mapper) throws IOException {
    this.root = root;
    this.mapper = mapper;
    Files.createDirectories(root);
  }

  /** Writes (replaces) one resource. */
  public void save(String kind, String name, ObjectNode document) {
    try {
      Path dir = root.resolve(kind);
      Files.createDirectories(dir);
      Path target = dir.resolve(name + ".json");
      Path temp = Files.createTempFile(dir, name, ".tmp");
      byte[] bytes;
      synchronized (document) {
        bytes = mapper.writeValueAsBytes(document);
      }
      Files.write(temp, bytes);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not save " + kind + " " + name + " under " + root, e);
    }
  }

  /** Removes one resource. */
  public void delete(String kind, String name) {
    try {
      Files.deleteIfExists(root.resolve(kind).resolve(name + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete " + kind + " " + name + " under " + root, e);
    }
  }

  /** All stored resources of a kind, by name; unreadable files are logged and skipped. */
  public Map<String, ObjectNode> loadAll(String kind) {
    Map<String, ObjectNode> result = new LinkedHashMap<>();
    Path dir = root.resolve(kind);
    if (!Files.isDirectory(dir)) {
      return result;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        String fileName = file.getFileName().toString();
        if (!fileName.endsWith(".json")) {
          continue;
        }
        try {
          result.put(
              fileName.substring(0, fileName.length() - ".json".length()),
              (ObjectNode) mapper.readTree(file.toFile()));
        } catch (IOException | ClassCastException e) {
          LOG.warn("Skipping unreadable state file {}: {}", file, e.toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read state under " + dir, e);
    }
    return result;
  }
}
