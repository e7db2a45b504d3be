package dev.sagemakerbeam.local.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemakerbeam.local.algorithm.AlgorithmResolver;
import dev.sagemakerbeam.local.state.StateStore;
import dev.sagemakerbeam.local.storage.LocalS3;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the SageMaker services of one SageMaker Local share: where state lives, S3, the algorithm
 * resolver, and the identity (region, account) that goes into ARNs.
 *
 * @param dataDir root of everything SageMaker Local keeps
 * @param region the region in ARNs
 * @param accountId the fixed local account id (also STS GetCallerIdentity's)
 * @param mapper the JSON mapper
 * @param state persisted resource descriptions
 * @param s3 the local S3 store
 * @param algorithms image URI to algorithm
 * @param maxConcurrentTrainingJobs training jobs InProgress at once before ResourceLimitExceeded
 * @param maxEndpoints endpoints at once before ResourceLimitExceeded
 */
public record ServiceContext(
    Path dataDir,
    String region,
    String accountId,
    ObjectMapper mapper,
    StateStore state,
    LocalS3 s3,
    AlgorithmResolver algorithms,
    int maxConcurrentTrainingJobs,
    int maxEndpoints) {

  /** The ARN of a SageMaker resource; SageMaker lower-cases the name in ARNs. */
  public String arn(String type, String name) {
    return "arn:aws:sagemaker:"
        + region
        + ":"
        + accountId
        + ":"
        + type
        + "/"
        + name.toLowerCase(Locale.ROOT);
  }

  /** Now, as AWS JSON 1.1 timestamps travel: epoch seconds with a fraction. */
  public static double now() {
    return System.currentTimeMillis() / 1000.0;
  }
}
