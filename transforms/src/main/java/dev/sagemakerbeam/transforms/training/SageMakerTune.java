package dev.sagemakerbeam.transforms.training;

import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.io.beam.LabeledExample;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.tuning.TuningJobRunner;
import dev.sagemakerbeam.transforms.tuning.TuningJobSpec;
import dev.sagemakerbeam.transforms.tuning.TuningResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Tunes a {@link SageMakerTrain}'s hyperparameters with a SageMaker hyperparameter tuning job:
 * stages the examples exactly as {@code SageMakerTrain} does, runs one tuning job whose trials are
 * that training job with the {@link TuningJobSpec}'s ranges (its other hyperparameters are static),
 * and outputs one {@link TuningResult}: the best trial's {@code TrainedModel} (for {@code
 * DeployEndpoint} or batch transform) and every trial.
 *
 * <pre>{@code
 * PCollection<TuningResult> tuned = examples.apply(
 *     SageMakerTune.of(
 *         SageMakerTrain.xgboost(new XGBoostHyperparameters().objective("binary:logistic")
 *                 .numRound(50).evalMetric("auc"))
 *             .withClientConfiguration(config).withRole(role).withInstanceType("ml.m5.large"),
 *         TuningJobSpec.builder()
 *             .objective("train:auc", Direction.MAXIMIZE)
 *             .range(HyperparameterRange.continuous("eta", 0.01, 0.5, Scaling.LOGARITHMIC))
 *             .range(HyperparameterRange.integer("max_depth", 2, 8))
 *             .maxTrainingJobs(12).maxParallelTrainingJobs(3)
 *             .build()));
 * }</pre>
 *
 * <p>For a built-in algorithm the ranges are checked against the catalogue when the transform is
 * applied. The tuning job name is fixed then too, so a retried step follows the job it created. The
 * runner ({@link TuningJobRunner}) is the one the Spark tuner uses.
 */
public final class SageMakerTune
    extends PTransform<PCollection<LabeledExample>, PCollection<TuningResult>> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerTune.class);

  private final SageMakerTrain train;
  private final TuningJobSpec tuning;
  private final Duration timeout;
  private final transient PCollection<LabeledExample> validation;

  private SageMakerTune(
      SageMakerTrain train,
      TuningJobSpec tuning,
      Duration timeout,
      PCollection<LabeledExample> validation) {
    this.train = train;
    this.tuning = tuning;
    this.timeout = timeout;
    this.validation = validation;
  }

  /**
   * Tunes {@code train} (its client configuration, role, instances, staging) over {@code tuning}.
   */
  public static SageMakerTune of(SageMakerTrain train, TuningJobSpec tuning) {
    if (train == null || tuning == null) {
      throw new IllegalArgumentException(
          "SageMakerTune.of needs a SageMakerTrain and a TuningJobSpec");
    }
    AlgorithmSpec spec = train.algorithmSpec();
    if (spec != null) {
      tuning.checkAgainst(spec);
    }
    return new SageMakerTune(train, tuning, null, null);
  }

  /**
   * Also stages {@code examples} as the {@code validation} channel of every trial, as the
   * built-ins' {@code validation:} objectives (XGBoost's, Linear Learner's) need.
   */
  public SageMakerTune withValidation(PCollection<LabeledExample> examples) {
    if (examples == null) {
      throw new IllegalArgumentException("withValidation needs a PCollection, got null");
    }
    train.checkValidationChannelFree();
    return new SageMakerTune(train, tuning, timeout, examples);
  }

  /**
   * How long the whole tuning job may run before it is stopped (default: training's timeout x
   * trials / parallel).
   */
  public SageMakerTune withTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("withTimeout needs a positive duration, got " + timeout);
    }
    return new SageMakerTune(train, tuning, timeout, validation);
  }

  @Override
  public PCollection<TuningResult> expand(PCollection<LabeledExample> examples) {
    SageMakerTrain.Plan plan = train.plan();
    String name = train.names().newTuningJobName();
    Duration wait = timeout != null ? timeout : tuning.defaultTimeout(plan.timeout);
    LOG.info("SageMakerTune: tuning job {} ({})", name, tuning.ranges());
    PCollectionView<List<String>> validationFiles =
        validation == null ? null : train.stageValidation(validation, plan);
    ParDo.SingleOutput<List<String>, TuningResult> run =
        ParDo.of(new RunTuningJobFn(plan, tuning, name, wait, validationFiles));
    if (validationFiles != null) {
      run = run.withSideInputs(validationFiles);
    }
    return train
        .stage(examples, plan)
        .apply("RunTuningJob", run)
        .setCoder(SerializableCoder.of(TuningResult.class));
  }

  static final class RunTuningJobFn extends DoFn<List<String>, TuningResult> {
    private static final long serialVersionUID = 1L;
    private final SageMakerTrain.Plan plan;
    private final TuningJobSpec tuning;
    private final String name;
    private final Duration timeout;
    private final PCollectionView<List<String>> validationFiles;

    RunTuningJobFn(
        SageMakerTrain.Plan plan,
        TuningJobSpec tuning,
        String name,
        Duration timeout,
        PCollectionView<List<String>> validationFiles) {
      this.plan = plan;
      this.tuning = tuning;
      this.name = name;
      this.timeout = timeout;
      this.validationFiles = validationFiles;
    }

    @ProcessElement
    public void process(
        @Element List<String> files, ProcessContext context, OutputReceiver<TuningResult> out) {
      try (SageMakerClient sageMaker = SageMakerClients.sageMaker(plan.config);
          S3Client s3 = SageMakerClients.s3(plan.config)) {
        try {
          Map<String, String> channels =
              SageMakerTrain.RunTrainingJobFn.channelUris(
                  plan,
                  s3,
                  files,
                  validationFiles == null ? null : context.sideInput(validationFiles));
          out.output(
              new TuningJobRunner(sageMaker, timeout, plan.pollInterval)
                  .run(
                      tuning.toRequest(
                          name, plan.spec.toRequest(name, channels, plan.defaultOutputPath()))));
        } finally {
          if (plan.deleteStagingData) {
            SageMakerTrain.RunTrainingJobFn.deleteStagedData(plan, s3, validationFiles != null);
          }
        }
      }
    }
  }
}
