package dev.sagemakerbeam.sdk;

/** When a {@link SageMakerModel} creates its SageMaker model, endpoint config and endpoint. */
public enum EndpointCreationPolicy {
  /** When the model is constructed, i.e. at the end of {@code fit()}. */
  CREATE_ON_CONSTRUCT,
  /** On the first {@code transform()}. */
  CREATE_ON_TRANSFORM,
  /** Never: the model only holds the artifact; {@code transform()} fails with a message. */
  DO_NOT_CREATE
}
