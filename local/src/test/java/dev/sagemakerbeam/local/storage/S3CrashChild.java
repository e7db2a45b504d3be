package dev.sagemakerbeam.local.storage;

import dev.sagemakerbeam.local.SageMakerLocal;
import java.nio.file.Path;

/**
 * SageMaker Local in a JVM of its own for {@link S3CrashTest}: starts on the data directory given
 * as the argument, prints its S3 endpoint, and serves until the process is killed.
 */
public final class S3CrashChild {
  private S3CrashChild() {}

  public static void main(String[] args) throws Exception {
    SageMakerLocal local = SageMakerLocal.builder().dataDirectory(Path.of(args[0])).build();
    System.out.println("S3 " + local.s3Endpoint());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
