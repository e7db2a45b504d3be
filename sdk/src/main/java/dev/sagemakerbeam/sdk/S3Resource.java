package dev.sagemakerbeam.sdk;

import java.io.Serializable;

/**
 * An S3 location for training input or output: explicit ({@link S3DataPath}), from the Spark
 * configuration ({@link S3PathFromConfig}) or the account's default SageMaker bucket ({@link
 * S3AutoCreatePath}).
 */
public interface S3Resource extends Serializable {}
