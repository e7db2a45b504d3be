package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;
import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext.Channel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * SageMaker's XGBoost container ({@code sagemaker-xgboost}, algorithm mode) run on real XGBoost
 * (xgboost4j), under the container's contract:
 *
 * <ul>
 *   <li>channels {@code train} (required) and {@code validation} (optional), each {@code
 *       text/libsvm}, {@code text/csv} (label first, no header) or {@code
 *       application/x-recordio-protobuf} (label under {@code label["values"]}), gzip or not, one
 *       file or many. A LibSVM index is the feature's number, as XGBoost's own parser reads it (so
 *       a model trained on 1-based LibSVM has an unused feature 0, exactly as on SageMaker); CSV
 *       columns and protobuf keys count from 0.
 *   <li>every hyperparameter of the catalogue ({@link AlgorithmCatalog#XGBOOST}) is checked with
 *       its rule and passed to XGBoost; {@code num_round} rounds are boosted one by one, each
 *       logged as XGBoost logs it ({@code [3]\ttrain-rmse:0.41\tvalidation-rmse:0.44}), with early
 *       stopping on the last metric of the last channel when {@code early_stopping_rounds} is set.
 *   <li>final metrics under SageMaker's names: {@code train:rmse}, {@code validation:auc}, ...
 *   <li>the model is {@code xgboost-model} in XGBoost's binary format, the format the 1.3-1 and
 *       later containers save and load, so XGBoost 1.7 (the 1.7-1 image) and later read it.
 * </ul>
 *
 * Training checks for a stop between rounds.
 */
public final class XGBoostAlgorithm implements Algorithm {
  /** The model file in model.tar.gz, as the container names it. */
  public static final String MODEL_FILE = "xgboost-model";

  private static final AlgorithmSpec SPEC = AlgorithmCatalog.XGBOOST;

  /** Hyperparameters the container consumes itself rather than passing to XGBoost. */
  private static final List<String> NOT_FOR_XGBOOST =
      List.of("num_round", "early_stopping_rounds", "silent", "eval_metric");

  @Override
  public void validateHyperparameters(Map<String, String> hyperparameters)
      throws AlgorithmException {
    CheckedHyperparameters.of(SPEC, hyperparameters);
  }

  @Override
  public Map<String, Double> train(TrainingJobContext job)
      throws AlgorithmException, InterruptedException {
    CheckedHyperparameters h = CheckedHyperparameters.of(SPEC, job.hyperparameters());
    if ("gpu_hist".equals(h.given().get("tree_method"))) {
      throw new AlgorithmException(
          "XGBoost hyperparameter tree_method = gpu_hist needs a GPU; SageMaker Local trains on"
              + " CPU: use tree_method = hist, which builds the same kind of trees");
    }
    Channel trainChannel = job.channels().get("train");
    if (trainChannel == null) {
      throw new AlgorithmException(
          "XGBoost needs a channel named train; the job has " + job.channels().keySet());
    }
    for (String name : job.channels().keySet()) {
      if (!SPEC.trainingChannels().contains(name)) {
        job.log()
            .accept("Channel " + name + " is not read by XGBoost (it reads train and validation)");
      }
    }
    String objective = h.string("objective");
    int numClass = h.has("num_class") ? h.intValue("num_class") : 0;
    List<String> names = new ArrayList<>();
    List<XGBoostMatrix> data = new ArrayList<>();
    for (String name : SPEC.trainingChannels()) {
      Channel channel = job.channels().get(name);
      if (channel != null) {
        long started = System.nanoTime();
        XGBoostMatrix m = read(channel, objective, numClass, job);
        job.log()
            .accept(
                String.format(
                    Locale.ROOT,
                    "Read %d rows of %d features (%d values stored) from channel %s in %.2f s",
                    m.rows(),
                    m.columns(),
                    m.nonMissing(),
                    name,
                    (System.nanoTime() - started) / 1e9));
        names.add(name);
        data.add(m);
      }
    }
    int width = data.stream().mapToInt(XGBoostMatrix::columns).max().orElse(0);
    Map<String, Object> params = new HashMap<>();
    h.given()
        .forEach(
            (k, v) -> {
              if (!NOT_FOR_XGBOOST.contains(k)
                  && !AlgorithmSpec.PLATFORM_HYPERPARAMETERS.contains(k)) {
                params.put(k, v);
              }
            });
    params.putIfAbsent("objective", objective);
    if ("1".equals(h.given().get("silent")) && !h.has("verbosity")) {
      params.put("verbosity", "0"); // silent is the pre-1.0 name of verbosity 0
    }
    int rounds = h.intValue("num_round");
    int patience = h.has("early_stopping_rounds") ? h.intValue("early_stopping_rounds") : 0;
    List<DMatrix> matrices = new ArrayList<>();
    Booster booster = null;
    try {
      for (XGBoostMatrix m : data) {
        matrices.add(m.toDMatrix(width, true));
      }
      DMatrix[] evals = matrices.toArray(new DMatrix[0]);
      String[] evalNames = names.toArray(new String[0]);
      booster = XGBoost.train(evals[0], params, 0, Map.of(), null, null);
      if (h.has("eval_metric")) {
        for (String metric : h.string("eval_metric").split(",")) {
          booster.setParam("eval_metric", metric);
        }
      }
      long started = System.nanoTime();
      Map<String, Double> last = Map.of();
      double best = Double.NaN;
      int bestRound = 0;
      for (int round = 0; round < rounds; round++) {
        KMeansAlgorithm.checkStop(job, "boosting round " + round);
        booster.update(evals[0], round);
        String evaluation = booster.evalSet(evals, evalNames, round);
        job.log().accept(evaluation);
        last = metrics(evaluation, evalNames);
        if (patience > 0 && !last.isEmpty()) {
          String key = stoppingMetric(evaluation, evalNames);
          double value = last.get(key);
          boolean maximize = maximizes(key.substring(key.indexOf(':') + 1));
          if (round == 0 || (maximize ? value > best : value < best)) {
            best = value;
            bestRound = round;
          } else if (round - bestRound >= patience) {
            job.log()
                .accept(
                    String.format(
                        Locale.ROOT,
                        "Stopping. Best iteration: [%d] %s = %s (no improvement in %d rounds)",
                        bestRound,
                        key,
                        best,
                        patience));
            break;
          }
        }
      }
      job.log()
          .accept(
              String.format(
                  Locale.ROOT,
                  "XGBoost %s: %d rounds in %.2f s",
                  objective,
                  booster.getNumBoostedRound(),
                  (System.nanoTime() - started) / 1e9));
      save(booster, job.modelDir());
      return new LinkedHashMap<>(last);
    } catch (XGBoostError e) {
      throw new AlgorithmException("XGBoost failed: " + XGBoostModel.firstLines(e), e);
    } finally {
      if (booster != null) {
        booster.dispose();
      }
      matrices.forEach(DMatrix::dispose);
    }
  }

  @Override
  public ModelWorker load(Path modelDir, Map<String, String> environment)
      throws AlgorithmException {
    return XGBoostModel.load(modelDir);
  }

  private static void save(Booster booster, Path modelDir) throws XGBoostError, AlgorithmException {
    try {
      Files.createDirectories(modelDir);
      Files.write(modelDir.resolve(MODEL_FILE), booster.toByteArray("deprecated"));
    } catch (IOException e) {
      throw new AlgorithmException(
          "Cannot write the model to " + modelDir + ": " + e.getMessage(), e);
    }
  }

  private static XGBoostMatrix read(
      Channel channel, String objective, int numClass, TrainingJobContext job)
      throws AlgorithmException, InterruptedException {
    TrainingDataReader reader = TrainingDataReader.openLabelled(channel);
    XGBoostMatrix m = new XGBoostMatrix();
    long[] row = new long[1];
    reader.forEachLabelledRow(
        (label, features) -> {
          row[0]++;
          checkLabel(channel.name(), row[0], label, objective, numClass);
          try {
            m.add(label, features);
          } catch (IllegalArgumentException e) {
            throw new AlgorithmException(
                "Channel " + channel.name() + " row " + row[0] + ": " + e.getMessage());
          }
          if (row[0] % 100_000 == 0) {
            KMeansAlgorithm.checkStop(job, "reading channel " + channel.name());
          }
        });
    if (m.rows() == 0) {
      throw new AlgorithmException("Channel " + channel.name() + " holds no rows");
    }
    return m;
  }

  /** The container's label rules, checked before XGBoost sees the data. */
  private static void checkLabel(
      String channel, long row, double label, String objective, int numClass)
      throws AlgorithmException {
    String problem = null;
    if (objective.startsWith("multi:")) {
      if (label != Math.rint(label) || label < 0 || label >= numClass) {
        problem =
            "objective "
                + objective
                + " takes class labels 0 .. num_class - 1 = "
                + (numClass - 1)
                + "; relabel the data or raise num_class";
      }
    } else if (objective.equals("binary:logistic")
        || objective.equals("binary:logitraw")
        || objective.equals("binary:hinge")
        || objective.equals("reg:logistic")) {
      if (label < 0 || label > 1) {
        problem = "objective " + objective + " takes labels in [0, 1] (0 or 1 for binary:)";
      }
    } else if (objective.equals("count:poisson") && label < 0) {
      problem = "objective count:poisson takes non-negative counts";
    } else if ((objective.equals("reg:gamma") || objective.equals("reg:tweedie")) && label < 0) {
      problem = "objective " + objective + " takes non-negative labels";
    }
    if (problem != null) {
      throw new AlgorithmException(
          "Channel " + channel + " row " + row + " has label " + label + ": " + problem);
    }
  }

  /** {@code [3]\ttrain-rmse:0.41\tvalidation-rmse:0.44} as {@code train:rmse -> 0.41, ...}. */
  static Map<String, Double> metrics(String evaluation, String[] channels) {
    Map<String, Double> out = new LinkedHashMap<>();
    String[] fields = evaluation.trim().split("\t");
    for (int i = 1; i < fields.length; i++) {
      String field = fields[i];
      int colon = field.lastIndexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = field.substring(0, colon);
      for (String channel : channels) {
        if (name.startsWith(channel + "-")) {
          try {
            out.put(
                channel + ":" + name.substring(channel.length() + 1),
                Double.parseDouble(field.substring(colon + 1)));
          } catch (NumberFormatException e) {
            // not a number (nan is parsed; anything else is skipped)
          }
          break;
        }
      }
    }
    return out;
  }

  /** The metric XGBoost stops on: the last one of the last channel. */
  private static String stoppingMetric(String evaluation, String[] channels) {
    List<String> keys = new ArrayList<>(metrics(evaluation, channels).keySet());
    return keys.get(keys.size() - 1);
  }

  private static boolean maximizes(String metric) {
    String base = metric.contains("@") ? metric.substring(0, metric.indexOf('@')) : metric;
    return base.equals("auc")
        || base.equals("aucpr")
        || base.startsWith("map")
        || base.startsWith("ndcg")
        || base.startsWith("pre")
        || base.equals("interval-regression-accuracy");
  }
}
