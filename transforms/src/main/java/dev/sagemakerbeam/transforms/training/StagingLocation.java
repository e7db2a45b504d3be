package dev.sagemakerbeam.transforms.training;

import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import java.io.Serializable;
import javax.annotation.Nullable;

/**
 * Where a transform stages: the {@code s3://bucket/prefix} the user gave, or, when none,
 * SageMaker's default {@code <account>-sagemaker-<region>} bucket. The default needs STS (the
 * account) and perhaps a bucket creation, so it is resolved on first use at run time, inside the
 * DoFns, and never while the pipeline is built: {@code expand()} makes no AWS calls.
 *
 * <p>Serializable; each deserialized copy resolves the default once (the name is the same on every
 * worker, and {@link StagingArea#ensureBucket} tolerates a bucket another worker just created).
 */
public final class StagingLocation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SageMakerClientConfiguration config;
  private final @Nullable String given;
  private transient volatile String resolved;

  private StagingLocation(SageMakerClientConfiguration config, @Nullable String given) {
    this.config = config;
    this.given = given;
  }

  /** {@code s3Uri}, or the default bucket of {@code config}'s account and region when null. */
  public static StagingLocation of(SageMakerClientConfiguration config, @Nullable String s3Uri) {
    if (config == null) {
      throw new IllegalArgumentException("StagingLocation needs a client configuration, got null");
    }
    return new StagingLocation(config, s3Uri);
  }

  /** The staging URI, resolving (and creating) the default bucket on the first call. */
  public String uri() {
    String uri = given != null ? given : resolved;
    if (uri == null) {
      synchronized (this) {
        if (resolved == null) {
          resolved = StagingArea.defaultStagingLocation(config);
        }
        uri = resolved;
      }
    }
    return uri;
  }

  /** {@code <staging>/<relative>}. */
  public String resolve(String relative) {
    return uri() + "/" + relative;
  }

  /** For logs while building the pipeline: the given URI, or a placeholder for the default. */
  @Override
  public String toString() {
    return given != null ? given : "s3://<account>-sagemaker-<region>/sagemaker-beam";
  }
}
