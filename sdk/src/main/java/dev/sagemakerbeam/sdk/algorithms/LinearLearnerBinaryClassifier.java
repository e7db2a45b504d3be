package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.LinearLearnerBinaryClassifierProtobufResponseRowDeserializer;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's Linear Learner as a binary classifier (labels 0 and 1), with the binary-only Params
 * (model selection criterion, target recall and precision, positive example weight). The model
 * appends a {@code score} column (the probability of label 1) and a {@code predicted_label} column,
 * both Double ({@link LinearLearnerBinaryClassifierProtobufResponseRowDeserializer}).
 */
public class LinearLearnerBinaryClassifier
    extends LinearLearnerSageMakerEstimator<LinearLearnerBinaryClassifier> {
  private static final long serialVersionUID = 1L;

  private final Param<String> binaryClassifierModelSelectionCriteria =
      stringParam("binary_classifier_model_selection_criteria");
  private final DoubleParam targetRecall = doubleParam("target_recall");
  private final DoubleParam targetPrecision = doubleParam("target_precision");
  private final Param<String> positiveExampleWeightMult =
      stringParam("positive_example_weight_mult");

  public LinearLearnerBinaryClassifier(String uid) {
    this(uid, SageMakerEstimatorOptions.builder().build());
  }

  /**
   * Loads a {@code LinearLearnerBinaryClassifier} saved with {@code save} (also as a Pipeline
   * stage).
   */
  public static LinearLearnerBinaryClassifier load(String path) {
    return load(path, LinearLearnerBinaryClassifier.class);
  }

  public LinearLearnerBinaryClassifier(SageMakerEstimatorOptions options) {
    this(Identifiable$.MODULE$.randomUID("LinearLearnerBinaryClassifier"), options);
  }

  public LinearLearnerBinaryClassifier(String uid, SageMakerEstimatorOptions options) {
    super(uid, options, "binary_classifier");
  }

  public Param<String> binaryClassifierModelSelectionCriteria() {
    return binaryClassifierModelSelectionCriteria;
  }

  public LinearLearnerBinaryClassifier setBinaryClassifierModelSelectionCriteria(String v) {
    return (LinearLearnerBinaryClassifier) (set(binaryClassifierModelSelectionCriteria, v));
  }

  public String getBinaryClassifierModelSelectionCriteria() {
    return getOrDefault(binaryClassifierModelSelectionCriteria);
  }

  public DoubleParam targetRecall() {
    return targetRecall;
  }

  public LinearLearnerBinaryClassifier setTargetRecall(double v) {
    return (LinearLearnerBinaryClassifier) (set(targetRecall, v));
  }

  public double getTargetRecall() {
    return (Double) getOrDefault(targetRecall);
  }

  public DoubleParam targetPrecision() {
    return targetPrecision;
  }

  public LinearLearnerBinaryClassifier setTargetPrecision(double v) {
    return (LinearLearnerBinaryClassifier) (set(targetPrecision, v));
  }

  public double getTargetPrecision() {
    return (Double) getOrDefault(targetPrecision);
  }

  public Param<String> positiveExampleWeightMult() {
    return positiveExampleWeightMult;
  }

  public LinearLearnerBinaryClassifier setPositiveExampleWeightMult(double v) {
    return setPositiveExampleWeightMult(Double.toString(v));
  }

  public LinearLearnerBinaryClassifier setPositiveExampleWeightMult(String v) {
    return (LinearLearnerBinaryClassifier) (set(positiveExampleWeightMult, v));
  }

  public String getPositiveExampleWeightMult() {
    return getOrDefault(positiveExampleWeightMult);
  }

  @Override
  protected ResponseRowDeserializer defaultResponseRowDeserializer() {
    return new LinearLearnerBinaryClassifierProtobufResponseRowDeserializer();
  }

  @Override
  public LinearLearnerBinaryClassifier copy(ParamMap extra) {
    return copyValues(new LinearLearnerBinaryClassifier(uid(), getOptions()), extra);
  }
}
