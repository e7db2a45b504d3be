package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;

/** Operations on the SageMaker stages inside Spark ML Pipelines. */
public final class SageMakerStages {
  private SageMakerStages() {}

  /**
   * Gives every SageMaker stage of {@code stage} (a {@link Pipeline}, a {@link PipelineModel},
   * nested ones included, or a single SageMaker stage) {@code configuration}, and returns {@code
   * stage}.
   *
   * <p>Saved stages hold no keys: a stage saved with static credentials is loaded with the SDK's
   * default credential chain. Where that chain has no credentials (SageMaker Local's key pair,
   * say), give them after loading: {@code useClientConfiguration(PipelineModel.load(path),
   * config)}.
   */
  public static <T extends PipelineStage> T useClientConfiguration(
      T stage, SageMakerClientConfiguration configuration) {
    if (configuration == null) {
      throw new IllegalArgumentException("configuration must not be null");
    }
    if (stage instanceof SageMakerEstimator e) {
      e.setClientConfiguration(configuration);
    } else if (stage instanceof SageMakerModel m) {
      m.setClientConfiguration(configuration);
    } else if (stage instanceof Pipeline p) {
      for (PipelineStage s : p.getStages()) {
        useClientConfiguration(s, configuration);
      }
    } else if (stage instanceof PipelineModel p) {
      for (Transformer s : p.stages()) {
        useClientConfiguration(s, configuration);
      }
    }
    return stage;
  }
}
