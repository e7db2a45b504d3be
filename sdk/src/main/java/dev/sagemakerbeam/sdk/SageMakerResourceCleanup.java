package dev.sagemakerbeam.sdk;

import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Deletes what a {@link SageMakerModel} created ({@code model.getCreatedResources()}): endpoint,
 * endpoint config, then model. The sdk package's name for the one cleanup implementation, {@link
 * dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup}, where users of the original
 * SageMaker Spark library import it from.
 */
public final class SageMakerResourceCleanup
    extends dev.sagemakerbeam.transforms.hosting.SageMakerResourceCleanup {

  public SageMakerResourceCleanup(SageMakerClient client) {
    super(client);
  }
}
