package dev.sagemakerbeam.local.algorithm.builtin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.algorithms.AlgorithmCatalog;
import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import dev.sagemakerbeam.local.algorithm.builtin.LinearLearnerTrainer.Candidate;
import dev.sagemakerbeam.local.algorithm.builtin.LinearLearnerTrainer.Data;
import dev.sagemakerbeam.local.algorithm.builtin.LinearLearnerTrainer.Scaler;
import dev.sagemakerbeam.local.algorithm.builtin.LinearLearnerTrainer.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * SageMaker's Linear Learner ({@code linear-learner:1}), trained for real in the spirit of the
 * service's:
 *
 * <ul>
 *   <li>channels {@code train} (required), {@code validation} and {@code test} (optional), each
 *       {@code application/x-recordio-protobuf} (label under {@code label["values"]}, dense or
 *       sparse features) or {@code text/csv} (label first, no header), gzip or not. Every row has
 *       {@code feature_dim} features; labels are 0/1 (binary classifier), 0 .. num_classes - 1
 *       (multiclass) or any number (regressor).
 *   <li>features normalized to unit standard deviation ({@code normalize_data}) and centred ({@code
 *       unbias_data}, default with {@code use_bias}) from the first {@code num_point_for_scaler}
 *       training rows; a regressor's label likewise ({@code normalize_label}, {@code
 *       unbias_label}). Sparse rows stay sparse: the normalization is applied on the fly and folded
 *       into the saved weights, so the model scores raw features.
 *   <li>{@code num_models} models (auto: {@value #AUTO_MODELS}) trained in parallel by mini-batch
 *       SGD, Adam (the default) or RMSProp, the first with the given learning rate and
 *       regularization, the others with learning rates around it (x0.3, x3, x0.1, x10) and, past
 *       five models, more weight decay; each keeps its best epoch and stops early ({@code
 *       early_stopping_patience}, {@code early_stopping_tolerance}) on the validation objective (on
 *       train without a validation channel). The model kept is the best on validation (or train) by
 *       {@code binary_classifier_model_selection_criteria} for a binary classifier, whose threshold
 *       is tuned for that criterion on {@code num_calibration_samples} rows, and by the objective
 *       otherwise.
 *   <li>final metrics under SageMaker's names: {@code train:objective_loss}, {@code
 *       validation:objective_loss}, and for validation and test {@code
 *       binary_classification_accuracy}, {@code binary_f_beta}, {@code precision}, {@code recall};
 *       {@code multiclass_accuracy}, {@code multiclass_top_k_accuracy}; {@code rmse}, {@code mse},
 *       {@code absolute_loss}.
 * </ul>
 *
 * Auto values where SageMaker documents none: learning rate 0.01 (adam, sgd) or 0.001 (rmsprop), wd
 * and l1 0, momentum 0.9, beta_1 0.9, beta_2 0.999 (0.9 as RMSProp's decay), bias_lr_mult 1,
 * bias_wd_mult 0, a learning rate decay of 0.9 per epoch down to 1e-5, and {@code
 * positive_example_weight_mult = auto} as {@code balanced}.
 */
public final class LinearLearnerAlgorithm implements Algorithm {
  /**
   * Models trained when {@code num_models} is auto: few, as Local trains on this machine's CPUs.
   */
  static final int AUTO_MODELS = 4;

  private static final AlgorithmSpec SPEC = AlgorithmCatalog.LINEAR_LEARNER;
  private static final double[] LR_FACTORS = {1, 0.3, 3, 0.1, 10};
  private static final double[] AUTO_WD = {0, 1e-4, 1e-3, 1e-2};

  @Override
  public void validateHyperparameters(Map<String, String> hyperparameters)
      throws AlgorithmException {
    CheckedHyperparameters.of(SPEC, hyperparameters);
  }

  @Override
  public ModelWorker load(Path modelDir, Map<String, String> environment)
      throws AlgorithmException {
    return LinearLearnerModel.load(modelDir);
  }

  @Override
  public Map<String, Double> train(TrainingJobContext job)
      throws AlgorithmException, InterruptedException {
    CheckedHyperparameters h = CheckedHyperparameters.of(SPEC, job.hyperparameters());
    String type = h.string("predictor_type");
    int featureDim = h.intValue("feature_dim");
    int numClasses = type.equals("multiclass_classifier") ? h.intValue("num_classes") : 0;
    LinearLoss loss =
        LinearLoss.of(
            h.string("loss").equals("auto")
                ? AlgorithmCatalog.LINEAR_LEARNER_LOSSES.get(type).get(0)
                : h.string("loss"));
    if (job.channels().get("train") == null) {
      throw new AlgorithmException(
          "Linear Learner needs a channel named train; the job has " + job.channels().keySet());
    }
    for (String name : job.channels().keySet()) {
      if (!SPEC.trainingChannels().contains(name)) {
        job.log()
            .accept(
                "Channel "
                    + name
                    + " is not read by Linear Learner (it reads train, validation and test)");
      }
    }
    LabelledRows train = read(job, "train", type, featureDim, numClasses);
    LabelledRows validation = read(job, "validation", type, featureDim, numClasses);
    LabelledRows test = read(job, "test", type, featureDim, numClasses);

    boolean useBias = h.bool("use_bias");
    boolean regressor = type.equals("regressor");
    Scaler scaler =
        scaler(
            train.rows(),
            featureDim,
            h.intValue("num_point_for_scaler"),
            !h.string("normalize_data").equals("false"),
            autoOr(h, "unbias_data", useBias));
    double labelMean = 0;
    double labelScale = 1;
    if (regressor) {
      int n = Math.min(train.labels().length, h.intValue("num_point_for_scaler"));
      double mean = 0;
      double sq = 0;
      for (int i = 0; i < n; i++) {
        mean += train.labels()[i];
        sq += train.labels()[i] * train.labels()[i];
      }
      mean /= n;
      double std = Math.sqrt(Math.max(0, sq / n - mean * mean));
      if (autoOr(h, "unbias_label", useBias)) {
        labelMean = mean;
      }
      if (autoOr(h, "normalize_label", true) && std > 0) {
        labelScale = std;
      }
    }
    double lossParameter = lossParameter(h, loss);
    double trainingLossParameter =
        loss == LinearLoss.HINGE || loss == LinearLoss.QUANTILE
            ? lossParameter
            : lossParameter / labelScale;
    Settings settings =
        settings(h, type, featureDim, numClasses, loss, trainingLossParameter, train, useBias);
    LinearLearnerTrainer trainer = new LinearLearnerTrainer(settings, scaler);

    Data trainData = trainingData(train, labelMean, labelScale);
    Data evalData =
        validation == null ? trainData : trainingData(validation, labelMean, labelScale);
    List<Candidate> candidates = candidates(h, settings);
    job.log()
        .accept(
            String.format(
                Locale.ROOT,
                "Linear Learner %s (loss %s, optimizer %s): %d rows of %d features, %d models, %d"
                    + " epochs of mini-batches of %d",
                type,
                loss.hyperparameter(),
                settings.optimizer(),
                train.labels().length,
                featureDim,
                candidates.size(),
                settings.epochs(),
                settings.miniBatchSize()));
    long started = System.nanoTime();
    trainAll(trainer, candidates, trainData, evalData, job);
    job.log()
        .accept(
            String.format(
                Locale.ROOT,
                "Trained %d models in %.2f s",
                candidates.size(),
                (System.nanoTime() - started) / 1e9));

    // selection on validation (or train), in the label's own units
    LabelledRows selectionData = validation == null ? train : validation;
    int calibrationRows =
        h.string("num_calibration_samples").equals("auto")
            ? selectionData.labels().length
            : Math.min(selectionData.labels().length, h.intValue("num_calibration_samples"));
    String criterion =
        type.equals("binary_classifier")
            ? h.string("binary_classifier_model_selection_criteria")
            : "objective_loss";
    ArrayNode described = ModelFile.JSON.createArrayNode();
    LinearLearnerModel best = null;
    double bestValue = Double.NEGATIVE_INFINITY;
    int bestIndex = -1;
    for (Candidate c : candidates) {
      LinearLearnerModel m = model(trainer, c, type, featureDim, loss, labelMean, labelScale);
      double value;
      if (type.equals("binary_classifier")) {
        double[] calibration = BinaryCalibration.choose(m, selectionData, calibrationRows, h);
        m = m.withThreshold(calibration[0]);
        value = calibration[1];
      } else {
        value = -objective(m, selectionData, lossParameter);
      }
      ObjectNode d = described.addObject();
      d.put("model", c.index);
      d.put("learning_rate", c.learningRate);
      d.put("wd", c.wd);
      d.put("l1", c.l1);
      d.put("epochs", c.epochsRun);
      d.put("best_epoch", c.bestEpoch);
      d.put("criterion", criterion);
      d.put(criterion.equals("objective_loss") ? "objective_loss" : "value", Math.abs(value));
      d.put("selection_value", value);
      if (type.equals("binary_classifier")) {
        d.put("threshold", m.threshold());
      }
      job.log()
          .accept(
              String.format(
                  Locale.ROOT,
                  "[model %d] %s %s = %.6g after %d epochs (%s)",
                  c.index,
                  validation == null ? "train" : "validation",
                  criterion,
                  Math.abs(value),
                  c.epochsRun,
                  c.describe()));
      if (value > bestValue || best == null) {
        best = m;
        bestValue = value;
        bestIndex = c.index;
      }
    }
    best.describeSelection(described, bestIndex);
    job.log()
        .accept(
            String.format(
                Locale.ROOT,
                "Selected model %d of %d by %s on %s data (%.6g)",
                bestIndex,
                candidates.size(),
                criterion,
                validation == null ? "train" : "validation",
                Math.abs(bestValue)));
    best.save(job.modelDir());

    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("train:objective_loss", objective(best, train, lossParameter));
    double fBeta = h.doubleValue("f_beta");
    int topK = h.intValue("accuracy_top_k");
    for (LabelledRows c : new LabelledRows[] {validation, test}) {
      if (c != null) {
        metrics.putAll(LinearLearnerMetrics.of(best, c, lossParameter, fBeta, topK));
      }
    }
    metrics.forEach(
        (k, v) -> job.log().accept(String.format(Locale.ROOT, "#quality_metric: %s = %.6g", k, v)));
    return metrics;
  }

  private static boolean autoOr(CheckedHyperparameters h, String name, boolean auto) {
    String v = h.string(name);
    return v.equals("auto") ? auto : Boolean.parseBoolean(v);
  }

  private static double autoOr(CheckedHyperparameters h, String name, double auto) {
    String v = h.string(name);
    return v.equals("auto") ? auto : Double.parseDouble(v);
  }

  private static double lossParameter(CheckedHyperparameters h, LinearLoss loss) {
    switch (loss) {
      case HINGE:
        return h.doubleValue("margin");
      case EPS_INSENSITIVE_SQUARED:
      case EPS_INSENSITIVE_ABSOLUTE:
        return h.doubleValue("loss_insensitivity");
      case QUANTILE:
        return h.doubleValue("quantile");
      case HUBER:
        return h.doubleValue("huber_delta");
      default:
        return 0;
    }
  }

  private static Settings settings(
      CheckedHyperparameters h,
      String type,
      int featureDim,
      int numClasses,
      LinearLoss loss,
      double lossParameter,
      LabelledRows train,
      boolean useBias) {
    String optimizer = h.string("optimizer").equals("auto") ? "adam" : h.string("optimizer");
    double positiveWeight = 1;
    double[] classWeights = null;
    if (type.equals("binary_classifier")) {
      String mult = h.string("positive_example_weight_mult");
      if (mult.equals("balanced") || mult.equals("auto")) {
        long positives = Arrays.stream(train.labels()).filter(y -> y == 1).count();
        long negatives = train.labels().length - positives;
        positiveWeight = positives == 0 ? 1 : (double) negatives / positives;
      } else {
        positiveWeight = Double.parseDouble(mult);
      }
    } else if (type.equals("multiclass_classifier") && h.bool("balance_multiclass_weights")) {
      long[] counts = new long[numClasses];
      for (double y : train.labels()) {
        counts[(int) y]++;
      }
      classWeights = new double[numClasses];
      for (int c = 0; c < numClasses; c++) {
        classWeights[c] =
            counts[c] == 0 ? 1 : (double) train.labels().length / (numClasses * counts[c]);
      }
    }
    return new Settings(
        featureDim,
        type.equals("multiclass_classifier") ? numClasses : 1,
        loss,
        lossParameter,
        h.intValue("mini_batch_size"),
        h.intValue("epochs"),
        useBias,
        optimizer,
        autoOr(h, "beta_1", 0.9),
        autoOr(h, "beta_2", optimizer.equals("rmsprop") ? 0.9 : 0.999),
        autoOr(h, "momentum", 0.9),
        autoOr(h, "bias_lr_mult", 1.0),
        autoOr(h, "bias_wd_mult", 0.0),
        h.bool("use_lr_scheduler"),
        h.intValue("lr_scheduler_step"),
        autoOr(h, "lr_scheduler_factor", 0.9),
        autoOr(h, "lr_scheduler_minimum_lr", 1e-5),
        h.intValue("early_stopping_patience"),
        h.doubleValue("early_stopping_tolerance"),
        h.string("init_method"),
        h.doubleValue("init_scale"),
        h.doubleValue("init_sigma"),
        h.doubleValue("init_bias"),
        positiveWeight,
        classWeights);
  }

  /** The models to train: the given settings first, then learning rates and decays around them. */
  static List<Candidate> candidates(CheckedHyperparameters h, Settings s) {
    int n = h.string("num_models").equals("auto") ? AUTO_MODELS : h.intValue("num_models");
    double lr = autoOr(h, "learning_rate", s.optimizer().equals("rmsprop") ? 0.001 : 0.01);
    boolean wdGiven = !h.string("wd").equals("auto");
    double wd = autoOr(h, "wd", 0.0);
    double l1 = autoOr(h, "l1", 0.0);
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int round = i / LR_FACTORS.length;
      double decay =
          wdGiven
              ? wd * Math.pow(10, round)
              : AUTO_WD[round % AUTO_WD.length] * Math.pow(10, round / AUTO_WD.length);
      out.add(
          new Candidate(
              i, lr * LR_FACTORS[i % LR_FACTORS.length], decay, l1, s.outputs(), s.featureDim()));
    }
    return out;
  }

  private static void trainAll(
      LinearLearnerTrainer trainer,
      List<Candidate> candidates,
      Data train,
      Data eval,
      TrainingJobContext job)
      throws AlgorithmException, InterruptedException {
    int threads = Math.min(candidates.size(), Runtime.getRuntime().availableProcessors());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "linear-learner");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (Candidate c : candidates) {
        running.add(
            pool.submit(
                () -> {
                  trainer.train(c, train, eval, job, job.log());
                  return null;
                }));
      }
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof AlgorithmException) {
            throw (AlgorithmException) cause;
          }
          if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
          }
          throw new AlgorithmException("Linear Learner training failed: " + cause, cause);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static LinearLearnerModel model(
      LinearLearnerTrainer trainer,
      Candidate c,
      String type,
      int featureDim,
      LinearLoss loss,
      double labelMean,
      double labelScale) {
    double[][] raw = trainer.rawWeights(c.bestW, c.bestB);
    double[] w = raw[0];
    double[] b = raw[1];
    if (labelMean != 0 || labelScale != 1) {
      for (int i = 0; i < w.length; i++) {
        w[i] *= labelScale;
      }
      b[0] = b[0] * labelScale + labelMean;
    }
    return new LinearLearnerModel(
        type, featureDim, loss, w, b, loss == LinearLoss.LOGISTIC ? 0.5 : 0.0);
  }

  /** The mean objective of a model on a channel, in the label's own units. */
  static double objective(LinearLearnerModel m, LabelledRows c, double lossParameter) {
    return LinearLearnerMetrics.objective(m, c, lossParameter);
  }

  private static Data trainingData(LabelledRows c, double labelMean, double labelScale) {
    if (labelMean == 0 && labelScale == 1) {
      return new Data(c.rows(), c.labels());
    }
    double[] y = new double[c.labels().length];
    for (int i = 0; i < y.length; i++) {
      y[i] = (c.labels()[i] - labelMean) / labelScale;
    }
    return new Data(c.rows(), y);
  }

  /** Mean and inverse standard deviation of each feature over the first {@code points} rows. */
  static Scaler scaler(
      List<FeatureVector> rows, int featureDim, int points, boolean normalize, boolean unbias) {
    double[] mean = new double[featureDim];
    double[] inverseScale = new double[featureDim];
    Arrays.fill(inverseScale, 1);
    if (!normalize && !unbias) {
      return new Scaler(mean, inverseScale);
    }
    int n = Math.min(points, rows.size());
    double[] sum = new double[featureDim];
    double[] sq = new double[featureDim];
    for (int r = 0; r < n; r++) {
      FeatureVector x = rows.get(r);
      double[] values = x.values();
      int[] indices = x.indices();
      for (int i = 0; i < values.length; i++) {
        int j = indices == null ? i : indices[i];
        sum[j] += values[i];
        sq[j] += values[i] * values[i];
      }
    }
    for (int j = 0; j < featureDim; j++) {
      double m = sum[j] / n;
      double std = Math.sqrt(Math.max(0, sq[j] / n - m * m));
      if (unbias) {
        mean[j] = m;
      }
      if (normalize && std > 1e-12) {
        inverseScale[j] = 1 / std;
      }
    }
    return new Scaler(mean, inverseScale);
  }

  private static LabelledRows read(
      TrainingJobContext job, String name, String type, int featureDim, int numClasses)
      throws AlgorithmException, InterruptedException {
    TrainingJobContext.Channel channel = job.channels().get(name);
    if (channel != null && TrainingDataReader.openLabelled(channel).isLibSvm()) {
      throw new AlgorithmException(
          "Channel "
              + name
              + " has ContentType \""
              + channel.contentType()
              + "\"; Linear Learner reads application/x-recordio-protobuf or text/csv (label"
              + " first)");
    }
    return LabelledRows.read(job, name, featureDim, label -> labelProblem(label, type, numClasses));
  }

  private static String labelProblem(double label, String type, int classes) {
    if (type.equals("binary_classifier") && label != 0 && label != 1) {
      return "binary_classifier takes labels 0 and 1; relabel the data, or use"
          + " multiclass_classifier (labels 0 .. num_classes - 1) or regressor";
    }
    if (type.equals("multiclass_classifier")
        && (label != Math.rint(label) || label < 0 || label >= classes)) {
      return "multiclass_classifier with num_classes = "
          + classes
          + " takes labels 0 .. "
          + (classes - 1)
          + "; relabel the data or raise num_classes";
    }
    return null;
  }
}
