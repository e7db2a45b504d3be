package dev.sagemakerbeam.local.storage;

import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;

/**
 * The file-system store with S3's answer to deleting a directory marker ({@code a/b/}) while keys
 * under it exist: the marker goes, the keys stay, at once. jclouds' store keeps such a marker as
 * the directory holding those keys, cannot remove it, and retries for two seconds per key before
 * giving up; Hadoop's S3A deletes the markers above what it writes, so a Spark job writing {@code
 * s3a://} paused for seconds per file.
 */
final class DirectoryMarkerBlobStore extends ForwardingBlobStore {
  DirectoryMarkerBlobStore(BlobStore store) {
    super(store);
  }

  @Override
  public void removeBlob(String container, String name) {
    if (name.endsWith("/") && hasKeysUnder(container, name)) {
      return; // the marker has no existence of its own beside the keys it holds
    }
    super.removeBlob(container, name);
  }

  @Override
  public void removeBlobs(String container, Iterable<String> names) {
    for (String name : names) {
      removeBlob(container, name);
    }
  }

  private boolean hasKeysUnder(String container, String marker) {
    PageSet<? extends StorageMetadata> page =
        delegate()
            .list(container, ListContainerOptions.Builder.prefix(marker).recursive().maxResults(2));
    for (StorageMetadata m : page) {
      if (!m.getName().equals(marker)) {
        return true;
      }
    }
    return false;
  }
}
