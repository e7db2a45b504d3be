package dev.sagemakerbeam.sdk.serializers;

import dev.sagemakerbeam.sdk.SparkFeatureVectors;
import dev.sagemakerbeam.transforms.serde.LibSvmRequestSerializer;

/** Rows' feature vectors as unlabelled LibSVM lines ({@code index:value ...}). */
public final class UnlabeledLibSVMRequestRowSerializer extends FeaturesColumnRequestRowSerializer {
  private static final long serialVersionUID = 1L;

  public UnlabeledLibSVMRequestRowSerializer() {
    this("features");
  }

  public UnlabeledLibSVMRequestRowSerializer(String featuresColumnName) {
    super(
        featuresColumnName,
        LibSvmRequestSerializer.unlabelled(
            row -> SparkFeatureVectors.features(row, featuresColumnName, 0)));
  }
}
