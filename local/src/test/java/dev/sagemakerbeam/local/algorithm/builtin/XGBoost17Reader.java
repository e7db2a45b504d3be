package dev.sagemakerbeam.local.algorithm.builtin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Run in a JVM of its own with xgboost4j 1.7.6 (the XGBoost of the sagemaker-xgboost:1.7-1 image)
 * on the classpath: loads a model file, scores a LibSVM file with that version's own parser and
 * writes one prediction per line. Arguments: model file, LibSVM file, output file.
 */
public final class XGBoost17Reader {
  private XGBoost17Reader() {}

  public static void main(String[] args) throws Exception {
    String jar = XGBoost.class.getProtectionDomain().getCodeSource().getLocation().toString();
    if (!jar.contains("1.7.")) {
      throw new IllegalStateException("expected xgboost4j 1.7 on the classpath, found " + jar);
    }
    System.out.println("XGBoost 1.7 from " + jar);
    Booster booster = XGBoost.loadModel(args[0]);
    DMatrix rows = new DMatrix(args[1] + "?format=libsvm");
    float[][] predictions = booster.predict(rows);
    List<String> lines = new ArrayList<>();
    for (float[] p : predictions) {
      lines.add(Float.toString(p[0]));
    }
    Files.write(Path.of(args[2]), lines);
  }
}
