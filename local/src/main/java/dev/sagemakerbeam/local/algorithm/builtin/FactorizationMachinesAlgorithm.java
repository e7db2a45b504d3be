package dev.sagemakerbeam.local.algorithm.builtin;

import dev.sagemakerbeam.algorithms.AlgorithmCatalog;
import dev.sagemakerbeam.algorithms.AlgorithmSpec;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.Algorithm;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.algorithm.TrainingJobContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * SageMaker's Factorization Machines ({@code factorization-machines:1}), trained for real: the
 * model {@code y = w0 + sum w_i x_i + sum_{i<j} <v_i, v_j> x_i x_j} ({@link
 * FactorizationMachinesModel}) fitted by mini-batch stochastic gradient descent on the logistic
 * loss (binary classifier, labels 0/1) or the squared loss (regressor):
 *
 * <ul>
 *   <li>channels {@code train} (required) and {@code test}, RecordIO-protobuf only (as on
 *       SageMaker), sparse or dense; sparse rows stay sparse: a row costs O(num_factors x its
 *       stored values) forward and backward, and a mini-batch updates only the weights of the
 *       features it holds (lazy updates);
 *   <li>each step is Adam's, with the learning rates {@code bias_lr}, {@code linear_lr}, {@code
 *       factors_lr}, the weight decays {@code bias_wd}, {@code linear_wd}, {@code factors_wd}
 *       (added to the gradient), {@code eps} (Adam's epsilon, default 1e-8), {@code rescale_grad}
 *       (default: 1 / mini-batch rows, the mean gradient) and {@code clip_gradient};
 *   <li>initialisation by {@code <group>_init_method}: normal ({@code _init_sigma}), uniform in
 *       [-{@code _init_scale}, {@code _init_scale}] (default scale: the sigma) or constant ({@code
 *       _init_value}, default 0);
 *   <li>final metrics under SageMaker's names: {@code train:} and {@code test:} {@code rmse}, or
 *       {@code binary_classification_accuracy} and {@code binary_classification_cross_entropy}.
 * </ul>
 */
public final class FactorizationMachinesAlgorithm implements Algorithm {
  private static final AlgorithmSpec SPEC = AlgorithmCatalog.FACTORIZATION_MACHINES;
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;

  @Override
  public void validateHyperparameters(Map<String, String> hyperparameters)
      throws AlgorithmException {
    CheckedHyperparameters.of(SPEC, hyperparameters);
  }

  @Override
  public ModelWorker load(Path modelDir, Map<String, String> environment)
      throws AlgorithmException {
    return FactorizationMachinesModel.load(modelDir);
  }

  @Override
  public Map<String, Double> train(TrainingJobContext job)
      throws AlgorithmException, InterruptedException {
    CheckedHyperparameters h = CheckedHyperparameters.of(SPEC, job.hyperparameters());
    String type = h.string("predictor_type");
    int featureDim = h.intValue("feature_dim");
    int k = h.intValue("num_factors");
    if (job.channels().get("train") == null) {
      throw new AlgorithmException(
          "Factorization Machines needs a channel named train; the job has "
              + job.channels().keySet());
    }
    for (String name : job.channels().keySet()) {
      if (!SPEC.trainingChannels().contains(name)) {
        job.log()
            .accept(
                "Channel "
                    + name
                    + " is not read by Factorization Machines (it reads train, test)");
      }
    }
    LabelledRows train = read(job, "train", type, featureDim);
    LabelledRows test = read(job, "test", type, featureDim);

    FactorizationMachinesModel m = new FactorizationMachinesModel(type, featureDim, k);
    Random random = new Random(17);
    m.bias = initial(h, "bias", random);
    for (int i = 0; i < featureDim; i++) {
      m.linear[i] = initial(h, "linear", random);
    }
    for (int i = 0; i < m.factors.length; i++) {
      m.factors[i] = initial(h, "factors", random);
    }

    int batch = h.intValue("mini_batch_size");
    int epochs = h.intValue("epochs");
    double[] lr = {
      h.doubleValue("bias_lr"), h.doubleValue("linear_lr"), h.doubleValue("factors_lr")
    };
    double[] wd = {
      h.doubleValue("bias_wd"), h.doubleValue("linear_wd"), h.doubleValue("factors_wd")
    };
    double eps = h.has("eps") ? h.doubleValue("eps") : 1e-8;
    double clip =
        h.has("clip_gradient") ? h.doubleValue("clip_gradient") : Double.POSITIVE_INFINITY;
    Double rescale = h.has("rescale_grad") ? h.doubleValue("rescale_grad") : null;
    job.log()
        .accept(
            String.format(
                Locale.ROOT,
                "Factorization Machines %s: %d rows of %d features, %d factors, %d epochs of"
                    + " mini-batches of %d",
                type,
                train.size(),
                featureDim,
                k,
                epochs,
                batch));

    double[] gradLinear = new double[featureDim];
    double[] gradFactors = new double[featureDim * k];
    boolean[] touched = new boolean[featureDim];
    int[] touchedList = new int[featureDim];
    double[] m1Linear = new double[featureDim];
    double[] m2Linear = new double[featureDim];
    double[] m1Factors = new double[featureDim * k];
    double[] m2Factors = new double[featureDim * k];
    double[] biasState = new double[2];
    double[] sums = new double[k];
    int n = train.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long step = 0;
    long started = System.nanoTime();
    for (int epoch = 0; epoch < epochs; epoch++) {
      LinearLearnerTrainer.shuffle(order, new Random(31L * epoch + 7));
      for (int start = 0; start < n; start += batch) {
        KMeansAlgorithm.checkStop(job, "epoch " + epoch);
        int end = Math.min(n, start + batch);
        int touchedCount = 0;
        double gradBias = 0;
        for (int r = start; r < end; r++) {
          FeatureVector x = train.rows().get(order[r]);
          double y = train.labels()[order[r]];
          double raw = m.raw(x, sums);
          double g = m.classifier() ? LinearLoss.sigmoid(raw) - y : raw - y;
          gradBias += g;
          double[] values = x.values();
          int[] indices = x.indices();
          for (int t = 0; t < values.length; t++) {
            double xi = values[t];
            if (xi == 0) {
              continue;
            }
            int i = indices == null ? t : indices[t];
            if (!touched[i]) {
              touched[i] = true;
              touchedList[touchedCount++] = i;
            }
            double gx = g * xi;
            gradLinear[i] += gx;
            int base = i * k;
            for (int f = 0; f < k; f++) {
              gradFactors[base + f] += gx * (sums[f] - m.factors[base + f] * xi);
            }
          }
        }
        step++;
        double scale = rescale != null ? rescale : 1.0 / (end - start);
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        m.bias =
            adam(m.bias, gradBias * scale + wd[0] * m.bias, biasState, 0, lr[0], eps, clip, c1, c2);
        for (int t = 0; t < touchedCount; t++) {
          int i = touchedList[t];
          touched[i] = false;
          double g = gradLinear[i] * scale + wd[1] * m.linear[i];
          gradLinear[i] = 0;
          m.linear[i] = adamAt(m.linear, i, g, m1Linear, m2Linear, lr[1], eps, clip, c1, c2);
          int base = i * k;
          for (int f = 0; f < k; f++) {
            double gf = gradFactors[base + f] * scale + wd[2] * m.factors[base + f];
            gradFactors[base + f] = 0;
            m.factors[base + f] =
                adamAt(m.factors, base + f, gf, m1Factors, m2Factors, lr[2], eps, clip, c1, c2);
          }
        }
      }
      job.log()
          .accept(
              String.format(
                  Locale.ROOT,
                  "epoch %d: train %s = %.6g",
                  epoch,
                  m.classifier() ? "binary_classification_cross_entropy" : "rmse",
                  metrics(m, train, "train")
                      .get(
                          "train:"
                              + (m.classifier()
                                  ? "binary_classification_cross_entropy"
                                  : "rmse"))));
    }
    job.log()
        .accept(
            String.format(
                Locale.ROOT,
                "Trained in %.2f s (%d steps)",
                (System.nanoTime() - started) / 1e9,
                step));
    m.save(job.modelDir());
    Map<String, Double> out = new LinkedHashMap<>(metrics(m, train, "train"));
    if (test != null) {
      out.putAll(metrics(m, test, "test"));
    }
    out.forEach(
        (name, v) ->
            job.log().accept(String.format(Locale.ROOT, "#quality_metric: %s = %.6g", name, v)));
    return out;
  }

  private static double adam(
      double theta,
      double g,
      double[] state,
      int at,
      double lr,
      double eps,
      double clip,
      double c1,
      double c2) {
    g = Math.max(-clip, Math.min(clip, g));
    state[at] = BETA1 * state[at] + (1 - BETA1) * g;
    state[at + 1] = BETA2 * state[at + 1] + (1 - BETA2) * g * g;
    return theta - lr * (state[at] / c1) / (Math.sqrt(state[at + 1] / c2) + eps);
  }

  private static double adamAt(
      double[] theta,
      int i,
      double g,
      double[] m1,
      double[] m2,
      double lr,
      double eps,
      double clip,
      double c1,
      double c2) {
    g = Math.max(-clip, Math.min(clip, g));
    m1[i] = BETA1 * m1[i] + (1 - BETA1) * g;
    m2[i] = BETA2 * m2[i] + (1 - BETA2) * g * g;
    return theta[i] - lr * (m1[i] / c1) / (Math.sqrt(m2[i] / c2) + eps);
  }

  private static double initial(CheckedHyperparameters h, String group, Random random) {
    String method = h.string(group + "_init_method");
    double sigma = h.doubleValue(group + "_init_sigma");
    switch (method) {
      case "uniform":
        double scale = h.has(group + "_init_scale") ? h.doubleValue(group + "_init_scale") : sigma;
        return (random.nextDouble() * 2 - 1) * scale;
      case "constant":
        return h.has(group + "_init_value") ? h.doubleValue(group + "_init_value") : 0;
      default:
        return random.nextGaussian() * sigma;
    }
  }

  static Map<String, Double> metrics(
      FactorizationMachinesModel m, LabelledRows data, String channel) {
    Map<String, Double> out = new LinkedHashMap<>();
    double[] sums = new double[m.numFactors];
    int n = data.size();
    if (m.classifier()) {
      long right = 0;
      double entropy = 0;
      for (int i = 0; i < n; i++) {
        double p = m.score(m.raw(data.rows().get(i), sums));
        double y = data.labels()[i];
        right += (p > 0.5 ? 1 : 0) == (int) y ? 1 : 0;
        double q = Math.min(1 - 1e-15, Math.max(1e-15, p));
        entropy -= y * Math.log(q) + (1 - y) * Math.log(1 - q);
      }
      out.put(channel + ":binary_classification_accuracy", (double) right / n);
      out.put(channel + ":binary_classification_cross_entropy", entropy / n);
    } else {
      double sq = 0;
      for (int i = 0; i < n; i++) {
        double r = m.raw(data.rows().get(i), sums) - data.labels()[i];
        sq += r * r;
      }
      out.put(channel + ":rmse", Math.sqrt(sq / n));
    }
    return out;
  }

  private static LabelledRows read(TrainingJobContext job, String name, String type, int featureDim)
      throws AlgorithmException, InterruptedException {
    TrainingJobContext.Channel channel = job.channels().get(name);
    if (channel == null) {
      return null;
    }
    String contentType = channel.contentType();
    if (contentType != null
        && !contentType.isBlank()
        && !MediaType.parse(contentType).type().equals("application/x-recordio-protobuf")) {
      throw new AlgorithmException(
          "Channel "
              + name
              + " has ContentType \""
              + contentType
              + "\"; Factorization Machines reads application/x-recordio-protobuf only");
    }
    return LabelledRows.read(
        job,
        name,
        featureDim,
        label ->
            type.equals("binary_classifier") && label != 0 && label != 1
                ? "binary_classifier takes labels 0 and 1; relabel the data or use regressor"
                : null);
  }
}
