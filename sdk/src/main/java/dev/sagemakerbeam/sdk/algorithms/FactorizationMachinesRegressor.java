package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.FactorizationMachinesRegressorDeserializer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's Factorization Machines as a regressor. The model appends a {@code score} Double
 * column ({@link FactorizationMachinesRegressorDeserializer}).
 */
public class FactorizationMachinesRegressor
    extends FactorizationMachinesSageMakerEstimator<FactorizationMachinesRegressor> {
  private static final long serialVersionUID = 1L;

  public FactorizationMachinesRegressor(String uid) {
    this(uid, SageMakerEstimatorOptions.builder().build());
  }

  /**
   * Loads a {@code FactorizationMachinesRegressor} saved with {@code save} (also as a Pipeline
   * stage).
   */
  public static FactorizationMachinesRegressor load(String path) {
    return load(path, FactorizationMachinesRegressor.class);
  }

  public FactorizationMachinesRegressor(SageMakerEstimatorOptions options) {
    this(Identifiable$.MODULE$.randomUID("FactorizationMachinesRegressor"), options);
  }

  public FactorizationMachinesRegressor(String uid, SageMakerEstimatorOptions options) {
    super(uid, options, "regressor");
  }

  @Override
  protected ResponseRowDeserializer defaultResponseRowDeserializer() {
    return new FactorizationMachinesRegressorDeserializer();
  }

  @Override
  public FactorizationMachinesRegressor copy(ParamMap extra) {
    return copyValues(new FactorizationMachinesRegressor(uid(), getOptions()), extra);
  }
}
