package dev.sagemakerbeam.local;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A program that starts SageMaker Local, uses its API and S3, and returns from main without close()
 * ends: no server thread of SageMaker Local keeps the JVM alive.
 */
class ForgottenCloseTest {
  @TempDir Path dir;

  @Test
  void aProgramThatNeverClosesSageMakerLocalStillExits() throws Exception {
    Path output = dir.resolve("out.txt");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                StartsAndForgetsToClose.class.getName(),
                dir.resolve("data").toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    String log = Files.readString(output, StandardCharsets.UTF_8);
    if (!exited) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat("the JVM is still running 60 s after main returned:\n" + log, exited, is(true));
    assertThat(log, process.exitValue(), is(0));
    assertThat(log, containsString("main returned"));
  }

  /** Starts SageMaker Local, uses it, and leaves main without closing it. */
  public static final class StartsAndForgetsToClose {
    public static void main(String[] args) throws Exception {
      SageMakerLocal local = SageMakerLocal.builder().dataDirectory(Path.of(args[0])).build();
      LocalClients clients = new LocalClients(local);
      clients.s3.createBucket(r -> r.bucket("forgotten"));
      clients.s3.putObject(r -> r.bucket("forgotten").key("k"), RequestBody.fromString("v"));
      clients.sageMaker.listEndpoints(r -> r.maxResults(1));
      List<String> nonDaemon =
          Thread.getAllStackTraces().keySet().stream()
              .filter(
                  t ->
                      !t.isDaemon()
                          && t != Thread.currentThread()
                          && !t.getName().equals("DestroyJavaVM"))
              .map(Thread::getName)
              .sorted()
              .collect(Collectors.toList());
      System.out.println("non-daemon threads besides main: " + nonDaemon);
      System.out.println("main returned");
    }
  }
}
