package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;

/**
 * What SageMaker's Factorization Machines estimators share ({@link
 * FactorizationMachinesBinaryClassifier}, {@link FactorizationMachinesRegressor}): a Spark {@code
 * Param} for every hyperparameter of the catalogue's Factorization Machines, checked by the
 * catalogue's rule when set; {@code numFactors} is required, {@code predictorType} fixed by the
 * subclass. Training data is staged as RecordIO-protobuf, sparse vectors staying sparse.
 *
 * @param <T> the estimator's own type, which the setters return
 */
public abstract class FactorizationMachinesSageMakerEstimator<
        T extends FactorizationMachinesSageMakerEstimator<T>>
    extends FirstPartyAlgorithmEstimator {
  private static final long serialVersionUID = 1L;

  private final IntParam numFactors = intParam("num_factors");
  private final Param<String> predictorType = stringParam("predictor_type");
  private final IntParam epochs = intParam("epochs");
  private final DoubleParam clipGradient = doubleParam("clip_gradient");
  private final DoubleParam eps = doubleParam("eps");
  private final DoubleParam rescaleGrad = doubleParam("rescale_grad");
  private final DoubleParam biasLr = doubleParam("bias_lr");
  private final DoubleParam linearLr = doubleParam("linear_lr");
  private final DoubleParam factorsLr = doubleParam("factors_lr");
  private final DoubleParam biasWd = doubleParam("bias_wd");
  private final DoubleParam linearWd = doubleParam("linear_wd");
  private final DoubleParam factorsWd = doubleParam("factors_wd");
  private final Param<String> biasInitMethod = stringParam("bias_init_method");
  private final DoubleParam biasInitScale = doubleParam("bias_init_scale");
  private final DoubleParam biasInitSigma = doubleParam("bias_init_sigma");
  private final DoubleParam biasInitValue = doubleParam("bias_init_value");
  private final Param<String> linearInitMethod = stringParam("linear_init_method");
  private final DoubleParam linearInitScale = doubleParam("linear_init_scale");
  private final DoubleParam linearInitSigma = doubleParam("linear_init_sigma");
  private final DoubleParam linearInitValue = doubleParam("linear_init_value");
  private final Param<String> factorsInitMethod = stringParam("factors_init_method");
  private final DoubleParam factorsInitScale = doubleParam("factors_init_scale");
  private final DoubleParam factorsInitSigma = doubleParam("factors_init_sigma");
  private final DoubleParam factorsInitValue = doubleParam("factors_init_value");

  protected FactorizationMachinesSageMakerEstimator(
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
    return AlgorithmPreset.factorizationMachines();
  }

  public T setFeatureDim(int v) {
    return self(set(featureDim, v));
  }

  public T setMiniBatchSize(int v) {
    return self(set(miniBatchSize, v));
  }

  public IntParam numFactors() {
    return numFactors;
  }

  public T setNumFactors(int v) {
    return self(set(numFactors, v));
  }

  public int getNumFactors() {
    return (Integer) getOrDefault(numFactors);
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

  public DoubleParam clipGradient() {
    return clipGradient;
  }

  public T setClipGradient(double v) {
    return self(set(clipGradient, v));
  }

  public double getClipGradient() {
    return (Double) getOrDefault(clipGradient);
  }

  public DoubleParam eps() {
    return eps;
  }

  public T setEps(double v) {
    return self(set(eps, v));
  }

  public double getEps() {
    return (Double) getOrDefault(eps);
  }

  public DoubleParam rescaleGrad() {
    return rescaleGrad;
  }

  public T setRescaleGrad(double v) {
    return self(set(rescaleGrad, v));
  }

  public double getRescaleGrad() {
    return (Double) getOrDefault(rescaleGrad);
  }

  public DoubleParam biasLr() {
    return biasLr;
  }

  public T setBiasLr(double v) {
    return self(set(biasLr, v));
  }

  public double getBiasLr() {
    return (Double) getOrDefault(biasLr);
  }

  public DoubleParam linearLr() {
    return linearLr;
  }

  public T setLinearLr(double v) {
    return self(set(linearLr, v));
  }

  public double getLinearLr() {
    return (Double) getOrDefault(linearLr);
  }

  public DoubleParam factorsLr() {
    return factorsLr;
  }

  public T setFactorsLr(double v) {
    return self(set(factorsLr, v));
  }

  public double getFactorsLr() {
    return (Double) getOrDefault(factorsLr);
  }

  public DoubleParam biasWd() {
    return biasWd;
  }

  public T setBiasWd(double v) {
    return self(set(biasWd, v));
  }

  public double getBiasWd() {
    return (Double) getOrDefault(biasWd);
  }

  public DoubleParam linearWd() {
    return linearWd;
  }

  public T setLinearWd(double v) {
    return self(set(linearWd, v));
  }

  public double getLinearWd() {
    return (Double) getOrDefault(linearWd);
  }

  public DoubleParam factorsWd() {
    return factorsWd;
  }

  public T setFactorsWd(double v) {
    return self(set(factorsWd, v));
  }

  public double getFactorsWd() {
    return (Double) getOrDefault(factorsWd);
  }

  public Param<String> biasInitMethod() {
    return biasInitMethod;
  }

  public T setBiasInitMethod(String v) {
    return self(set(biasInitMethod, v));
  }

  public String getBiasInitMethod() {
    return getOrDefault(biasInitMethod);
  }

  public DoubleParam biasInitScale() {
    return biasInitScale;
  }

  public T setBiasInitScale(double v) {
    return self(set(biasInitScale, v));
  }

  public double getBiasInitScale() {
    return (Double) getOrDefault(biasInitScale);
  }

  public DoubleParam biasInitSigma() {
    return biasInitSigma;
  }

  public T setBiasInitSigma(double v) {
    return self(set(biasInitSigma, v));
  }

  public double getBiasInitSigma() {
    return (Double) getOrDefault(biasInitSigma);
  }

  public DoubleParam biasInitValue() {
    return biasInitValue;
  }

  public T setBiasInitValue(double v) {
    return self(set(biasInitValue, v));
  }

  public double getBiasInitValue() {
    return (Double) getOrDefault(biasInitValue);
  }

  public Param<String> linearInitMethod() {
    return linearInitMethod;
  }

  public T setLinearInitMethod(String v) {
    return self(set(linearInitMethod, v));
  }

  public String getLinearInitMethod() {
    return getOrDefault(linearInitMethod);
  }

  public DoubleParam linearInitScale() {
    return linearInitScale;
  }

  public T setLinearInitScale(double v) {
    return self(set(linearInitScale, v));
  }

  public double getLinearInitScale() {
    return (Double) getOrDefault(linearInitScale);
  }

  public DoubleParam linearInitSigma() {
    return linearInitSigma;
  }

  public T setLinearInitSigma(double v) {
    return self(set(linearInitSigma, v));
  }

  public double getLinearInitSigma() {
    return (Double) getOrDefault(linearInitSigma);
  }

  public DoubleParam linearInitValue() {
    return linearInitValue;
  }

  public T setLinearInitValue(double v) {
    return self(set(linearInitValue, v));
  }

  public double getLinearInitValue() {
    return (Double) getOrDefault(linearInitValue);
  }

  public Param<String> factorsInitMethod() {
    return factorsInitMethod;
  }

  public T setFactorsInitMethod(String v) {
    return self(set(factorsInitMethod, v));
  }

  public String getFactorsInitMethod() {
    return getOrDefault(factorsInitMethod);
  }

  public DoubleParam factorsInitScale() {
    return factorsInitScale;
  }

  public T setFactorsInitScale(double v) {
    return self(set(factorsInitScale, v));
  }

  public double getFactorsInitScale() {
    return (Double) getOrDefault(factorsInitScale);
  }

  public DoubleParam factorsInitSigma() {
    return factorsInitSigma;
  }

  public T setFactorsInitSigma(double v) {
    return self(set(factorsInitSigma, v));
  }

  public double getFactorsInitSigma() {
    return (Double) getOrDefault(factorsInitSigma);
  }

  public DoubleParam factorsInitValue() {
    return factorsInitValue;
  }

  public T setFactorsInitValue(double v) {
    return self(set(factorsInitValue, v));
  }

  public double getFactorsInitValue() {
    return (Double) getOrDefault(factorsInitValue);
  }
}
