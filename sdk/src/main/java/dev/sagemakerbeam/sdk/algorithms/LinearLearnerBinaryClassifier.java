package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.LinearLearnerBinaryClassifierProtobufResponseRowDeserializer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's Linear Learner as a binary classifier (labels 0 and 1), with the binary-only Params
 * (model selection criterion, target recall and precision, positive example weight). The model
 * appends a {@code score} column (the probability of label 1) and a {@code predicted_label} column,
 * both Double ({@link LinearLearnerBinaryClassifierProtobufResponseRowDeserializer}).
 */
public class LinearLearnerBinaryClassifier extends LinearLearnerBinaryClassifierParams {
  private static final long serialVersionUID = 1L;

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

  @Override
  protected ResponseRowDeserializer defaultResponseRowDeserializer() {
    return new LinearLearnerBinaryClassifierProtobufResponseRowDeserializer();
  }

  @Override
  public LinearLearnerBinaryClassifier copy(ParamMap extra) {
    return copyValues(new LinearLearnerBinaryClassifier(uid(), getOptions()), extra);
  }
}
