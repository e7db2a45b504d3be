package dev.sagemakerbeam.transforms.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class InferenceSettingsTest {
  @Test
  void defaultsCopiesAndValueSemantics() {
    InferenceSettings s = InferenceSettings.builder("my-endpoint").build();
    assertThat(s.maxPayloadBytes(), is(InferenceSettings.SAGEMAKER_MAX_PAYLOAD_BYTES));
    assertThat(s.maxRecordsPerRequest(), is(1000));
    assertThat(s.maxInFlight(), is(4));
    assertThat(s.baseBackoff(), is(Duration.ofMillis(100)));
    InferenceSettings changed = s.toBuilder().maxInFlight(16).build();
    assertThat(changed.maxInFlight(), is(16));
    assertThat(s.maxInFlight(), is(4));
    assertThat(SerializableUtils.clone(changed), equalTo(changed));
  }

  @Test
  void buildNamesTheSettingAndItsRange() {
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> InferenceSettings.builder("e").maxInFlight(0).build())
            .getMessage(),
        is("maxInFlight must be in [1, 1024], got 0"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> InferenceSettings.builder("e").maxPayloadBytes(7 * 1024 * 1024).build())
            .getMessage(),
        containsString("SageMaker's 6 MB limit"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> InferenceSettings.builder("e").maxAttempts(0).build())
            .getMessage(),
        containsString("1 means no retries"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    InferenceSettings.builder("e")
                        .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
            .getMessage(),
        containsString("0 <= base <= max"));
    assertThrows(IllegalArgumentException.class, () -> InferenceSettings.builder("bad name!"));
  }
}
