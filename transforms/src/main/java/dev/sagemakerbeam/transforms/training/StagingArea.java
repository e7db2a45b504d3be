package dev.sagemakerbeam.transforms.training;

import dev.sagemakerbeam.transforms.config.SageMakerClients;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Where training data is staged in S3: the default {@code <account>-sagemaker-<region>} bucket
 * (created when missing, as SageMaker's SDKs do) and deletion of one job's staged data.
 */
public final class StagingArea {
  private static final Logger LOG = LoggerFactory.getLogger(StagingArea.class);
  private static final int DELETE_BATCH = 1000; // DeleteObjects takes at most 1000 keys

  private final S3Client s3;
  private final int pageSize;

  public StagingArea(S3Client s3) {
    this(s3, DELETE_BATCH);
  }

  /** With a smaller listing page and delete batch, so tests cover many pages with few objects. */
  StagingArea(S3Client s3, int pageSize) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    if (pageSize < 1 || pageSize > DELETE_BATCH) {
      throw new IllegalArgumentException(
          "pageSize must be 1.." + DELETE_BATCH + ", was " + pageSize);
    }
    this.pageSize = pageSize;
  }

  /** The name of SageMaker's default bucket for the caller's account in {@code region}. */
  public static String defaultBucketName(StsClient sts, Region region) {
    String account = sts.getCallerIdentity().account();
    return account + "-sagemaker-" + region.id();
  }

  /**
   * {@code s3://<account>-sagemaker-<region>/sagemaker-beam}: where the Beam transforms stage when
   * no location is given; the bucket is created when missing. Calls STS and S3: the transforms call
   * it at run time only, through {@link StagingLocation}.
   */
  public static String defaultStagingLocation(
      dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration config) {
    Region region = Region.of(SageMakerClients.resolveRegion(config));
    try (StsClient sts = SageMakerClients.sts(config);
        S3Client s3 = SageMakerClients.s3(config)) {
      String bucket = defaultBucketName(sts, region);
      new StagingArea(s3).ensureBucket(bucket, region);
      return "s3://" + bucket + "/sagemaker-beam";
    }
  }

  /** Creates {@code bucket} in {@code region} unless it exists already. */
  public void ensureBucket(String bucket, Region region) {
    if (bucketExists(bucket)) {
      return;
    }
    LOG.info("Creating staging bucket {} in {}", bucket, region);
    try {
      if (Region.US_EAST_1.equals(region)) {
        s3.createBucket(r -> r.bucket(bucket));
      } else {
        s3.createBucket(
            r ->
                r.bucket(bucket)
                    .createBucketConfiguration(
                        c ->
                            c.locationConstraint(BucketLocationConstraint.fromValue(region.id()))));
      }
    } catch (BucketAlreadyOwnedByYouException e) {
      // another worker resolving the same default location created it first
      LOG.debug("Staging bucket {} was created concurrently", bucket);
    }
  }

  /** Whether {@code bucket} exists (and this account can see it). */
  public boolean bucketExists(String bucket) {
    try {
      s3.headBucket(r -> r.bucket(bucket));
      return true;
    } catch (NoSuchBucketException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Deletes every object under {@code prefix} (an {@code s3://bucket/path/} URI), through every
   * page of the listing. The prefix is taken as a directory: {@code s3://b/job-1} deletes {@code
   * job-1/...} but not {@code job-10/...}.
   *
   * @return the number of objects deleted
   */
  public long deletePrefix(URI prefix) {
    if (!"s3".equals(prefix.getScheme()) || prefix.getHost() == null) {
      throw new IllegalArgumentException(
          "staging prefix must be an s3://bucket/path URI, was " + prefix);
    }
    String bucket = prefix.getHost();
    String key = prefix.getPath().replaceFirst("^/", "");
    if (key.isEmpty()) {
      throw new IllegalArgumentException(
          "refusing to delete a whole bucket (" + prefix + "); give the job's staging prefix");
    }
    String directory = key.endsWith("/") ? key : key + "/";
    long deleted = 0;
    List<ObjectIdentifier> batch = new ArrayList<>(pageSize);
    for (S3Object object :
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(directory).maxKeys(pageSize))
            .contents()) {
      batch.add(ObjectIdentifier.builder().key(object.key()).build());
      if (batch.size() == pageSize) {
        deleted += deleteBatch(bucket, batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      deleted += deleteBatch(bucket, batch);
    }
    LOG.info("Deleted {} staged objects under s3://{}/{}", deleted, bucket, directory);
    return deleted;
  }

  /**
   * Deletes a job's staged training data once the job has ended, and never throws: a training
   * result (or the training failure) matters more than its leftovers. A failed deletion is logged
   * as a warning naming the prefix, the cause and how to delete it by hand.
   *
   * @return true if everything under the prefix was deleted
   */
  public boolean deleteStagedData(URI prefix) {
    try {
      deletePrefix(prefix);
      return true;
    } catch (RuntimeException e) {
      LOG.warn(cleanupAdvice(prefix, e), e);
      return false;
    }
  }

  /**
   * {@link #deleteStagedData} with an S3 client built (and closed) here; building the client may
   * fail too, and that is also only logged.
   */
  public static boolean deleteStagedData(Supplier<S3Client> s3, URI prefix) {
    try (S3Client client = s3.get()) {
      return new StagingArea(client).deleteStagedData(prefix);
    } catch (RuntimeException e) {
      LOG.warn(cleanupAdvice(prefix, e), e);
      return false;
    }
  }

  static String cleanupAdvice(URI prefix, RuntimeException cause) {
    return "Could not delete the staged training data under "
        + prefix
        + " ("
        + cause
        + "). The training result is not affected; delete the data yourself, e.g. aws s3 rm --recursive "
        + prefix;
  }

  private int deleteBatch(String bucket, List<ObjectIdentifier> keys) {
    DeleteObjectsResponse response =
        s3.deleteObjects(
            r -> r.bucket(bucket).delete(Delete.builder().objects(keys).quiet(true).build()));
    if (response.hasErrors() && !response.errors().isEmpty()) {
      throw new IllegalStateException(
          "Could not delete "
              + response.errors().size()
              + " staged objects in "
              + bucket
              + ", first: "
              + response.errors().get(0).key()
              + ": "
              + response.errors().get(0).message());
    }
    return keys.size();
  }
}
