package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.FactorizationMachinesBinaryClassifierDeserializer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;

/**
 * SageMaker's Factorization Machines as a binary classifier (labels 0 and 1). The model appends a
 * {@code score} column (the probability of label 1) and a {@code predicted_label} column, both
 * Double ({@link FactorizationMachinesBinaryClassifierDeserializer}).
 */
public class FactorizationMachinesBinaryClassifier
    extends FactorizationMachinesSageMakerEstimator<FactorizationMachinesBinaryClassifier> {
  private static final long serialVersionUID = 1L;

  public FactorizationMachinesBinaryClassifier(String uid) {
    this(uid, SageMakerEstimatorOptions.builder().build());
  }

  /**
   * Loads a {@code FactorizationMachinesBinaryClassifier} saved with {@code save} (also as a
   * Pipeline stage).
   */
  public static FactorizationMachinesBinaryClassifier load(String path) {
    return load(path, FactorizationMachinesBinaryClassifier.class);
  }

  public FactorizationMachinesBinaryClassifier(SageMakerEstimatorOptions options) {
    this(Identifiable$.MODULE$.randomUID("FactorizationMachinesBinaryClassifier"), options);
  }

  public FactorizationMachinesBinaryClassifier(String uid, SageMakerEstimatorOptions options) {
    super(uid, options, "binary_classifier");
  }

  @Override
  protected ResponseRowDeserializer defaultResponseRowDeserializer() {
    return new FactorizationMachinesBinaryClassifierDeserializer();
  }

  @Override
  public FactorizationMachinesBinaryClassifier copy(ParamMap extra) {
    return copyValues(new FactorizationMachinesBinaryClassifier(uid(), getOptions()), extra);
  }
}
