package dev.sagemakerbeam.tests;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;
import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.algorithms.HyperparameterSpec;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.builtin.BuiltInAlgorithms;
import dev.sagemakerbeam.sdk.algorithms.BuiltInAlgorithmEstimator;
import dev.sagemakerbeam.sdk.algorithms.FactorizationMachinesBinaryClassifier;
import dev.sagemakerbeam.sdk.algorithms.FactorizationMachinesRegressor;
import dev.sagemakerbeam.sdk.algorithms.KMeansSageMakerEstimator;
import dev.sagemakerbeam.sdk.algorithms.LDASageMakerEstimator;
import dev.sagemakerbeam.sdk.algorithms.LinearLearnerBinaryClassifier;
import dev.sagemakerbeam.sdk.algorithms.LinearLearnerMultiClassClassifier;
import dev.sagemakerbeam.sdk.algorithms.LinearLearnerRegressor;
import dev.sagemakerbeam.sdk.algorithms.PCASageMakerEstimator;
import dev.sagemakerbeam.sdk.algorithms.XGBoostSageMakerEstimator;
import dev.sagemakerbeam.transforms.algorithms.AlgorithmPreset;
import dev.sagemakerbeam.transforms.algorithms.Hyperparameters;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every hyperparameter of every algorithm in the catalogue, through the three layers that use it:
 * the Beam preset's hyperparameters, the Spark estimator's Param and SageMaker Local's built-in
 * algorithm. Each can be set in Beam and Spark, and a value outside its rule is refused by all
 * three with the same message. An algorithm added to the catalogue fails here until it has a
 * preset, an estimator and a SageMaker Local implementation.
 */
class AlgorithmCatalogTest {
  private static final Map<String, AlgorithmPreset<?, ?>> PRESETS =
      Map.of(
          "kmeans", AlgorithmPreset.kmeans(),
          "pca", AlgorithmPreset.pca(),
          "xgboost", AlgorithmPreset.xgboost(),
          "linear-learner", AlgorithmPreset.linearLearner(),
          "factorization-machines", AlgorithmPreset.factorizationMachines(),
          "lda", AlgorithmPreset.lda());

  /**
   * The Spark estimators of each algorithm; where there are several (Linear Learner's three), each
   * hyperparameter is a Param of those that take it, and of at least one.
   */
  private static final Map<String, List<Supplier<BuiltInAlgorithmEstimator>>> ESTIMATORS =
      Map.of(
          "kmeans",
          List.of(() -> new KMeansSageMakerEstimator("catalogue-kmeans")),
          "pca",
          List.of(() -> new PCASageMakerEstimator("catalogue-pca")),
          "xgboost",
          List.of(() -> new XGBoostSageMakerEstimator("catalogue-xgboost")),
          "linear-learner",
          List.of(
              () -> new LinearLearnerBinaryClassifier("catalogue-ll-binary"),
              () -> new LinearLearnerMultiClassClassifier("catalogue-ll-multiclass"),
              () -> new LinearLearnerRegressor("catalogue-ll-regressor")),
          "factorization-machines",
          List.of(
              () -> new FactorizationMachinesBinaryClassifier("catalogue-fm-binary"),
              () -> new FactorizationMachinesRegressor("catalogue-fm-regressor")),
          "lda",
          List.of(() -> new LDASageMakerEstimator("catalogue-lda")));

  @Test
  void everyAlgorithmHasAPresetAnEstimatorAndALocalImplementation() {
    for (AlgorithmSpec spec : AlgorithmCatalog.all()) {
      assertThat(spec.name() + " preset", PRESETS.get(spec.name()).spec(), is(spec));
      for (Supplier<BuiltInAlgorithmEstimator> estimator : ESTIMATORS.get(spec.name())) {
        assertThat(spec.name() + " estimator", estimator.get().spec(), is(spec));
      }
      assertThat(
          spec.name() + " in SageMaker Local",
          BuiltInAlgorithms.all().containsKey(spec.imageRepository()),
          is(true));
      assertThat(
          PRESETS.get(spec.name()).imageUri("us-east-1"),
          is(spec.imageUri("us-east-1", spec.defaultImageTag())));
    }
  }

  @TestFactory
  Stream<DynamicTest> everyHyperparameterThroughBeamSparkAndLocal() {
    List<DynamicTest> tests = new ArrayList<>();
    for (AlgorithmSpec spec : AlgorithmCatalog.all()) {
      for (HyperparameterSpec h : spec.hyperparameters().values()) {
        tests.add(
            DynamicTest.dynamicTest(spec.name() + " " + h.name(), () -> checkEveryLayer(spec, h)));
      }
    }
    return tests.stream();
  }

  /** The required hyperparameters at their smallest valid values (they satisfy the cross rules). */
  private static Map<String, String> minimal(AlgorithmSpec spec) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : spec.requiredHyperparameters()) {
      values.put(name, spec.hyperparameters().get(name).exampleValid());
    }
    return values;
  }

  private static void checkEveryLayer(AlgorithmSpec spec, HyperparameterSpec h) throws Exception {
    String valid = h.exampleValid();
    String invalid = h.exampleInvalid();

    // Beam: set, sent on, refused outside the rule
    Hyperparameters beam = PRESETS.get(spec.name()).newHyperparameters();
    minimal(spec).forEach(beam::raw);
    beam.raw(h.name(), valid);
    assertThat(beam.toMap().get(h.name()), is(h.check(spec.displayName(), valid)));
    IllegalArgumentException beamRefusal =
        assertThrows(
            IllegalArgumentException.class,
            () -> PRESETS.get(spec.name()).newHyperparameters().raw(h.name(), invalid));
    assertThat(beamRefusal.getMessage(), containsString("it must be " + h.rule()));
    // the typed Beam setter (generated from the catalogue) sets the same value
    checkBeamSetter(spec, h, valid);

    // Spark: a Param of the catalogue's name, settable, refusing the same values with the same
    // message
    int estimators = 0;
    for (Supplier<BuiltInAlgorithmEstimator> supplier : ESTIMATORS.get(spec.name())) {
      BuiltInAlgorithmEstimator estimator = supplier.get();
      if (estimator.hasParam(h.sparkName())) {
        estimators++;
        checkSpark(spec, h, estimator, valid, invalid);
      }
    }
    assertThat(spec.name() + " has a Param " + h.sparkName(), estimators > 0, is(true));

    // SageMaker Local: the algorithm refuses the value with the same message
    Algorithm local = BuiltInAlgorithms.all().get(spec.imageRepository());
    Map<String, String> sent = minimal(spec);
    sent.put(h.name(), valid);
    local.validateHyperparameters(sent);
    sent.put(h.name(), invalid);
    AlgorithmException localRefusal =
        assertThrows(AlgorithmException.class, () -> local.validateHyperparameters(sent));
    assertThat(localRefusal.getMessage(), equalTo(beamRefusal.getMessage()));
  }

  private static void checkSpark(
      AlgorithmSpec spec,
      HyperparameterSpec h,
      BuiltInAlgorithmEstimator estimator,
      String valid,
      String invalid)
      throws ReflectiveOperationException {
    Param<Object> param = castParam(estimator.getParam(h.sparkName()));
    estimator.set(param, sparkValue(param, valid));
    assertThat(estimator.isSet(param), is(true));
    // the typed setter and getter (generated from the catalogue) write and read that Param
    String accessor = Character.toUpperCase(h.sparkName().charAt(0)) + h.sparkName().substring(1);
    Object typed = sparkValue(param, valid);
    estimator.clear(param);
    Method setter = estimator.getClass().getMethod("set" + accessor, valueClass(typed));
    assertThat(setter.invoke(estimator, typed), sameInstance(estimator));
    assertThat(estimator.isSet(param), is(true));
    Object read = estimator.getClass().getMethod("get" + accessor).invoke(estimator);
    assertThat(read, equalTo(typed));
    if (h.sparkTakesWords()) {
      // a Param of words (auto, ...) has a setter of the hyperparameter's own type too
      Object value = typedValue(h, valid);
      if (value != null) {
        estimator
            .getClass()
            .getMethod("set" + accessor, valueClass(value))
            .invoke(estimator, value);
        assertThat(
            estimator.getClass().getMethod("get" + accessor).invoke(estimator),
            equalTo(String.valueOf(value)));
      }
    }
    // a Boolean cannot hold an invalid value, nor an IntParam "1.5" (an unbounded integer's
    // invalid example): the Param's type refuses those before any rule
    if (!(param instanceof BooleanParam) && representable(param, invalid)) {
      IllegalArgumentException sparkRefusal =
          assertThrows(
              IllegalArgumentException.class,
              () -> estimator.set(param, sparkValue(param, invalid)));
      // the same rule named (a Double prints as -1.0 where Beam was given -1)
      assertThat(
          sparkRefusal.getMessage(),
          containsString(spec.displayName() + " hyperparameter " + h.name() + " = "));
      assertThat(sparkRefusal.getMessage(), containsString("it must be " + h.rule()));
      // the same through a ParamMap, as ParamGridBuilder and fit(dataset, paramMap) pass values
      assertThrows(
          IllegalArgumentException.class,
          () -> new ParamMap().put(param, sparkValue(param, invalid)));
    }
  }

  private static void checkBeamSetter(AlgorithmSpec spec, HyperparameterSpec h, String valid)
      throws ReflectiveOperationException {
    Hyperparameters beam = PRESETS.get(spec.name()).newHyperparameters();
    Object typed = typedValue(h, valid);
    Method setter;
    Object argument;
    String sent = valid;
    if (h.type() == HyperparameterSpec.Type.CATEGORICAL_LIST) {
      setter = beam.getClass().getMethod(h.beamName(), String[].class);
      argument = h.parseList(spec.displayName(), valid).toArray(new String[0]);
    } else if (h.type() == HyperparameterSpec.Type.WORD_LIST) {
      setter = beam.getClass().getMethod(h.beamName(), String[].class);
      argument = valid.split(",");
    } else if (typed != null) {
      Class<?> type = valueClass(typed);
      setter = beam.getClass().getMethod(h.beamName(), type == int.class ? long.class : type);
      argument = typed instanceof Integer ? Long.valueOf((Integer) typed) : typed;
      sent = String.valueOf(argument);
    } else {
      setter = beam.getClass().getMethod(h.beamName(), String.class);
      argument = valid;
    }
    assertThat(setter.invoke(beam, argument), sameInstance(beam));
    assertThat(
        spec.name() + " " + h.beamName(),
        beam.given(h.name()),
        is(h.check(spec.displayName(), sent)));
    if (h.takesWords() && typed != null) {
      // and a String setter for auto (or the other word)
      beam.getClass().getMethod(h.beamName(), String.class).invoke(beam, valid);
      assertThat(beam.given(h.name()), is(h.check(spec.displayName(), valid)));
    }
  }

  /** A valid value as the hyperparameter's own type (null where the example is a word). */
  private static Object typedValue(HyperparameterSpec h, String valid) {
    try {
      switch (h.type()) {
        case INTEGER:
          return Integer.valueOf(valid);
        case FLOAT:
          return Double.valueOf(valid);
        case BOOLEAN:
          return valid.equals("true") || valid.equals("false") ? Boolean.valueOf(valid) : null;
        default:
          return null;
      }
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Class<?> valueClass(Object value) {
    if (value instanceof Integer) {
      return int.class;
    }
    if (value instanceof Double) {
      return double.class;
    }
    if (value instanceof Boolean) {
      return boolean.class;
    }
    return value.getClass();
  }

  private static boolean representable(Param<?> param, String value) {
    try {
      sparkValue(param, value);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @SuppressWarnings("unchecked")
  private static Param<Object> castParam(Param<?> param) {
    return (Param<Object>) param;
  }

  /** A catalogue value as the Param's type holds it. */
  private static Object sparkValue(Param<?> param, String value) {
    if (param instanceof IntParam) {
      return Integer.valueOf(value);
    }
    if (param instanceof DoubleParam) {
      return Double.valueOf(value);
    }
    if (param instanceof BooleanParam) {
      return Boolean.valueOf(value);
    }
    if (param instanceof StringArrayParam) {
      return value.replace("[", "").replace("]", "").replace("\"", "").trim().split("\\s*,\\s*");
    }
    return value;
  }
}
