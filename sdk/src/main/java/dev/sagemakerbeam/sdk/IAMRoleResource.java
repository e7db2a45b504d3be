package dev.sagemakerbeam.sdk;

import java.io.Serializable;
import org.apache.spark.SparkConf;

/**
 * Where the IAM role SageMaker assumes comes from: given ({@link IAMRole}) or the Spark config
 * ({@link IAMRoleFromConfig}).
 */
public interface IAMRoleResource extends Serializable {
  /** The role ARN, resolved on the driver. */
  String resolve(SparkConf conf);
}
