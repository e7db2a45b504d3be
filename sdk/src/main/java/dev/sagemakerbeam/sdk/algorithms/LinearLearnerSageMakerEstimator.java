package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;

/**
 * What SageMaker's Linear Learner estimators share ({@link LinearLearnerBinaryClassifier}, {@link
 * LinearLearnerMultiClassClassifier}, {@link LinearLearnerRegressor}): a Spark {@code Param} for
 * every hyperparameter of the catalogue's Linear Learner that all three take, checked by the
 * catalogue's rule when set. Hyperparameters that SageMaker allows to be {@code auto} are String
 * Params (set a number, or {@code "auto"}); unset, SageMaker's default applies. {@code
 * predictorType} is fixed by the subclass.
 *
 * @param <T> the estimator's own type, which the setters return
 */
public abstract class LinearLearnerSageMakerEstimator<T extends LinearLearnerSageMakerEstimator<T>>
    extends FirstPartyAlgorithmEstimator {
  private static final long serialVersionUID = 1L;

  private final Param<String> predictorType = stringParam("predictor_type");
  private final IntParam epochs = intParam("epochs");
  private final BooleanParam useBias = booleanParam("use_bias");
  private final Param<String> numModels = stringParam("num_models");
  private final Param<String> numCalibrationSamples = stringParam("num_calibration_samples");
  private final Param<String> initMethod = stringParam("init_method");
  private final DoubleParam initScale = doubleParam("init_scale");
  private final DoubleParam initSigma = doubleParam("init_sigma");
  private final DoubleParam initBias = doubleParam("init_bias");
  private final Param<String> optimizer = stringParam("optimizer");
  private final Param<String> loss = stringParam("loss");
  private final Param<String> wd = stringParam("wd");
  private final Param<String> l1 = stringParam("l1");
  private final Param<String> momentum = stringParam("momentum");
  private final Param<String> learningRate = stringParam("learning_rate");
  private final Param<String> beta1 = stringParam("beta_1");
  private final Param<String> beta2 = stringParam("beta_2");
  private final Param<String> biasLrMult = stringParam("bias_lr_mult");
  private final Param<String> biasWdMult = stringParam("bias_wd_mult");
  private final BooleanParam useLrScheduler = booleanParam("use_lr_scheduler");
  private final Param<String> lrSchedulerStep = stringParam("lr_scheduler_step");
  private final Param<String> lrSchedulerFactor = stringParam("lr_scheduler_factor");
  private final Param<String> lrSchedulerMinimumLr = stringParam("lr_scheduler_minimum_lr");
  private final Param<String> normalizeData = stringParam("normalize_data");
  private final Param<String> normalizeLabel = stringParam("normalize_label");
  private final Param<String> unbiasData = stringParam("unbias_data");
  private final Param<String> unbiasLabel = stringParam("unbias_label");
  private final IntParam numPointForScaler = intParam("num_point_for_scaler");
  private final IntParam earlyStoppingPatience = intParam("early_stopping_patience");
  private final DoubleParam earlyStoppingTolerance = doubleParam("early_stopping_tolerance");
  private final DoubleParam margin = doubleParam("margin");
  private final DoubleParam quantile = doubleParam("quantile");
  private final DoubleParam lossInsensitivity = doubleParam("loss_insensitivity");
  private final DoubleParam huberDelta = doubleParam("huber_delta");
  private final DoubleParam fBeta = doubleParam("f_beta");

  protected LinearLearnerSageMakerEstimator(
      String uid, SageMakerEstimatorOptions options, String predictorType) {
    super(uid, options);
    setDefault(this.predictorType, predictorType);
  }

  @SuppressWarnings("unchecked")
  private T self(Object estimator) {
    return (T) estimator;
  }

  @Override
  protected AlgorithmPreset<?, ?> preset() {
    return AlgorithmPreset.linearLearner();
  }

  public T setFeatureDim(int v) {
    return self(set(featureDim, v));
  }

  public T setMiniBatchSize(int v) {
    return self(set(miniBatchSize, v));
  }

  public Param<String> predictorType() {
    return predictorType;
  }

  public T setPredictorType(String v) {
    return self(set(predictorType, v));
  }

  public String getPredictorType() {
    return getOrDefault(predictorType);
  }

  public IntParam epochs() {
    return epochs;
  }

  public T setEpochs(int v) {
    return self(set(epochs, v));
  }

  public int getEpochs() {
    return (Integer) getOrDefault(epochs);
  }

  public BooleanParam useBias() {
    return useBias;
  }

  public T setUseBias(boolean v) {
    return self(set(useBias, v));
  }

  public boolean getUseBias() {
    return (Boolean) getOrDefault(useBias);
  }

  public Param<String> numModels() {
    return numModels;
  }

  public T setNumModels(int v) {
    return setNumModels(Integer.toString(v));
  }

  public T setNumModels(String v) {
    return self(set(numModels, v));
  }

  public String getNumModels() {
    return getOrDefault(numModels);
  }

  public Param<String> numCalibrationSamples() {
    return numCalibrationSamples;
  }

  public T setNumCalibrationSamples(int v) {
    return setNumCalibrationSamples(Integer.toString(v));
  }

  public T setNumCalibrationSamples(String v) {
    return self(set(numCalibrationSamples, v));
  }

  public String getNumCalibrationSamples() {
    return getOrDefault(numCalibrationSamples);
  }

  public Param<String> initMethod() {
    return initMethod;
  }

  public T setInitMethod(String v) {
    return self(set(initMethod, v));
  }

  public String getInitMethod() {
    return getOrDefault(initMethod);
  }

  public DoubleParam initScale() {
    return initScale;
  }

  public T setInitScale(double v) {
    return self(set(initScale, v));
  }

  public double getInitScale() {
    return (Double) getOrDefault(initScale);
  }

  public DoubleParam initSigma() {
    return initSigma;
  }

  public T setInitSigma(double v) {
    return self(set(initSigma, v));
  }

  public double getInitSigma() {
    return (Double) getOrDefault(initSigma);
  }

  public DoubleParam initBias() {
    return initBias;
  }

  public T setInitBias(double v) {
    return self(set(initBias, v));
  }

  public double getInitBias() {
    return (Double) getOrDefault(initBias);
  }

  public Param<String> optimizer() {
    return optimizer;
  }

  public T setOptimizer(String v) {
    return self(set(optimizer, v));
  }

  public String getOptimizer() {
    return getOrDefault(optimizer);
  }

  public Param<String> loss() {
    return loss;
  }

  public T setLoss(String v) {
    return self(set(loss, v));
  }

  public String getLoss() {
    return getOrDefault(loss);
  }

  public Param<String> wd() {
    return wd;
  }

  public T setWd(double v) {
    return setWd(Double.toString(v));
  }

  public T setWd(String v) {
    return self(set(wd, v));
  }

  public String getWd() {
    return getOrDefault(wd);
  }

  public Param<String> l1() {
    return l1;
  }

  public T setL1(double v) {
    return setL1(Double.toString(v));
  }

  public T setL1(String v) {
    return self(set(l1, v));
  }

  public String getL1() {
    return getOrDefault(l1);
  }

  public Param<String> momentum() {
    return momentum;
  }

  public T setMomentum(double v) {
    return setMomentum(Double.toString(v));
  }

  public T setMomentum(String v) {
    return self(set(momentum, v));
  }

  public String getMomentum() {
    return getOrDefault(momentum);
  }

  public Param<String> learningRate() {
    return learningRate;
  }

  public T setLearningRate(double v) {
    return setLearningRate(Double.toString(v));
  }

  public T setLearningRate(String v) {
    return self(set(learningRate, v));
  }

  public String getLearningRate() {
    return getOrDefault(learningRate);
  }

  public Param<String> beta1() {
    return beta1;
  }

  public T setBeta1(double v) {
    return setBeta1(Double.toString(v));
  }

  public T setBeta1(String v) {
    return self(set(beta1, v));
  }

  public String getBeta1() {
    return getOrDefault(beta1);
  }

  public Param<String> beta2() {
    return beta2;
  }

  public T setBeta2(double v) {
    return setBeta2(Double.toString(v));
  }

  public T setBeta2(String v) {
    return self(set(beta2, v));
  }

  public String getBeta2() {
    return getOrDefault(beta2);
  }

  public Param<String> biasLrMult() {
    return biasLrMult;
  }

  public T setBiasLrMult(double v) {
    return setBiasLrMult(Double.toString(v));
  }

  public T setBiasLrMult(String v) {
    return self(set(biasLrMult, v));
  }

  public String getBiasLrMult() {
    return getOrDefault(biasLrMult);
  }

  public Param<String> biasWdMult() {
    return biasWdMult;
  }

  public T setBiasWdMult(double v) {
    return setBiasWdMult(Double.toString(v));
  }

  public T setBiasWdMult(String v) {
    return self(set(biasWdMult, v));
  }

  public String getBiasWdMult() {
    return getOrDefault(biasWdMult);
  }

  public BooleanParam useLrScheduler() {
    return useLrScheduler;
  }

  public T setUseLrScheduler(boolean v) {
    return self(set(useLrScheduler, v));
  }

  public boolean getUseLrScheduler() {
    return (Boolean) getOrDefault(useLrScheduler);
  }

  public Param<String> lrSchedulerStep() {
    return lrSchedulerStep;
  }

  public T setLrSchedulerStep(int v) {
    return setLrSchedulerStep(Integer.toString(v));
  }

  public T setLrSchedulerStep(String v) {
    return self(set(lrSchedulerStep, v));
  }

  public String getLrSchedulerStep() {
    return getOrDefault(lrSchedulerStep);
  }

  public Param<String> lrSchedulerFactor() {
    return lrSchedulerFactor;
  }

  public T setLrSchedulerFactor(double v) {
    return setLrSchedulerFactor(Double.toString(v));
  }

  public T setLrSchedulerFactor(String v) {
    return self(set(lrSchedulerFactor, v));
  }

  public String getLrSchedulerFactor() {
    return getOrDefault(lrSchedulerFactor);
  }

  public Param<String> lrSchedulerMinimumLr() {
    return lrSchedulerMinimumLr;
  }

  public T setLrSchedulerMinimumLr(double v) {
    return setLrSchedulerMinimumLr(Double.toString(v));
  }

  public T setLrSchedulerMinimumLr(String v) {
    return self(set(lrSchedulerMinimumLr, v));
  }

  public String getLrSchedulerMinimumLr() {
    return getOrDefault(lrSchedulerMinimumLr);
  }

  public Param<String> normalizeData() {
    return normalizeData;
  }

  public T setNormalizeData(boolean v) {
    return setNormalizeData(Boolean.toString(v));
  }

  public T setNormalizeData(String v) {
    return self(set(normalizeData, v));
  }

  public String getNormalizeData() {
    return getOrDefault(normalizeData);
  }

  public Param<String> normalizeLabel() {
    return normalizeLabel;
  }

  public T setNormalizeLabel(boolean v) {
    return setNormalizeLabel(Boolean.toString(v));
  }

  public T setNormalizeLabel(String v) {
    return self(set(normalizeLabel, v));
  }

  public String getNormalizeLabel() {
    return getOrDefault(normalizeLabel);
  }

  public Param<String> unbiasData() {
    return unbiasData;
  }

  public T setUnbiasData(boolean v) {
    return setUnbiasData(Boolean.toString(v));
  }

  public T setUnbiasData(String v) {
    return self(set(unbiasData, v));
  }

  public String getUnbiasData() {
    return getOrDefault(unbiasData);
  }

  public Param<String> unbiasLabel() {
    return unbiasLabel;
  }

  public T setUnbiasLabel(boolean v) {
    return setUnbiasLabel(Boolean.toString(v));
  }

  public T setUnbiasLabel(String v) {
    return self(set(unbiasLabel, v));
  }

  public String getUnbiasLabel() {
    return getOrDefault(unbiasLabel);
  }

  public IntParam numPointForScaler() {
    return numPointForScaler;
  }

  public T setNumPointForScaler(int v) {
    return self(set(numPointForScaler, v));
  }

  public int getNumPointForScaler() {
    return (Integer) getOrDefault(numPointForScaler);
  }

  public IntParam earlyStoppingPatience() {
    return earlyStoppingPatience;
  }

  public T setEarlyStoppingPatience(int v) {
    return self(set(earlyStoppingPatience, v));
  }

  public int getEarlyStoppingPatience() {
    return (Integer) getOrDefault(earlyStoppingPatience);
  }

  public DoubleParam earlyStoppingTolerance() {
    return earlyStoppingTolerance;
  }

  public T setEarlyStoppingTolerance(double v) {
    return self(set(earlyStoppingTolerance, v));
  }

  public double getEarlyStoppingTolerance() {
    return (Double) getOrDefault(earlyStoppingTolerance);
  }

  public DoubleParam margin() {
    return margin;
  }

  public T setMargin(double v) {
    return self(set(margin, v));
  }

  public double getMargin() {
    return (Double) getOrDefault(margin);
  }

  public DoubleParam quantile() {
    return quantile;
  }

  public T setQuantile(double v) {
    return self(set(quantile, v));
  }

  public double getQuantile() {
    return (Double) getOrDefault(quantile);
  }

  public DoubleParam lossInsensitivity() {
    return lossInsensitivity;
  }

  public T setLossInsensitivity(double v) {
    return self(set(lossInsensitivity, v));
  }

  public double getLossInsensitivity() {
    return (Double) getOrDefault(lossInsensitivity);
  }

  public DoubleParam huberDelta() {
    return huberDelta;
  }

  public T setHuberDelta(double v) {
    return self(set(huberDelta, v));
  }

  public double getHuberDelta() {
    return (Double) getOrDefault(huberDelta);
  }

  public DoubleParam fBeta() {
    return fBeta;
  }

  public T setFBeta(double v) {
    return self(set(fBeta, v));
  }

  public double getFBeta() {
    return (Double) getOrDefault(fBeta);
  }
}
