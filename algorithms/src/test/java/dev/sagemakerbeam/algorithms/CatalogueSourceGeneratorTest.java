package dev.sagemakerbeam.algorithms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source that {@link CatalogueSourceGenerator} writes for the Beam presets' hyperparameters and
 * the sdk's estimators (the transforms and sdk builds compile it; AlgorithmCatalogTest in the tests
 * module calls every typed setter and getter), and its refusals of a bad table.
 */
class CatalogueSourceGeneratorTest {
  private static final String PACKAGE = "dev.example";

  private static Map<String, String> generate(String... lines) {
    return CatalogueSourceGenerator.generate(
        CatalogueSourceGenerator.Kind.SPARK, List.of(lines), PACKAGE);
  }

  private static String beam(String line) {
    Map<String, String> sources =
        CatalogueSourceGenerator.generate(
            CatalogueSourceGenerator.Kind.BEAM, List.of(line), PACKAGE);
    return sources.values().iterator().next();
  }

  @Test
  void beamSettersAreTypedByTheHyperparameterAndNamedByItsBeamName() {
    String source = beam("KMeansSetters | kmeans | Hyperparameters | KMeans | *");
    assertThat(
        source, containsString("public abstract class KMeansSetters extends Hyperparameters {"));
    assertThat(source, containsString("super(AlgorithmCatalog.byName(\"kmeans\"));"));
    assertThat(
        source,
        containsString(
            "public KMeans k(long value) {\n    put(\"k\", value);\n    return self();"));
    assertThat(source, containsString("public KMeans tolerance(double value) {"));
    assertThat(source, containsString("put(\"local_lloyd_tol\", value);"));
    assertThat(source, containsString("public KMeans forceDense(boolean value) {"));
    assertThat(
        source,
        containsString(
            "public KMeans evalMetrics(String... value) {\n    put(\"eval_metrics\","
                + " java.util.List.of(value));"));
    // auto-capable: a String setter beside the typed one (Spark keeps an IntParam only)
    assertThat(source, containsString("public KMeans extraCenterFactor(long value) {"));
    assertThat(source, containsString("public KMeans extraCenterFactor(String value) {"));
    assertThat(source, containsString("public KMeans raw(String name, String value) {"));
    String xgboost = beam("X | xgboost | Hyperparameters | XGB | *");
    assertThat(xgboost, containsString("public XGB colsampleByTree(double value) {"));
    assertThat(
        xgboost,
        containsString(
            "public XGB evalMetric(String... value) {\n    put(\"eval_metric\","
                + " String.join(\",\", value));"));
  }

  @Test
  void eachHyperparameterGetsAParamAnAccessorATypedSetterAndAGetter() {
    String source =
        generate("KMeansParams | kmeans | FirstPartyAlgorithmEstimator | KMeans | *")
            .get("KMeansParams");
    assertThat(source, containsString("package dev.example;"));
    assertThat(
        source,
        containsString("public abstract class KMeansParams extends FirstPartyAlgorithmEstimator"));
    assertThat(source, containsString("private final IntParam k = intParam(\"k\");"));
    assertThat(source, containsString("public IntParam k() {"));
    assertThat(source, containsString("public KMeans setK(int v) {\n    return self(set(k, v));"));
    assertThat(
        source, containsString("public int getK() {\n    return (Integer) getOrDefault(k);"));
    // a categorical list is a StringArrayParam, a boolean a BooleanParam
    assertThat(source, containsString("public KMeans setEvalMetrics(String[] v)"));
    assertThat(source, containsString("public boolean getForceDense()"));
    // auto-capable but marked numbers only in Spark: an IntParam, no String setter
    assertThat(source, containsString("private final IntParam centerFactor ="));
    assertThat(source, not(containsString("setCenterFactor(String v)")));
    // the catalogue's description and rule document the methods
    assertThat(source, containsString("Number of clusters"));
    assertThat(source, containsString("@javax.annotation.processing.Generated"));
  }

  @Test
  void aHyperparameterThatTakesAutoIsAStringParamWithATypedSetterToo() {
    String source =
        generate("LinearLearnerParams<T extends LinearLearner<T>> | linear-learner | Base | T | *")
            .get("LinearLearnerParams");
    assertThat(source, containsString("public abstract class LinearLearnerParams<T extends"));
    assertThat(source, containsString("private final Param<String> numModels = stringParam("));
    assertThat(
        source,
        containsString(
            "public T setNumModels(int v) {\n    return setNumModels(Integer.toString(v));"));
    assertThat(source, containsString("public T setNumModels(String v) {"));
    assertThat(source, containsString("public String getNumModels() {"));
    assertThat(
        source,
        containsString(
            "public T setUnbiasData(boolean v) {\n    return setUnbiasData(Boolean.toString(v));"));
  }

  @Test
  void theRestLeavesOutWhatOtherLinesOfTheAlgorithmName() {
    Map<String, String> sources =
        generate(
            "# the base and a subclass",
            "Common<T> | linear-learner | Base | T | *",
            "",
            "Binary | linear-learner | Common<Binary> | Binary | target_recall f_beta"
                + " | String predictorType");
    assertThat(sources.get("Common"), not(containsString("targetRecall")));
    assertThat(sources.get("Common"), not(containsString("fBeta")));
    assertThat(sources.get("Common"), containsString("useBias"));
    assertThat(sources.get("Binary"), containsString("private final DoubleParam targetRecall"));
    assertThat(sources.get("Binary"), not(containsString("useBias")));
    assertThat(
        sources.get("Binary"),
        containsString(
            "protected Binary(String uid, SageMakerEstimatorOptions options, String"
                + " predictorType) {\n    super(uid, options, predictorType);"));
  }

  @Test
  void aBadTableIsRefusedByLineAndValue() {
    IllegalArgumentException algorithm =
        assertThrows(IllegalArgumentException.class, () -> generate("X | kmean | B | X | *"));
    assertThat(algorithm.getMessage(), containsString("line 1: no algorithm kmean"));
    assertThat(algorithm.getMessage(), containsString("kmeans"));
    IllegalArgumentException hyperparameter =
        assertThrows(
            IllegalArgumentException.class, () -> generate("#", "X | kmeans | B | X | k kk"));
    assertThat(hyperparameter.getMessage(), is("line 2: K-Means has no hyperparameter kk"));
    IllegalArgumentException cells =
        assertThrows(IllegalArgumentException.class, () -> generate("X | kmeans | B"));
    assertThat(cells.getMessage(), containsString("line 1 has 3 cells, not 5 or 6"));
  }

  @Test
  void mainWritesOneFilePerClassAndLeavesUnchangedFilesAlone(@TempDir Path dir) throws Exception {
    Path table = dir.resolve("table.txt");
    Files.writeString(table, "PCAParams | pca | FirstPartyAlgorithmEstimator | PCA | *\n");
    Path out = dir.resolve("out");
    CatalogueSourceGenerator.main(
        new String[] {"spark", table.toString(), out.toString(), PACKAGE});
    Path file = out.resolve("dev/example/PCAParams.java");
    assertThat(Files.readString(file), containsString("numComponents"));
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
    CatalogueSourceGenerator.main(
        new String[] {"spark", table.toString(), out.toString(), PACKAGE});
    assertThat(Files.getLastModifiedTime(file).toMillis(), is(0L));
  }
}
