package dev.sagemakerbeam.sdk.algorithms;

import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.algorithms.HyperparameterSpec;
import dev.sagemakerbeam.sdk.RequestRowSerializer;
import dev.sagemakerbeam.sdk.ResponseRowDeserializer;
import dev.sagemakerbeam.sdk.SageMakerEstimator;
import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import dev.sagemakerbeam.transforms.algorithms.Hyperparameters;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.StringArrayParam;
import scala.runtime.AbstractFunction1;

/**
 * What the estimators of SageMaker's built-in algorithms share: a Spark {@code Param} for each
 * hyperparameter of the algorithm catalogue ({@link AlgorithmSpec}), named by the catalogue, whose
 * validator is the catalogue's rule (so a bad value fails when set, also through a {@code ParamMap}
 * or {@code ParamGridBuilder}, with the message the Beam presets and SageMaker Local give); the
 * preset's image for the region; the algorithm's default request serializer, response deserializer
 * and staging format. Each option set explicitly in {@link SageMakerEstimatorOptions} wins over
 * these defaults. The first-party algorithms share more ({@link FirstPartyAlgorithmEstimator}).
 *
 * <p>No estimator writes its Params by hand: each algorithm's Params, their accessors, typed
 * setters and getters are generated from the catalogue at build time ({@code KMeansParams}, {@code
 * XGBoostParams}, ..., listed in {@code sdk/src/main/params/estimator-params.txt} and written by
 * the algorithms module's {@code CatalogueSourceGenerator}) with the factories below.
 */
public abstract class BuiltInAlgorithmEstimator extends SageMakerEstimator {
  private static final long serialVersionUID = 1L;

  protected BuiltInAlgorithmEstimator(String uid, SageMakerEstimatorOptions options) {
    super(uid, options);
  }

  /** The algorithm's preset: image per region, catalogue entry. */
  protected abstract AlgorithmPreset<?, ?> preset();

  /** The deserializer used when the options name none. */
  protected abstract ResponseRowDeserializer defaultResponseRowDeserializer();

  /** The catalogue's description of the algorithm. */
  public AlgorithmSpec spec() {
    return preset().spec();
  }

  // ---- Params from the catalogue ----

  private HyperparameterSpec hyperparameter(String name) {
    return spec()
        .hyperparameter(name)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    spec().displayName() + " has no hyperparameter " + name + " in the catalogue"));
  }

  private static String doc(HyperparameterSpec h) {
    return h.description()
        + " ("
        + h.name()
        + "; "
        + h.rule()
        + (h.required() ? ", required" : "")
        + (h.serviceDefault() == null ? "" : ", SageMaker's default " + h.serviceDefault())
        + ")";
  }

  @SuppressWarnings("unchecked")
  private <T> scala.Function1<T, Object> validator(HyperparameterSpec h) {
    return (scala.Function1<T, Object>) (scala.Function1<?, ?>) new CatalogueRule(spec(), h.name());
  }

  /** A Param of the catalogue's hyperparameter {@code name}, typed by the catalogue's type. */
  protected final IntParam intParam(String name) {
    HyperparameterSpec h = hyperparameter(name);
    return new IntParam(this, h.sparkName(), doc(h), validator(h));
  }

  protected final DoubleParam doubleParam(String name) {
    HyperparameterSpec h = hyperparameter(name);
    return new DoubleParam(this, h.sparkName(), doc(h), validator(h));
  }

  protected final Param<String> stringParam(String name) {
    HyperparameterSpec h = hyperparameter(name);
    return new Param<>(this, h.sparkName(), doc(h), validator(h));
  }

  protected final BooleanParam booleanParam(String name) {
    HyperparameterSpec h = hyperparameter(name);
    return new BooleanParam(this, h.sparkName(), doc(h));
  }

  protected final StringArrayParam stringArrayParam(String name) {
    HyperparameterSpec h = hyperparameter(name);
    return new StringArrayParam(this, h.sparkName(), doc(h), validator(h));
  }

  /** A Param value as the hyperparameter string SageMaker takes. */
  static String hyperparameterValue(Object value) {
    if (value instanceof String[]) {
      return HyperparameterSpec.formatList(Arrays.asList((String[]) value));
    }
    return String.valueOf(value);
  }

  /** A Param's validator: the catalogue's check, which throws with its message when broken. */
  private static final class CatalogueRule extends AbstractFunction1<Object, Object>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final AlgorithmSpec spec;
    private final String name;

    CatalogueRule(AlgorithmSpec spec, String name) {
      this.spec = spec;
      this.name = name;
    }

    @Override
    public Object apply(Object value) {
      spec.check(name, hyperparameterValue(value));
      return Boolean.TRUE;
    }
  }

  /**
   * The options' raw hyperparameters, then the value of every catalogue Param that is set (or has a
   * default), checked together by the preset's hyperparameters.
   */
  @Override
  @SuppressWarnings("unchecked")
  protected Map<String, String> hyperParameters() {
    Hyperparameters h = preset().newHyperparameters();
    getOptions().hyperParameters().forEach(h::raw);
    for (HyperparameterSpec s : spec().hyperparameters().values()) {
      if (hasParam(s.sparkName())) {
        Param<Object> p = (Param<Object>) getParam(s.sparkName());
        if (isDefined(p)) {
          h.raw(s.name(), hyperparameterValue(getOrDefault(p)));
        }
      }
    }
    return h.toMap();
  }

  @Override
  protected String trainingImage(String region) {
    return getOptions().trainingImage() != null
        ? getOptions().trainingImage()
        : preset().imageUri(region);
  }

  /** The request serializer used when the options name none. */
  protected abstract RequestRowSerializer defaultRequestRowSerializer();

  /** The features column of the training data (and, by default, of inference). */
  protected final String featuresColumn() {
    return getOptions()
        .trainingSparkDataFormatOptions()
        .getOrDefault("featuresColumnName", "features");
  }

  @Override
  protected RequestRowSerializer requestRowSerializer() {
    return getOptions().requestRowSerializer() != null
        ? getOptions().requestRowSerializer()
        : defaultRequestRowSerializer();
  }

  @Override
  protected ResponseRowDeserializer responseRowDeserializer() {
    return getOptions().responseRowDeserializer() != null
        ? getOptions().responseRowDeserializer()
        : defaultResponseRowDeserializer();
  }
}
