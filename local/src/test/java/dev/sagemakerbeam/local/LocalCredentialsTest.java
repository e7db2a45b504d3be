package dev.sagemakerbeam.local;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LocalCredentialsTest {
  @Test
  void toStringNeverShowsTheSecret() {
    LocalCredentials credentials = new LocalCredentials("AKIDLOCAL", "very-secret-value");
    assertThat(credentials.toString(), containsString("AKIDLOCAL"));
    assertThat(credentials.toString(), not(containsString("very-secret-value")));
  }

  @Test
  void blankKeysAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LocalCredentials("", "x"));
    assertThrows(IllegalArgumentException.class, () -> SageMakerLocal.builder().port(70000));
    assertThrows(IllegalStateException.class, () -> SageMakerLocal.builder().build());
  }
}
