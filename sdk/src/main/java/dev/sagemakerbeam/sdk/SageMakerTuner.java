package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.algorithms.HyperparameterSpec;
import dev.sagemakerbeam.sdk.algorithms.BuiltInAlgorithmEstimator;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.tuning.HyperparameterRange;
import dev.sagemakerbeam.transforms.tuning.HyperparameterRange.Scaling;
import dev.sagemakerbeam.transforms.tuning.TuningJobRunner;
import dev.sagemakerbeam.transforms.tuning.TuningJobSpec;
import dev.sagemakerbeam.transforms.tuning.TuningJobSpec.Direction;
import dev.sagemakerbeam.transforms.tuning.TuningJobSpec.Strategy;
import dev.sagemakerbeam.transforms.tuning.TuningResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Tunes a SageMaker estimator with one SageMaker hyperparameter tuning job and returns the best
 * trial's {@link SageMakerModel}, hosted per the estimator's options (with {@code
 * useBatchTransform} nothing is hosted), with every trial in {@link SageMakerModel#tuningResult()}.
 *
 * <pre>{@code
 * XGBoostSageMakerEstimator xgb = new XGBoostSageMakerEstimator(options)
 *     .setObjective("binary:logistic").setNumRound(50).setEvalMetric("auc");
 * SageMakerModel best = new SageMakerTuner(xgb)
 *     .addRange(xgb.eta(), 0.01, 0.5, Scaling.LOGARITHMIC)
 *     .addRange(xgb.maxDepth(), 2, 8)
 *     .setObjective("validation:auc", Direction.MAXIMIZE)
 *     .setStrategy(Strategy.BAYESIAN).setMaxTrainingJobs(12).setMaxParallelTrainingJobs(3)
 *     .fitWithValidation(train, validation);
 * }</pre>
 *
 * <p>Ranges are built from the estimator's own Params, so a typo does not compile, and each is
 * checked against the algorithm catalogue when added: a hyperparameter SageMaker does not tune, or
 * an end outside its bounds, fails naming the rule; so does an objective the algorithm does not
 * emit, at {@code fit}. The training data is staged once, exactly as the estimator's {@code fit}
 * stages it, and every trial is that training job with the tuned values; the Params set on the
 * estimator are the static hyperparameters. The orchestration ({@code TuningJobRunner}) is the one
 * the Beam {@code SageMakerTune} uses.
 *
 * <p>A tuner is saved with {@link #save}/{@link #write()} (also inside a {@code Pipeline}): its
 * ranges, objective, strategy and limits, and the tuned estimator beside them; {@link #load} (or
 * {@code Pipeline.load}) reads it back, checking the ranges against the catalogue again.
 */
public class SageMakerTuner extends Estimator<SageMakerModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerTuner.class);

  private final String uid;
  private final SageMakerEstimator estimator;
  private final List<HyperparameterRange> ranges = new ArrayList<>();
  private Strategy strategy = Strategy.BAYESIAN;
  private String objectiveMetric;
  private Direction direction;
  private int maxTrainingJobs = 10;
  private int maxParallelTrainingJobs = 1;
  private Integer randomSeed;
  private Duration timeout;

  public SageMakerTuner(SageMakerEstimator estimator) {
    this(Identifiable$.MODULE$.randomUID("sageMakerTuner"), estimator);
  }

  public SageMakerTuner(String uid, SageMakerEstimator estimator) {
    if (estimator == null) {
      throw new IllegalArgumentException("SageMakerTuner needs the estimator to tune");
    }
    this.uid = uid;
    this.estimator = estimator;
  }

  @Override
  public String uid() {
    return uid;
  }

  public SageMakerEstimator getEstimator() {
    return estimator;
  }

  /** A continuous range of one of the estimator's Params, e.g. {@code xgb.eta()}. */
  public SageMakerTuner addRange(DoubleParam param, double min, double max, Scaling scaling) {
    return add(HyperparameterRange.continuous(hyperparameter(param), min, max, scaling));
  }

  public SageMakerTuner addRange(DoubleParam param, double min, double max) {
    return addRange(param, min, max, Scaling.AUTO);
  }

  /** An integer range of one of the estimator's Params, e.g. {@code xgb.maxDepth()}. */
  public SageMakerTuner addRange(IntParam param, int min, int max, Scaling scaling) {
    return add(HyperparameterRange.integer(hyperparameter(param), min, max, scaling));
  }

  public SageMakerTuner addRange(IntParam param, int min, int max) {
    return addRange(param, min, max, Scaling.AUTO);
  }

  /** Categorical values of one of the estimator's Params. */
  public SageMakerTuner addCategoricalRange(Param<?> param, String... values) {
    return add(HyperparameterRange.categorical(hyperparameter(param), values));
  }

  /**
   * A range given by hyperparameter name, for estimators without catalogue Params (a generic {@link
   * SageMakerEstimator} with its own image).
   */
  public SageMakerTuner addRange(HyperparameterRange range) {
    return add(range);
  }

  private SageMakerTuner add(HyperparameterRange range) {
    if (spec() != null) {
      range.checkAgainst(spec());
    }
    if (ranges.stream().anyMatch(r -> r.name().equals(range.name()))) {
      throw new IllegalArgumentException(range.name() + " has a range already");
    }
    ranges.add(range);
    return this;
  }

  /** The objective metric, e.g. {@code validation:auc}, and whether to maximize or minimize it. */
  public SageMakerTuner setObjective(String metric, Direction direction) {
    if (metric == null || metric.isBlank() || direction == null) {
      throw new IllegalArgumentException("setObjective needs a metric name and a direction");
    }
    this.objectiveMetric = metric;
    this.direction = direction;
    return this;
  }

  public SageMakerTuner setStrategy(Strategy strategy) {
    this.strategy = strategy;
    return this;
  }

  public SageMakerTuner setMaxTrainingJobs(int jobs) {
    this.maxTrainingJobs = jobs;
    return this;
  }

  public SageMakerTuner setMaxParallelTrainingJobs(int jobs) {
    this.maxParallelTrainingJobs = jobs;
    return this;
  }

  /** SageMaker's RandomSeed, for a repeatable search. */
  public SageMakerTuner setRandomSeed(int seed) {
    this.randomSeed = seed;
    return this;
  }

  /** How long the tuning job may run before it is stopped (default: trials x training timeout). */
  public SageMakerTuner setTimeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** The ranges, in the order they were added. */
  public List<HyperparameterRange> getRanges() {
    return List.copyOf(ranges);
  }

  public Strategy getStrategy() {
    return strategy;
  }

  /** The objective metric, or null when none is set yet. */
  public String getObjectiveMetric() {
    return objectiveMetric;
  }

  /** The objective's direction, or null when none is set yet. */
  public Direction getObjectiveDirection() {
    return direction;
  }

  public int getMaxTrainingJobs() {
    return maxTrainingJobs;
  }

  public int getMaxParallelTrainingJobs() {
    return maxParallelTrainingJobs;
  }

  /** The random seed, or null when none is set. */
  public Integer getRandomSeed() {
    return randomSeed;
  }

  /** The timeout, or null for the default. */
  public Duration getTimeout() {
    return timeout;
  }

  @Override
  public MLWriter write() {
    return new StagePersistence.TunerWriter(this);
  }

  /**
   * Saves to {@code path}, failing if it exists ({@code write().overwrite().save(path)} replaces).
   */
  @Override
  public void save(String path) throws java.io.IOException {
    write().save(path);
  }

  /** Reads tuners saved by {@link #save} (as {@code Pipeline.load} does for its stages). */
  public static MLReader<SageMakerTuner> read() {
    return new StagePersistence.TunerReader();
  }

  /** Loads a tuner saved by {@link #save}, with its estimator. */
  public static SageMakerTuner load(String path) {
    return read().load(path);
  }

  private AlgorithmSpec spec() {
    return estimator instanceof BuiltInAlgorithmEstimator b ? b.spec() : null;
  }

  /** The catalogue name of one of the estimator's Params. */
  private String hyperparameter(Param<?> param) {
    if (!param.parent().equals(estimator.uid())) {
      throw new IllegalArgumentException(
          "Param "
              + param.name()
              + " belongs to "
              + param.parent()
              + ", not to the tuned estimator "
              + estimator.uid()
              + "; take it from the same estimator");
    }
    AlgorithmSpec spec = spec();
    if (spec == null) {
      throw new IllegalArgumentException(
          estimator.getClass().getSimpleName()
              + " has no catalogue Params; use addRange(HyperparameterRange.continuous(name, ...))");
    }
    return spec.bySparkName(param.name())
        .map(HyperparameterSpec::name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Param " + param.name() + " is not a hyperparameter of " + spec.displayName()));
  }

  /** The tuning job this tuner would run (checked against the catalogue for a built-in). */
  public TuningJobSpec tuningJobSpec() {
    if (objectiveMetric == null) {
      throw new IllegalArgumentException(
          "SageMakerTuner has no objective; call setObjective(\"validation:auc\","
              + " Direction.MAXIMIZE) or another metric the algorithm emits");
    }
    TuningJobSpec.Builder b =
        TuningJobSpec.builder()
            .strategy(strategy)
            .objective(objectiveMetric, direction)
            .maxTrainingJobs(maxTrainingJobs)
            .maxParallelTrainingJobs(maxParallelTrainingJobs)
            .ranges(ranges)
            .randomSeed(randomSeed);
    TuningJobSpec spec = b.build();
    return spec() != null ? spec.checkAgainst(spec()) : spec;
  }

  /**
   * Tunes on {@code dataset}; with the estimator's {@code validationIndicatorColumnName} (as a
   * tuner in a {@code Pipeline}, which gets one Dataset, needs) its true rows are the validation
   * channel.
   */
  @Override
  public SageMakerModel fit(Dataset<?> dataset) {
    return fit(dataset, Map.of());
  }

  /**
   * Tunes with a {@code validation} channel (XGBoost's tunable metrics are {@code validation:}).
   */
  public SageMakerModel fitWithValidation(Dataset<?> dataset, Dataset<?> validation) {
    if (validation == null) {
      throw new IllegalArgumentException("fitWithValidation needs a validation Dataset, got null");
    }
    return fit(dataset, Map.of(SageMakerEstimator.VALIDATION_CHANNEL, validation));
  }

  /** Tunes on {@code dataset} and the further channels, staged as the estimator stages them. */
  public SageMakerModel fit(Dataset<?> dataset, Map<String, Dataset<?>> extraChannels) {
    TuningJobSpec tuning = tuningJobSpec();
    int colon = objectiveMetric.indexOf(':');
    String channel = colon > 0 ? objectiveMetric.substring(0, colon) : null;
    if (channel != null
        && !channel.equals("train")
        && spec() != null
        && spec().trainingChannels().contains(channel)
        && !extraChannels.containsKey(channel)
        && !(channel.equals(SageMakerEstimator.VALIDATION_CHANNEL)
            && estimator.getOptions().validationIndicatorColumnName() != null)) {
      throw new IllegalArgumentException(
          "the objective "
              + objectiveMetric
              + " is computed on the "
              + channel
              + " channel, which this fit has no data for: "
              + (channel.equals(SageMakerEstimator.VALIDATION_CHANNEL)
                  ? "call fitWithValidation(train, validation), or give the estimator's options a"
                      + " validationIndicatorColumnName, a boolean column whose true rows are the"
                      + " validation rows (as a tuner in a Pipeline needs)"
                  : "pass it with fit(train, Map.of(\"" + channel + "\", data))"));
    }
    SageMakerEstimator.PreparedTraining prepared =
        estimator.prepareTraining(dataset, extraChannels);
    String name = estimator.getOptions().namePolicyFactory().createNamePolicy().newTuningJobName();
    Duration wait = timeout != null ? timeout : tuning.defaultTimeout(prepared.timeout);
    TuningResult result;
    try (SageMakerClient client = SageMakerClients.sageMaker(prepared.config)) {
      result =
          new TuningJobRunner(client, wait, estimator.getOptions().pollInterval())
              .run(tuning.toRequest(name, prepared.request));
    } finally {
      prepared.deleteStagedDataIfAsked();
    }
    LOG.info(
        "Tuning job {}: best {} ({} = {})",
        name,
        result.bestModel().trainingJobName(),
        result.objectiveMetric(),
        result.bestObjectiveValue());
    SageMakerModel model = estimator.modelOf(result.bestModel(), prepared);
    model.setTuningResult(result);
    return model;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return estimator.transformSchema(schema);
  }

  @Override
  public SageMakerTuner copy(ParamMap extra) {
    SageMakerTuner copy = new SageMakerTuner(uid, estimator.copy(extra));
    copy.ranges.addAll(ranges);
    copy.strategy = strategy;
    copy.objectiveMetric = objectiveMetric;
    copy.direction = direction;
    copy.maxTrainingJobs = maxTrainingJobs;
    copy.maxParallelTrainingJobs = maxParallelTrainingJobs;
    copy.randomSeed = randomSeed;
    copy.timeout = timeout;
    return copyValues(copy, extra);
  }
}
