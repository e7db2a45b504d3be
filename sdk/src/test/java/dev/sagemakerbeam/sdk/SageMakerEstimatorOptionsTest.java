package dev.sagemakerbeam.sdk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options are immutable: what they hand out cannot change them or an estimator's copy. */
class SageMakerEstimatorOptionsTest {
  @Test
  void collectionsHandedOutCannotChangeTheOptions() {
    SageMakerEstimatorOptions options =
        SageMakerEstimatorOptions.builder()
            .hyperParameters(Map.of("k", "10"))
            .trainingSparkDataFormatOptions(Map.of("labelColumnName", "y"))
            .modelEnvironmentVariables(Map.of("A", "1"))
            .trainingProjectedColumns(List.of("y", "features"))
            .build();
    assertThrows(
        UnsupportedOperationException.class, () -> options.hyperParameters().put("k", "2"));
    assertThrows(
        UnsupportedOperationException.class,
        () -> options.trainingSparkDataFormatOptions().put("featuresColumnName", "x"));
    assertThrows(
        UnsupportedOperationException.class, () -> options.modelEnvironmentVariables().clear());
    assertThrows(
        UnsupportedOperationException.class, () -> options.trainingProjectedColumns().add("z"));
    SageMakerEstimatorOptions changed =
        options.toBuilder().hyperParameters(Map.of("k", "3")).build();
    assertThat(changed.hyperParameters().get("k"), is("3"));
    assertThat(options.hyperParameters().get("k"), is("10"));
  }
}
