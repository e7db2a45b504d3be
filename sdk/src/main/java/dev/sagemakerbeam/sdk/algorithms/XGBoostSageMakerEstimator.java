package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.sdk.RequestRowSerializer;
import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.sdk.deserializers.XGBoostCSVRowDeserializer;
import dev.sagemakerbeam.sdk.serializers.ProtobufRequestRowSerializer;
import dev.sagemakerbeam.sdk.serializers.UnlabeledCSVRequestRowSerializer;
import dev.sagemakerbeam.sdk.serializers.UnlabeledLibSVMRequestRowSerializer;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
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
public class XGBoostSageMakerEstimator extends XGBoostParams {
  private static final long serialVersionUID = 1L;

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
    return isDefined(objective()) && "multi:softprob".equals(getOrDefault(objective()))
        ? XGBoostCSVRowDeserializer.probabilities("prediction")
        : new XGBoostCSVRowDeserializer();
  }

  @Override
  public XGBoostSageMakerEstimator copy(ParamMap extra) {
    return copyValues(new XGBoostSageMakerEstimator(uid(), getOptions()), extra);
  }
}
