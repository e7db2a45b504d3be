package dev.sagemakerbeam.sdk;

/**
 * The account's default SageMaker bucket {@code <account>-sagemaker-<region>} (created when
 * missing), under a prefix unique to the training run.
 */
public final class S3AutoCreatePath implements S3Resource {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean equals(Object o) {
    return o instanceof S3AutoCreatePath;
  }

  @Override
  public int hashCode() {
    return 1;
  }

  @Override
  public String toString() {
    return "S3AutoCreatePath";
  }
}
