package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.LDAProtobufResponseRowDeserializer;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's LDA as a Spark ML estimator: the features column holds each document's word counts
 * ({@code featureDim} words; {@code numTopics} and {@code miniBatchSize}, the number of documents,
 * are required, as on SageMaker). The model appends a {@code topic_mixture} Vector column ({@link
 * LDAProtobufResponseRowDeserializer}), a Vector even for a single topic.
 */
public class LDASageMakerEstimator extends FirstPartyAlgorithmEstimator {
  private static final long serialVersionUID = 1L;

  private final IntParam numTopics = intParam("num_topics");
  private final DoubleParam alpha0 = doubleParam("alpha0");
  private final IntParam maxRestarts = intParam("max_restarts");
  private final IntParam maxIterations = intParam("max_iterations");
  private final DoubleParam tol = doubleParam("tol");

  public LDASageMakerEstimator(String uid) {
    this(uid, SageMakerEstimatorOptions.builder().build());
  }

  /** Loads a {@code LDASageMakerEstimator} saved with {@code save} (also as a Pipeline stage). */
  public static LDASageMakerEstimator load(String path) {
    return load(path, LDASageMakerEstimator.class);
  }

  public LDASageMakerEstimator(SageMakerEstimatorOptions options) {
    this(Identifiable$.MODULE$.randomUID("LDASageMakerEstimator"), options);
  }

  public LDASageMakerEstimator(String uid, SageMakerEstimatorOptions options) {
    super(uid, options);
  }

  public LDASageMakerEstimator setFeatureDim(int v) {
    return (LDASageMakerEstimator) set(featureDim, v);
  }

  public LDASageMakerEstimator setMiniBatchSize(int v) {
    return (LDASageMakerEstimator) set(miniBatchSize, v);
  }

  public IntParam numTopics() {
    return numTopics;
  }

  public LDASageMakerEstimator setNumTopics(int v) {
    return (LDASageMakerEstimator) (set(numTopics, v));
  }

  public int getNumTopics() {
    return (Integer) getOrDefault(numTopics);
  }

  public DoubleParam alpha0() {
    return alpha0;
  }

  public LDASageMakerEstimator setAlpha0(double v) {
    return (LDASageMakerEstimator) (set(alpha0, v));
  }

  public double getAlpha0() {
    return (Double) getOrDefault(alpha0);
  }

  public IntParam maxRestarts() {
    return maxRestarts;
  }

  public LDASageMakerEstimator setMaxRestarts(int v) {
    return (LDASageMakerEstimator) (set(maxRestarts, v));
  }

  public int getMaxRestarts() {
    return (Integer) getOrDefault(maxRestarts);
  }

  public IntParam maxIterations() {
    return maxIterations;
  }

  public LDASageMakerEstimator setMaxIterations(int v) {
    return (LDASageMakerEstimator) (set(maxIterations, v));
  }

  public int getMaxIterations() {
    return (Integer) getOrDefault(maxIterations);
  }

  public DoubleParam tol() {
    return tol;
  }

  public LDASageMakerEstimator setTol(double v) {
    return (LDASageMakerEstimator) (set(tol, v));
  }

  public double getTol() {
    return (Double) getOrDefault(tol);
  }

  @Override
  protected AlgorithmPreset<?, ?> preset() {
    return AlgorithmPreset.lda();
  }

  @Override
  protected ResponseRowDeserializer defaultResponseRowDeserializer() {
    return new LDAProtobufResponseRowDeserializer();
  }

  @Override
  public LDASageMakerEstimator copy(ParamMap extra) {
    return copyValues(new LDASageMakerEstimator(uid(), getOptions()), extra);
  }
}
