package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.LinearLearnerMultiClassClassifierProtobufResponseRowDeserializer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's Linear Learner as a multiclass classifier (labels 0 .. numClasses - 1; {@code
 * numClasses} is required), with the multiclass-only Params. The model appends a {@code score}
 * Vector column (the probability of each class) and a {@code predicted_label} Double column ({@link
 * LinearLearnerMultiClassClassifierProtobufResponseRowDeserializer}).
 */
public class LinearLearnerMultiClassClassifier extends LinearLearnerMultiClassClassifierParams {
  private static final long serialVersionUID = 1L;

  public LinearLearnerMultiClassClassifier(String uid) {
    this(uid, SageMakerEstimatorOptions.builder().build());
  }

  /**
   * Loads a {@code LinearLearnerMultiClassClassifier} saved with {@code save} (also as a Pipeline
   * stage).
   */
  public static LinearLearnerMultiClassClassifier load(String path) {
    return load(path, LinearLearnerMultiClassClassifier.class);
  }

  public LinearLearnerMultiClassClassifier(SageMakerEstimatorOptions options) {
    this(Identifiable$.MODULE$.randomUID("LinearLearnerMultiClassClassifier"), options);
  }

  public LinearLearnerMultiClassClassifier(String uid, SageMakerEstimatorOptions options) {
    super(uid, options, "multiclass_classifier");
  }

  @Override
  protected ResponseRowDeserializer defaultResponseRowDeserializer() {
    return new LinearLearnerMultiClassClassifierProtobufResponseRowDeserializer();
  }

  @Override
  public LinearLearnerMultiClassClassifier copy(ParamMap extra) {
    return copyValues(new LinearLearnerMultiClassClassifier(uid(), getOptions()), extra);
  }
}
