package dev.sagemakerbeam.transforms.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.io.beam.TrainingDataFormat;
import dev.sagemakerbeam.transforms.inference.RequestSerializer;
import dev.sagemakerbeam.transforms.inference.ResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.CsvResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.KMeansPrediction;
import dev.sagemakerbeam.transforms.serde.KMeansProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.LdaPrediction;
import dev.sagemakerbeam.transforms.serde.LdaProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.LibSvmRequestSerializer;
import dev.sagemakerbeam.transforms.serde.PcaPrediction;
import dev.sagemakerbeam.transforms.serde.PcaProtobufResponseDeserializer;
import dev.sagemakerbeam.transforms.serde.RecordIoProtobufRequestSerializer;
import dev.sagemakerbeam.transforms.serde.ScoredPrediction;
import dev.sagemakerbeam.transforms.serde.ScoredProtobufResponseDeserializer;
import java.io.Serializable;

/**
 * What a built-in algorithm needs by default: its image per region (behind an overridable {@link
 * ImageUriResolver}), the training data format, the request serializer and response deserializer
 * for inference, and its typed hyperparameters. Training and hosting take their defaults from here.
 *
 * @param <H> the algorithm's hyperparameters
 * @param <R> the prediction type of its responses
 */
public final class AlgorithmPreset<H extends Hyperparameters, R> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The training and inference content type of the first-party algorithms. */
  public static final String RECORDIO_PROTOBUF = "application/x-recordio-protobuf";

  /** Makes a fresh, empty set of hyperparameters. */
  @FunctionalInterface
  public interface HyperparametersFactory<H> extends Serializable {
    H create();
  }

  private final String name;
  private final ImageUriResolver images;
  private final TrainingDataFormat trainingFormat;
  private final RequestSerializer<FeatureVector> requestSerializer;
  private final ResponseDeserializer<R> responseDeserializer;
  private final HyperparametersFactory<H> hyperparameters;

  private AlgorithmPreset(
      String name,
      ImageUriResolver images,
      TrainingDataFormat trainingFormat,
      RequestSerializer<FeatureVector> requestSerializer,
      ResponseDeserializer<R> responseDeserializer,
      HyperparametersFactory<H> hyperparameters) {
    this.name = name;
    this.images = images;
    this.trainingFormat = trainingFormat;
    this.requestSerializer = requestSerializer;
    this.responseDeserializer = responseDeserializer;
    this.hyperparameters = hyperparameters;
  }

  /**
   * SageMaker K-Means: RecordIO-protobuf in, {@code closest_cluster}/{@code distance_to_cluster}
   * out.
   */
  public static AlgorithmPreset<KMeansHyperparameters, KMeansPrediction> kmeans() {
    return new AlgorithmPreset<>(
        "kmeans",
        BuiltInAlgorithmImages.kmeans(),
        TrainingDataFormat.RECORDIO_PROTOBUF,
        RecordIoProtobufRequestSerializer.forFeatureVectors(),
        new KMeansProtobufResponseDeserializer(),
        KMeansHyperparameters::new);
  }

  /** SageMaker PCA: RecordIO-protobuf in, {@code projection} out. */
  public static AlgorithmPreset<PcaHyperparameters, PcaPrediction> pca() {
    return new AlgorithmPreset<>(
        "pca",
        BuiltInAlgorithmImages.pca(),
        TrainingDataFormat.RECORDIO_PROTOBUF,
        RecordIoProtobufRequestSerializer.forFeatureVectors(),
        new PcaProtobufResponseDeserializer(),
        PcaHyperparameters::new);
  }

  /**
   * SageMaker's XGBoost ({@code sagemaker-xgboost:1.7-1}): trains on LibSVM, scores unlabelled
   * LibSVM rows (so the features keep the numbers they were trained with), answers CSV with one
   * prediction per line. For {@code multi:softprob} use {@link
   * dev.sagemakerbeam.transforms.serde.CsvVectorResponseDeserializer}.
   */
  public static AlgorithmPreset<XGBoostHyperparameters, Double> xgboost() {
    return new AlgorithmPreset<>(
        "xgboost",
        BuiltInAlgorithmImages.xgboost(),
        TrainingDataFormat.LIBSVM,
        LibSvmRequestSerializer.unlabelled(v -> v),
        new CsvResponseDeserializer(),
        XGBoostHyperparameters::new);
  }

  /**
   * SageMaker's Linear Learner: RecordIO-protobuf in, {@code score} and {@code predicted_label} out
   * ({@code score} only for a regressor; one score per class for a multiclass classifier). The
   * predictor type is the hyperparameters' ({@link LinearLearnerHyperparameters#binaryClassifier()}
   * and its siblings).
   */
  public static AlgorithmPreset<LinearLearnerHyperparameters, ScoredPrediction> linearLearner() {
    return new AlgorithmPreset<>(
        "linear-learner",
        BuiltInAlgorithmImages.linearLearner(),
        TrainingDataFormat.RECORDIO_PROTOBUF,
        RecordIoProtobufRequestSerializer.forFeatureVectors(),
        new ScoredProtobufResponseDeserializer(),
        LinearLearnerHyperparameters::new);
  }

  /**
   * SageMaker's Factorization Machines: RecordIO-protobuf in (sparse rows stay sparse), {@code
   * score} and {@code predicted_label} out ({@code score} only for a regressor).
   */
  public static AlgorithmPreset<FactorizationMachinesHyperparameters, ScoredPrediction>
      factorizationMachines() {
    return new AlgorithmPreset<>(
        "factorization-machines",
        BuiltInAlgorithmImages.factorizationMachines(),
        TrainingDataFormat.RECORDIO_PROTOBUF,
        RecordIoProtobufRequestSerializer.forFeatureVectors(),
        new ScoredProtobufResponseDeserializer(),
        FactorizationMachinesHyperparameters::new);
  }

  /** SageMaker's LDA: RecordIO-protobuf word counts in, {@code topic_mixture} out. */
  public static AlgorithmPreset<LdaHyperparameters, LdaPrediction> lda() {
    return new AlgorithmPreset<>(
        "lda",
        BuiltInAlgorithmImages.lda(),
        TrainingDataFormat.RECORDIO_PROTOBUF,
        RecordIoProtobufRequestSerializer.forFeatureVectors(),
        new LdaProtobufResponseDeserializer(),
        LdaHyperparameters::new);
  }

  /** The same preset with another image resolver (another tag, account, or a fixed URI). */
  public AlgorithmPreset<H, R> withImages(ImageUriResolver resolver) {
    if (resolver == null) {
      throw new IllegalArgumentException("image resolver must not be null");
    }
    return new AlgorithmPreset<>(
        name, resolver, trainingFormat, requestSerializer, responseDeserializer, hyperparameters);
  }

  public String name() {
    return name;
  }

  public ImageUriResolver images() {
    return images;
  }

  /** The training and serving image in {@code region}. */
  public String imageUri(String region) {
    return images.imageUri(region);
  }

  public String trainingContentType() {
    return trainingFormat.contentType();
  }

  /** The format training data is staged in by default. */
  public TrainingDataFormat trainingFormat() {
    return trainingFormat;
  }

  public RequestSerializer<FeatureVector> requestSerializer() {
    return requestSerializer;
  }

  public ResponseDeserializer<R> responseDeserializer() {
    return responseDeserializer;
  }

  /**
   * The catalogue's description of the algorithm (hyperparameter rules, formats, response keys).
   */
  public AlgorithmSpec spec() {
    return hyperparameters.create().spec();
  }

  /** A new, empty set of this algorithm's hyperparameters. */
  public H newHyperparameters() {
    return hyperparameters.create();
  }

  @Override
  public String toString() {
    return "AlgorithmPreset(" + name + ", images=" + images + ")";
  }
}
