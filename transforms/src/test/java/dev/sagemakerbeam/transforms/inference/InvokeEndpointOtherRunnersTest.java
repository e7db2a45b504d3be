package dev.sagemakerbeam.transforms.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.testing.FakeSageMakerRuntime;
import java.time.Duration;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The InvokeEndpoint pipeline of {@link InvokeEndpointPipelineTest} on Beam's Spark runner (local
 * Spark context) and Flink runner (embedded cluster): success, retried throttling and a permanent
 * ModelError, each input in exactly one output once.
 */
class InvokeEndpointOtherRunnersTest {
  private static final int ROWS = InvokeEndpointPipelineTest.ROWS;
  private static FakeSageMakerRuntime server;
  private static SageMakerClientConfiguration config;

  @BeforeAll
  static void start() throws Exception {
    server = FakeSageMakerRuntime.start(32);
    config =
        SageMakerClientConfiguration.forLocal(
                server.endpoint(),
                server.endpoint(),
                server.endpoint(),
                server.endpoint(),
                "us-east-1",
                "test-access-key",
                "test-secret-key")
            .toBuilder()
            .runtimeSocketTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "spark, org.apache.beam.runners.spark., --runner=SparkRunner, --sparkMaster=local[2]",
    "flink, org.apache.beam.runners.flink., --runner=FlinkRunner, --flinkMaster=[local]"
  })
  void invokeEndpointOnAnotherRunner(
      String name, String resultPackage, String runner, String master) {
    server.endpoint(name + "-healthy");
    server.endpoint(name + "-throttled").throttleFirst(3);
    server.endpoint(name + "-model-error").modelError();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(runner, master).create());
    InvokeEndpointPipelineTest.allSucceed(
        InvokeEndpointPipelineTest.branch(p, config, name + "-healthy", ROWS, s -> {}),
        name + "-healthy");
    InvokeEndpointPipelineTest.allSucceed(
        InvokeEndpointPipelineTest.branch(
            p,
            config,
            name + "-throttled",
            ROWS,
            s -> s.backoff(Duration.ofMillis(10), Duration.ofMillis(100))),
        name + "-throttled");
    InvokeEndpointPipelineTest.allFail(
        InvokeEndpointPipelineTest.branch(p, config, name + "-model-error", ROWS, s -> {}),
        name + "-model-error",
        ROWS,
        f -> {
          assertThat(f.statusCode(), is(424));
          assertThat(f.originalMessage(), is("boom"));
        });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(result.getState(), is(PipelineResult.State.DONE));
    // the pipeline really ran on that runner, not on a fallback
    assertThat(result.getClass().getName(), startsWith(resultPackage));
    assertThat(server.received(name + "-healthy").totalRows(), is(ROWS));
    assertThat(server.received(name + "-model-error").totalRows(), is(ROWS));
    assertThat(
        InvokeEndpointPipelineTest.counter(result, name + "-throttled", "throttles"), is(3L));
  }
}
