package dev.sagemakerbeam.sdk.serializers;

import dev.sagemakerbeam.sdk.SparkFeatureVectors;
import dev.sagemakerbeam.transforms.serde.CsvRequestSerializer;

/** Rows' feature vectors as CSV lines ({@code text/csv}), every feature written, no label. */
public final class UnlabeledCSVRequestRowSerializer extends FeaturesColumnRequestRowSerializer {
  private static final long serialVersionUID = 1L;

  public UnlabeledCSVRequestRowSerializer() {
    this("features");
  }

  public UnlabeledCSVRequestRowSerializer(String featuresColumnName) {
    super(
        featuresColumnName,
        CsvRequestSerializer.of(row -> SparkFeatureVectors.features(row, featuresColumnName, 0)));
  }
}
