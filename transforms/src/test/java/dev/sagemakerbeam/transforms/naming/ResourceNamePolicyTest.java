package dev.sagemakerbeam.transforms.naming;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceNamePolicyTest {
  private static final Clock FIXED =
      Clock.fixed(Instant.parse("2026-11-25T02:30:15Z"), ZoneOffset.UTC);

  @Test
  void namesArePrefixKindTimestampAndRandomSuffix() {
    ResourceNamePolicy policy = ResourceNamePolicy.withPrefix("kmeans-demo", FIXED);
    String name = policy.newName(ResourceNamePolicy.Kind.ENDPOINT);
    assertThat(name, startsWith("kmeans-demo-endpoint-261125-023015-"));
    assertThat(name.length(), is("kmeans-demo-endpoint-261125-023015-".length() + 5));
    assertThat(ResourceNamePolicy.NAME_PATTERN.matcher(name).matches(), is(true));
  }

  @Test
  void longPrefixesAreCutToFit63CharactersKeepingTheUniqueSuffix() {
    String prefix = "a-very-long-prefix-for-a-team-that-likes-descriptive-names-x";
    ResourceNamePolicy policy = ResourceNamePolicy.withPrefix(prefix, FIXED);
    for (ResourceNamePolicy.Kind kind : ResourceNamePolicy.Kind.values()) {
      String name = policy.newName(kind);
      assertThat(name, name.length(), lessThanOrEqualTo(63));
      assertThat(name, ResourceNamePolicy.NAME_PATTERN.matcher(name).matches(), is(true));
      assertThat(name, containsString("-" + kind.word() + "-261125-023015-"));
      assertThat(name, startsWith("a-very-long-prefix"));
    }
  }

  @Test
  void oneRunSharesOneSuffixAndRunsDiffer() {
    ResourceNamePolicy policy = ResourceNamePolicy.withDefaultPrefix();
    ResourceNamePolicy.ResourceNames names = policy.next();
    String suffix = names.endpoint().substring(names.endpoint().length() - 19);
    assertThat(names.model(), containsString(suffix));
    assertThat(names.endpointConfig(), containsString(suffix));
    assertThat(names.trainingJob(), containsString(suffix));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      seen.add(policy.newName(ResourceNamePolicy.Kind.MODEL));
    }
    assertThat(seen.size(), is(1000));
  }

  @Test
  void badPrefixesAndNamesAreRejectedNamingTheRule() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ResourceNamePolicy.withPrefix("my_prefix"));
    assertThat(e.getMessage(), containsString("'my_prefix'"));
    assertThrows(IllegalArgumentException.class, () -> ResourceNamePolicy.withPrefix("-lead"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ResourceNamePolicy.checkName("endpoint name", "x".repeat(64)));
    assertThat(e.getMessage(), containsString("64 characters"));
    assertThat(ResourceNamePolicy.checkName("endpoint name", "ok-name-1"), is("ok-name-1"));
  }

  @Test
  void tuningJobNamesFitSageMakersThirtyTwoCharactersAndTheirTrialsNamesTooFit() {
    Set<String> seen = new HashSet<>();
    for (String prefix : new String[] {"sagemaker-beam", "a-very-long-prefix-for-tuning-jobs-x"}) {
      ResourceNamePolicy policy = ResourceNamePolicy.withPrefix(prefix);
      for (int i = 0; i < 50; i++) {
        String name = policy.newTuningJobName();
        assertThat(name, name.length(), lessThanOrEqualTo(32));
        assertThat(name, containsString("-tune-"));
        ResourceNamePolicy.checkName("tuning job", name);
        // SageMaker names each trial <tuning job>-NNN-xxxxxxxx
        ResourceNamePolicy.checkName("trial", name + "-001-1a2b3c4d");
        seen.add(name);
      }
    }
    assertThat(seen.size(), is(100));
    assertThat(
        ResourceNamePolicy.withDefaultPrefix().newTuningJobName(),
        startsWith("sagemaker-beam-tune-"));
  }
}
