package dev.sagemakerbeam.local.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemakerbeam.local.server.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects an S3 data source of SageMaker names (a training channel's or a transform job's
 * {@code S3DataSource}): for {@code S3Prefix} every object under the prefix, its relative path
 * taken after the prefix's last {@code /}; for {@code ManifestFile} the objects the manifest lists
 * ({@code [{"prefix": "s3://bucket/prefix/"}, "relative/key", ...]}), each relative to that prefix.
 */
public final class S3DataSource {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One object of the data source and its path relative to the source's prefix. */
  public record Entry(S3Location location, String relativePath) {}

  /** The data source cannot be read (a bad or missing manifest, a listed object that is absent). */
  public static final class InvalidDataSourceException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidDataSourceException(String message) {
      super(message);
    }
  }

  private S3DataSource() {}

  /**
   * Lists the data source's objects in key (S3Prefix) or manifest order; empty when nothing is
   * under the prefix.
   *
   * @param type {@code S3Prefix} or {@code ManifestFile}
   */
  public static List<Entry> list(LocalS3 s3, String type, S3Location uri)
      throws InvalidDataSourceException {
    List<Entry> objects = new ArrayList<>();
    if (type.equals("ManifestFile")) {
      listManifest(s3, uri, objects);
    } else {
      String base =
          uri.key().contains("/") ? uri.key().substring(0, uri.key().lastIndexOf('/') + 1) : "";
      for (String key : s3.listKeys(uri)) {
        objects.add(new Entry(new S3Location(uri.bucket(), key), key.substring(base.length())));
      }
    }
    return objects;
  }

  private static void listManifest(LocalS3 s3, S3Location manifestLocation, List<Entry> objects)
      throws InvalidDataSourceException {
    JsonNode manifest;
    try {
      manifest = MAPPER.readTree(s3.read(manifestLocation));
    } catch (IOException e) {
      throw new InvalidDataSourceException(
          "Could not read manifest file " + manifestLocation + ": " + e.getMessage());
    }
    if (manifest == null
        || !manifest.isArray()
        || manifest.size() == 0
        || !manifest.get(0).path("prefix").isTextual()) {
      throw new InvalidDataSourceException(
          "Manifest file "
              + manifestLocation
              + " must be a JSON list starting with"
              + " {\"prefix\": \"s3://bucket/prefix/\"} followed by relative keys");
    }
    S3Location prefix;
    try {
      prefix = S3Location.parse("manifest prefix", manifest.get(0).get("prefix").asText());
    } catch (ApiException e) {
      throw new InvalidDataSourceException(
          "Manifest file " + manifestLocation + ": " + e.getMessage());
    }
    for (int i = 1; i < manifest.size(); i++) {
      if (!manifest.get(i).isTextual()) {
        throw new InvalidDataSourceException(
            "Manifest file " + manifestLocation + " entry " + i + " is not a relative key string");
      }
      String relative = manifest.get(i).asText();
      S3Location object = new S3Location(prefix.bucket(), prefix.key() + relative);
      try {
        S3Location.checkKey("manifest entry", object.key());
      } catch (ApiException e) {
        throw new InvalidDataSourceException(
            "Manifest file " + manifestLocation + ": " + e.getMessage());
      }
      if (!s3.exists(object)) {
        throw new InvalidDataSourceException(
            "Object " + object + " listed in manifest " + manifestLocation + " does not exist");
      }
      objects.add(new Entry(object, relative));
    }
  }
}
