package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.LinearLearnerRegressorProtobufResponseRowDeserializer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's Linear Learner as a regressor. The model appends a {@code score} Double column
 * ({@link LinearLearnerRegressorProtobufResponseRowDeserializer}).
 */
public class LinearLearnerRegressor
    extends LinearLearnerSageMakerEstimator<LinearLearnerRegressor> {
  private static final long serialVersionUID = 1L;

  public LinearLearnerRegressor(String uid) {
    this(uid, SageMakerEstimatorOptions.builder().build());
  }

  /** Loads a {@code LinearLearnerRegressor} saved with {@code save} (also as a Pipeline stage). */
  public static LinearLearnerRegressor load(String path) {
    return load(path, LinearLearnerRegressor.class);
  }

  public LinearLearnerRegressor(SageMakerEstimatorOptions options) {
    this(Identifiable$.MODULE$.randomUID("LinearLearnerRegressor"), options);
  }

  public LinearLearnerRegressor(String uid, SageMakerEstimatorOptions options) {
    super(uid, options, "regressor");
  }

  @Override
  protected ResponseRowDeserializer defaultResponseRowDeserializer() {
    return new LinearLearnerRegressorProtobufResponseRowDeserializer();
  }

  @Override
  public LinearLearnerRegressor copy(ParamMap extra) {
    return copyValues(new LinearLearnerRegressor(uid(), getOptions()), extra);
  }
}
