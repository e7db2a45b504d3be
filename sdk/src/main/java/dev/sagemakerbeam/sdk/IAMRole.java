package dev.sagemakerbeam.sdk;

import java.util.Objects;
import org.apache.spark.SparkConf;

/** An IAM role given by its ARN. */
public final class IAMRole implements IAMRoleResource {
  private static final long serialVersionUID = 1L;
  private final String arn;

  public IAMRole(String arn) {
    if (arn == null || arn.isBlank()) {
      throw new IllegalArgumentException(
          "IAMRole needs a role ARN such as arn:aws:iam::<account>:role/<name>");
    }
    this.arn = arn;
  }

  public String arn() {
    return arn;
  }

  @Override
  public String resolve(SparkConf conf) {
    return arn;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IAMRole && ((IAMRole) o).arn.equals(arn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(arn);
  }

  @Override
  public String toString() {
    return "IAMRole(" + arn + ")";
  }
}
