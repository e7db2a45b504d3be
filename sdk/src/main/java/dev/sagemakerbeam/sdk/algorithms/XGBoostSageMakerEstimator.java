package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.RequestRowSerializer;
import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.XGBoostCSVRowDeserializer;
import dev.sagemakerbeam.sdk.serializers.ProtobufRequestRowSerializer;
import dev.sagemakerbeam.sdk.serializers.UnlabeledCSVRequestRowSerializer;
import dev.sagemakerbeam.sdk.serializers.UnlabeledLibSVMRequestRowSerializer;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's XGBoost ({@code sagemaker-xgboost:1.7-1}) as a Spark ML estimator, with the Params of
 * the original SageMaker Spark library's XGBoostSageMakerEstimator (and {@code verbosity}, {@code
 * colSampleByNode}, {@code earlyStoppingRounds}), each checked by the catalogue's rule when set.
 * {@code numRound} is required, {@code numClasses} too for the {@code multi:} objectives.
 *
 * <p>Defaults: training data staged as LibSVM ({@code text/libsvm}; {@code
 * trainingSparkDataFormat("csv")} stages CSV with the label first, {@code "sagemaker"}
 * RecordIO-protobuf); requests of the features column alone in the staging format's numbering
 * (unlabelled LibSVM by default), so scoring needs no label column and the features keep the
 * numbers they were trained with; answers read by {@link XGBoostCSVRowDeserializer} into {@code
 * prediction} (a Vector of class probabilities for {@code multi:softprob}). {@link
 * #fitWithValidation} adds a validation channel; its metrics are in the model's {@code
 * trainingMetrics()}.
 */
public class XGBoostSageMakerEstimator extends BuiltInAlgorithmEstimator {
  private static final long serialVersionUID = 1L;

  private final IntParam numRound = intParam("num_round");
  private final IntParam numClasses = intParam("num_class");
  private final Param<String> booster = stringParam("booster");
  private final IntParam silent = intParam("silent");
  private final IntParam verbosity = intParam("verbosity");
  private final IntParam nThread = intParam("nthread");
  private final DoubleParam eta = doubleParam("eta");
  private final DoubleParam gamma = doubleParam("gamma");
  private final IntParam maxDepth = intParam("max_depth");
  private final DoubleParam minChildWeight = doubleParam("min_child_weight");
  private final DoubleParam maxDeltaStep = doubleParam("max_delta_step");
  private final DoubleParam subsample = doubleParam("subsample");
  private final DoubleParam colSampleByTree = doubleParam("colsample_bytree");
  private final DoubleParam colSampleByLevel = doubleParam("colsample_bylevel");
  private final DoubleParam colSampleByNode = doubleParam("colsample_bynode");
  private final DoubleParam lambda = doubleParam("lambda");
  private final DoubleParam alpha = doubleParam("alpha");
  private final Param<String> treeMethod = stringParam("tree_method");
  private final DoubleParam sketchEps = doubleParam("sketch_eps");
  private final DoubleParam scalePosWeight = doubleParam("scale_pos_weight");
  private final Param<String> updater = stringParam("updater");
  private final IntParam refreshLeaf = intParam("refresh_leaf");
  private final Param<String> processType = stringParam("process_type");
  private final Param<String> growPolicy = stringParam("grow_policy");
  private final IntParam maxLeaves = intParam("max_leaves");
  private final IntParam maxBin = intParam("max_bin");
  private final Param<String> sampleType = stringParam("sample_type");
  private final Param<String> normalizeType = stringParam("normalize_type");
  private final DoubleParam rateDrop = doubleParam("rate_drop");
  private final IntParam oneDrop = intParam("one_drop");
  private final DoubleParam skipDrop = doubleParam("skip_drop");
  private final DoubleParam lambdaBias = doubleParam("lambda_bias");
  private final DoubleParam tweedieVariancePower = doubleParam("tweedie_variance_power");
  private final Param<String> objective = stringParam("objective");
  private final DoubleParam baseScore = doubleParam("base_score");
  private final Param<String> evalMetric = stringParam("eval_metric");
  private final IntParam seed = intParam("seed");
  private final IntParam earlyStoppingRounds = intParam("early_stopping_rounds");

  public XGBoostSageMakerEstimator(String uid) {
    this(uid, SageMakerEstimatorOptions.builder().build());
  }

  /**
   * Loads a {@code XGBoostSageMakerEstimator} saved with {@code save} (also as a Pipeline stage).
   */
  public static XGBoostSageMakerEstimator load(String path) {
    return load(path, XGBoostSageMakerEstimator.class);
  }

  public XGBoostSageMakerEstimator(SageMakerEstimatorOptions options) {
    this(Identifiable$.MODULE$.randomUID("XGBoostSageMakerEstimator"), options);
  }

  public XGBoostSageMakerEstimator(String uid, SageMakerEstimatorOptions options) {
    super(uid, options);
  }

  public IntParam numRound() {
    return numRound;
  }

  public XGBoostSageMakerEstimator setNumRound(int v) {
    return (XGBoostSageMakerEstimator) set(numRound, v);
  }

  public int getNumRound() {
    return (Integer) getOrDefault(numRound);
  }

  public IntParam numClasses() {
    return numClasses;
  }

  public XGBoostSageMakerEstimator setNumClasses(int v) {
    return (XGBoostSageMakerEstimator) set(numClasses, v);
  }

  public int getNumClasses() {
    return (Integer) getOrDefault(numClasses);
  }

  public Param<String> booster() {
    return booster;
  }

  public XGBoostSageMakerEstimator setBooster(String v) {
    return (XGBoostSageMakerEstimator) set(booster, v);
  }

  public String getBooster() {
    return getOrDefault(booster);
  }

  public IntParam silent() {
    return silent;
  }

  public XGBoostSageMakerEstimator setSilent(int v) {
    return (XGBoostSageMakerEstimator) set(silent, v);
  }

  public int getSilent() {
    return (Integer) getOrDefault(silent);
  }

  public IntParam verbosity() {
    return verbosity;
  }

  public XGBoostSageMakerEstimator setVerbosity(int v) {
    return (XGBoostSageMakerEstimator) set(verbosity, v);
  }

  public int getVerbosity() {
    return (Integer) getOrDefault(verbosity);
  }

  public IntParam nThread() {
    return nThread;
  }

  public XGBoostSageMakerEstimator setNThread(int v) {
    return (XGBoostSageMakerEstimator) set(nThread, v);
  }

  public int getNThread() {
    return (Integer) getOrDefault(nThread);
  }

  public DoubleParam eta() {
    return eta;
  }

  public XGBoostSageMakerEstimator setEta(double v) {
    return (XGBoostSageMakerEstimator) set(eta, v);
  }

  public double getEta() {
    return (Double) getOrDefault(eta);
  }

  public DoubleParam gamma() {
    return gamma;
  }

  public XGBoostSageMakerEstimator setGamma(double v) {
    return (XGBoostSageMakerEstimator) set(gamma, v);
  }

  public double getGamma() {
    return (Double) getOrDefault(gamma);
  }

  public IntParam maxDepth() {
    return maxDepth;
  }

  public XGBoostSageMakerEstimator setMaxDepth(int v) {
    return (XGBoostSageMakerEstimator) set(maxDepth, v);
  }

  public int getMaxDepth() {
    return (Integer) getOrDefault(maxDepth);
  }

  public DoubleParam minChildWeight() {
    return minChildWeight;
  }

  public XGBoostSageMakerEstimator setMinChildWeight(double v) {
    return (XGBoostSageMakerEstimator) set(minChildWeight, v);
  }

  public double getMinChildWeight() {
    return (Double) getOrDefault(minChildWeight);
  }

  public DoubleParam maxDeltaStep() {
    return maxDeltaStep;
  }

  public XGBoostSageMakerEstimator setMaxDeltaStep(double v) {
    return (XGBoostSageMakerEstimator) set(maxDeltaStep, v);
  }

  public double getMaxDeltaStep() {
    return (Double) getOrDefault(maxDeltaStep);
  }

  public DoubleParam subsample() {
    return subsample;
  }

  public XGBoostSageMakerEstimator setSubsample(double v) {
    return (XGBoostSageMakerEstimator) set(subsample, v);
  }

  public double getSubsample() {
    return (Double) getOrDefault(subsample);
  }

  public DoubleParam colSampleByTree() {
    return colSampleByTree;
  }

  public XGBoostSageMakerEstimator setColSampleByTree(double v) {
    return (XGBoostSageMakerEstimator) set(colSampleByTree, v);
  }

  public double getColSampleByTree() {
    return (Double) getOrDefault(colSampleByTree);
  }

  public DoubleParam colSampleByLevel() {
    return colSampleByLevel;
  }

  public XGBoostSageMakerEstimator setColSampleByLevel(double v) {
    return (XGBoostSageMakerEstimator) set(colSampleByLevel, v);
  }

  public double getColSampleByLevel() {
    return (Double) getOrDefault(colSampleByLevel);
  }

  public DoubleParam colSampleByNode() {
    return colSampleByNode;
  }

  public XGBoostSageMakerEstimator setColSampleByNode(double v) {
    return (XGBoostSageMakerEstimator) set(colSampleByNode, v);
  }

  public double getColSampleByNode() {
    return (Double) getOrDefault(colSampleByNode);
  }

  public DoubleParam lambda() {
    return lambda;
  }

  public XGBoostSageMakerEstimator setLambda(double v) {
    return (XGBoostSageMakerEstimator) set(lambda, v);
  }

  public double getLambda() {
    return (Double) getOrDefault(lambda);
  }

  public DoubleParam alpha() {
    return alpha;
  }

  public XGBoostSageMakerEstimator setAlpha(double v) {
    return (XGBoostSageMakerEstimator) set(alpha, v);
  }

  public double getAlpha() {
    return (Double) getOrDefault(alpha);
  }

  public Param<String> treeMethod() {
    return treeMethod;
  }

  public XGBoostSageMakerEstimator setTreeMethod(String v) {
    return (XGBoostSageMakerEstimator) set(treeMethod, v);
  }

  public String getTreeMethod() {
    return getOrDefault(treeMethod);
  }

  public DoubleParam sketchEps() {
    return sketchEps;
  }

  public XGBoostSageMakerEstimator setSketchEps(double v) {
    return (XGBoostSageMakerEstimator) set(sketchEps, v);
  }

  public double getSketchEps() {
    return (Double) getOrDefault(sketchEps);
  }

  public DoubleParam scalePosWeight() {
    return scalePosWeight;
  }

  public XGBoostSageMakerEstimator setScalePosWeight(double v) {
    return (XGBoostSageMakerEstimator) set(scalePosWeight, v);
  }

  public double getScalePosWeight() {
    return (Double) getOrDefault(scalePosWeight);
  }

  public Param<String> updater() {
    return updater;
  }

  public XGBoostSageMakerEstimator setUpdater(String v) {
    return (XGBoostSageMakerEstimator) set(updater, v);
  }

  public String getUpdater() {
    return getOrDefault(updater);
  }

  public IntParam refreshLeaf() {
    return refreshLeaf;
  }

  public XGBoostSageMakerEstimator setRefreshLeaf(int v) {
    return (XGBoostSageMakerEstimator) set(refreshLeaf, v);
  }

  public int getRefreshLeaf() {
    return (Integer) getOrDefault(refreshLeaf);
  }

  public Param<String> processType() {
    return processType;
  }

  public XGBoostSageMakerEstimator setProcessType(String v) {
    return (XGBoostSageMakerEstimator) set(processType, v);
  }

  public String getProcessType() {
    return getOrDefault(processType);
  }

  public Param<String> growPolicy() {
    return growPolicy;
  }

  public XGBoostSageMakerEstimator setGrowPolicy(String v) {
    return (XGBoostSageMakerEstimator) set(growPolicy, v);
  }

  public String getGrowPolicy() {
    return getOrDefault(growPolicy);
  }

  public IntParam maxLeaves() {
    return maxLeaves;
  }

  public XGBoostSageMakerEstimator setMaxLeaves(int v) {
    return (XGBoostSageMakerEstimator) set(maxLeaves, v);
  }

  public int getMaxLeaves() {
    return (Integer) getOrDefault(maxLeaves);
  }

  public IntParam maxBin() {
    return maxBin;
  }

  public XGBoostSageMakerEstimator setMaxBin(int v) {
    return (XGBoostSageMakerEstimator) set(maxBin, v);
  }

  public int getMaxBin() {
    return (Integer) getOrDefault(maxBin);
  }

  public Param<String> sampleType() {
    return sampleType;
  }

  public XGBoostSageMakerEstimator setSampleType(String v) {
    return (XGBoostSageMakerEstimator) set(sampleType, v);
  }

  public String getSampleType() {
    return getOrDefault(sampleType);
  }

  public Param<String> normalizeType() {
    return normalizeType;
  }

  public XGBoostSageMakerEstimator setNormalizeType(String v) {
    return (XGBoostSageMakerEstimator) set(normalizeType, v);
  }

  public String getNormalizeType() {
    return getOrDefault(normalizeType);
  }

  public DoubleParam rateDrop() {
    return rateDrop;
  }

  public XGBoostSageMakerEstimator setRateDrop(double v) {
    return (XGBoostSageMakerEstimator) set(rateDrop, v);
  }

  public double getRateDrop() {
    return (Double) getOrDefault(rateDrop);
  }

  public IntParam oneDrop() {
    return oneDrop;
  }

  public XGBoostSageMakerEstimator setOneDrop(int v) {
    return (XGBoostSageMakerEstimator) set(oneDrop, v);
  }

  public int getOneDrop() {
    return (Integer) getOrDefault(oneDrop);
  }

  public DoubleParam skipDrop() {
    return skipDrop;
  }

  public XGBoostSageMakerEstimator setSkipDrop(double v) {
    return (XGBoostSageMakerEstimator) set(skipDrop, v);
  }

  public double getSkipDrop() {
    return (Double) getOrDefault(skipDrop);
  }

  public DoubleParam lambdaBias() {
    return lambdaBias;
  }

  public XGBoostSageMakerEstimator setLambdaBias(double v) {
    return (XGBoostSageMakerEstimator) set(lambdaBias, v);
  }

  public double getLambdaBias() {
    return (Double) getOrDefault(lambdaBias);
  }

  public DoubleParam tweedieVariancePower() {
    return tweedieVariancePower;
  }

  public XGBoostSageMakerEstimator setTweedieVariancePower(double v) {
    return (XGBoostSageMakerEstimator) set(tweedieVariancePower, v);
  }

  public double getTweedieVariancePower() {
    return (Double) getOrDefault(tweedieVariancePower);
  }

  public Param<String> objective() {
    return objective;
  }

  public XGBoostSageMakerEstimator setObjective(String v) {
    return (XGBoostSageMakerEstimator) set(objective, v);
  }

  public String getObjective() {
    return getOrDefault(objective);
  }

  public DoubleParam baseScore() {
    return baseScore;
  }

  public XGBoostSageMakerEstimator setBaseScore(double v) {
    return (XGBoostSageMakerEstimator) set(baseScore, v);
  }

  public double getBaseScore() {
    return (Double) getOrDefault(baseScore);
  }

  public Param<String> evalMetric() {
    return evalMetric;
  }

  public XGBoostSageMakerEstimator setEvalMetric(String v) {
    return (XGBoostSageMakerEstimator) set(evalMetric, v);
  }

  public String getEvalMetric() {
    return getOrDefault(evalMetric);
  }

  public IntParam seed() {
    return seed;
  }

  public XGBoostSageMakerEstimator setSeed(int v) {
    return (XGBoostSageMakerEstimator) set(seed, v);
  }

  public int getSeed() {
    return (Integer) getOrDefault(seed);
  }

  public IntParam earlyStoppingRounds() {
    return earlyStoppingRounds;
  }

  public XGBoostSageMakerEstimator setEarlyStoppingRounds(int v) {
    return (XGBoostSageMakerEstimator) set(earlyStoppingRounds, v);
  }

  public int getEarlyStoppingRounds() {
    return (Integer) getOrDefault(earlyStoppingRounds);
  }

  @Override
  protected AlgorithmPreset<?, ?> preset() {
    return AlgorithmPreset.xgboost();
  }

  @Override
  protected String defaultTrainingSparkDataFormat() {
    return "libsvm";
  }

  /**
   * Requests in the staging format's feature numbering: XGBoost reads a LibSVM index as the feature
   * number (1-based data leaves feature 0 unused) but CSV columns and protobuf keys from 0, so a
   * model staged as LibSVM is scored with LibSVM, one staged as CSV with CSV, one staged as
   * RecordIO-protobuf with protobuf.
   */
  @Override
  protected RequestRowSerializer defaultRequestRowSerializer() {
    String format = trainingSparkDataFormat();
    switch (format.toLowerCase(java.util.Locale.ROOT)) {
      case "csv":
        return new UnlabeledCSVRequestRowSerializer(featuresColumn());
      case "sagemaker":
        return new ProtobufRequestRowSerializer(featuresColumn(), 0);
      default:
        return new UnlabeledLibSVMRequestRowSerializer(featuresColumn());
    }
  }

  @Override
  protected ResponseRowDeserializer defaultResponseRowDeserializer() {
    return isDefined(objective) && "multi:softprob".equals(getOrDefault(objective))
        ? XGBoostCSVRowDeserializer.probabilities("prediction")
        : new XGBoostCSVRowDeserializer();
  }

  @Override
  public XGBoostSageMakerEstimator copy(ParamMap extra) {
    return copyValues(new XGBoostSageMakerEstimator(uid(), getOptions()), extra);
  }
}
