package dev.sagemakerbeam.transforms.algorithms;

import java.io.Serializable;

/**
 * Finds the container image of an algorithm for a region. The built-in algorithms use {@link
 * BuiltInAlgorithmImages}; override it to pin another tag or another registry, or give a fixed URI.
 */
@FunctionalInterface
public interface ImageUriResolver extends Serializable {
  /**
   * The image URI for {@code region}.
   *
   * @throws IllegalArgumentException if the algorithm is not available there, naming the fix
   */
  String imageUri(String region);

  /** The same URI in every region (a private registry, SageMaker Local, ...). */
  static ImageUriResolver fixed(String imageUri) {
    if (imageUri == null || imageUri.isBlank()) {
      throw new IllegalArgumentException("image URI must not be blank");
    }
    return region -> imageUri;
  }
}
