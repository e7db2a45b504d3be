package dev.sagemakerbeam.transforms.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.testing.FakeSageMakerRuntime;
import java.time.Duration;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same InvokeEndpoint pipeline on Beam's Flink runner (embedded local cluster): success, retried
 * throttling and a permanent ModelError, each input in exactly one output once.
 */
class InvokeEndpointFlinkRunnerTest {
  private static final int ROWS = InvokeEndpointPipelineTest.ROWS;
  private static FakeSageMakerRuntime server;
  private static SageMakerClientConfiguration config;

  @BeforeAll
  static void start() throws Exception {
    server = FakeSageMakerRuntime.start(32);
    config = SageMakerClientConfiguration.forLocal(
            server.endpoint(), server.endpoint(), server.endpoint(), server.endpoint(),
            "us-east-1", "test-access-key", "test-secret-key")
        .toBuilder()
        .runtimeSocketTimeout(Duration.ofSeconds(5))
        .build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void invokeEndpointOnTheFlinkRunner() {
    server.endpoint("flink-healthy");
    server.endpoint("flink-throttled").throttleFirst(3);
    server.endpoint("flink-model-error").modelError();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(
        "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2").create());
    InvokeEndpointPipelineTest.allSucceed(
        InvokeEndpointPipelineTest.branch(p, config, "flink-healthy", ROWS, s -> {}), "flink-healthy");
    InvokeEndpointPipelineTest.allSucceed(
        InvokeEndpointPipelineTest.branch(p, config, "flink-throttled", ROWS,
            s -> s.backoff(Duration.ofMillis(10), Duration.ofMillis(100))), "flink-throttled");
    InvokeEndpointPipelineTest.allFail(
        InvokeEndpointPipelineTest.branch(p, config, "flink-model-error", ROWS, s -> {}), "flink-model-error", ROWS,
        f -> {
          assertThat(f.statusCode(), is(424));
          assertThat(f.originalMessage(), is("boom"));
        });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(result.getState(), is(PipelineResult.State.DONE));
    // the pipeline really ran on Flink, not on a fallback runner
    assertThat(result.getClass().getName(), org.hamcrest.Matchers.startsWith("org.apache.beam.runners.flink."));
    assertThat(server.received("flink-healthy").totalRows(), is(ROWS));
    assertThat(server.received("flink-model-error").totalRows(), is(ROWS));
    assertThat(InvokeEndpointPipelineTest.counter(result, "flink-throttled", "throttles"), is(3L));
  }
}
