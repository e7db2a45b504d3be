package dev.sagemakerbeam.local;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Bound to all interfaces and advertised by another address, as when Spark executors on other hosts
 * call SageMaker Local: the endpoint URIs name the advertised host, and the real SDK clients built
 * from them reach the API and S3 there.
 */
class AdvertisedHostTest {
  @TempDir Path dir;

  @Test
  void endpointUrisNameTheAdvertisedHostAndServeThere() throws Exception {
    // 127.0.0.2 reaches the loopback interface on Linux but is not the default 127.0.0.1
    try (SageMakerLocal local =
            SageMakerLocal.builder()
                .dataDirectory(dir)
                .port(0)
                .s3Port(0)
                .bindAddress("0.0.0.0")
                .advertisedHost("127.0.0.2")
                .build();
        LocalClients clients = new LocalClients(local)) {
      assertThat(local.apiEndpoint().getHost(), is("127.0.0.2"));
      assertThat(local.runtimeEndpoint().getHost(), is("127.0.0.2"));
      assertThat(local.stsEndpoint().getHost(), is("127.0.0.2"));
      assertThat(local.s3Endpoint().getHost(), is("127.0.0.2"));
      assertThat(local.toString(), containsString("127.0.0.2"));

      assertThat(clients.sts.getCallerIdentity().account(), is(SageMakerLocal.ACCOUNT_ID));
      assertThat(clients.sageMaker.listEndpoints().endpoints().size(), is(0));
      clients.s3.createBucket(r -> r.bucket("advertised"));
      clients.s3.putObject(r -> r.bucket("advertised").key("k"), RequestBody.fromString("v"));
      assertThat(
          clients
              .s3
              .getObjectAsBytes(r -> r.bucket("advertised").key("k"))
              .asString(StandardCharsets.UTF_8),
          is("v"));
    }
  }

  @Test
  void anIpv6AdvertisedAddressIsBracketedInTheUris() throws Exception {
    for (String given : new String[] {"fd00::5", "[fd00::5]"}) {
      try (SageMakerLocal local =
          SageMakerLocal.builder()
              .dataDirectory(dir.resolve(given.length() + ""))
              .port(0)
              .s3Port(0)
              .advertisedHost(given)
              .build()) {
        assertThat(local.apiEndpoint().toString(), is("http://[fd00::5]:" + local.port()));
        assertThat(local.s3Endpoint().getHost(), is("[fd00::5]"));
      }
    }
  }

  @Test
  void aHostWithSchemePortOrPathIsRefusedByName() {
    for (String bad : new String[] {"http://10.0.0.5", "10.0.0.5/x", "", "user@host", "a b"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> SageMakerLocal.builder().advertisedHost(bad),
              bad);
      assertThat(e.getMessage(), containsString("'" + bad + "'"));
      assertThat(e.getMessage(), containsString("no scheme, port or path"));
    }
  }
}
