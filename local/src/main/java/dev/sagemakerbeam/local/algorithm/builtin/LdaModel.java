package dev.sagemakerbeam.local.algorithm.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.io.FeatureVector;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A trained LDA model and the worker that serves it: {@code num_topics} topics, each a distribution
 * over the {@code feature_dim} words, and the Dirichlet prior {@code alpha} of the topic mixtures.
 * A document's topic mixture is inferred by the variational E-step of Blei, Ng and Jordan (2003):
 * {@code gamma_k = alpha_k + sum_w n_w phi_wk}, {@code phi_wk ~ exp(E[log theta_k]) beta_kw},
 * iterated until the mixture settles; the mixture is {@code gamma / sum(gamma)}, which sums to 1.
 *
 * <p>Artifact ({@link ModelFile}, algorithm {@code lda}): {@code "feature_dim"}, {@code
 * "num_topics"}, {@code "alpha"} (num_topics numbers), {@code "topics"} (num_topics rows of
 * feature_dim word probabilities) and {@code "log_topics"} ({@code E[log beta]}, used by
 * inference).
 */
final class LdaModel implements ModelWorker {
  static final String ALGORITHM = "lda";
  private static final String[] OUTPUT_NAMES = {"topic_mixture"};
  private static final boolean[] OUTPUT_SCALAR = {false};
  static final int E_STEP_ITERATIONS = 100;
  static final double E_STEP_TOLERANCE = 1e-3;

  final int featureDim;
  final double[] alpha;
  final double[][] topics;

  /** exp(E[log beta_kw]), by word then topic: {@code [w * K + k]}. */
  private final double[] expLogBeta;

  LdaModel(int featureDim, double[] alpha, double[][] topics, double[][] logTopics) {
    this.featureDim = featureDim;
    this.alpha = alpha;
    this.topics = topics;
    int k = alpha.length;
    this.expLogBeta = new double[featureDim * k];
    for (int t = 0; t < k; t++) {
      for (int w = 0; w < featureDim; w++) {
        expLogBeta[w * k + t] = Math.exp(logTopics[t][w]);
      }
    }
  }

  int numTopics() {
    return alpha.length;
  }

  /** {@code E[log beta]} of topics with variational parameters {@code lambda}. */
  static double[][] expectedLogTopics(double[][] lambda) {
    double[][] out = new double[lambda.length][];
    for (int k = 0; k < lambda.length; k++) {
      double sum = 0;
      for (double v : lambda[k]) {
        sum += v;
      }
      double psiSum = digamma(sum);
      out[k] = new double[lambda[k].length];
      for (int w = 0; w < lambda[k].length; w++) {
        out[k][w] = digamma(lambda[k][w]) - psiSum;
      }
    }
    return out;
  }

  /**
   * The variational E-step for one document: returns its gamma; adds the document's expected word
   * counts per topic into {@code stats} ({@code [k][w]}, before the final multiplication by
   * exp(E[log beta])) when not null. It iterates until gamma's mean change is below {@value
   * #E_STEP_TOLERANCE}, from {@code start} when given (training starts each document from its gamma
   * of the previous iteration), else from {@code alpha + words / K}.
   */
  double[] eStep(FeatureVector doc, double[][] stats, double[] start) {
    int k = alpha.length;
    double[] values = doc.values();
    int[] indices = doc.indices();
    double total = 0;
    for (double v : values) {
      total += v;
    }
    double[] gamma = new double[k];
    for (int t = 0; t < k; t++) {
      gamma[t] = start != null ? start[t] : alpha[t] + total / k;
    }
    double[] expLogTheta = new double[k];
    double[] next = new double[k];
    for (int iteration = 0; iteration < E_STEP_ITERATIONS; iteration++) {
      expLogTheta(gamma, expLogTheta);
      Arrays.fill(next, 0);
      for (int n = 0; n < values.length; n++) {
        double count = values[n];
        if (count == 0) {
          continue;
        }
        int base = (indices == null ? n : indices[n]) * k;
        double norm = 1e-100;
        for (int t = 0; t < k; t++) {
          norm += expLogTheta[t] * expLogBeta[base + t];
        }
        double c = count / norm;
        for (int t = 0; t < k; t++) {
          next[t] += c * expLogBeta[base + t];
        }
      }
      double change = 0;
      for (int t = 0; t < k; t++) {
        double g = alpha[t] + expLogTheta[t] * next[t];
        change += Math.abs(g - gamma[t]);
        gamma[t] = g;
      }
      if (change / k < E_STEP_TOLERANCE) {
        break;
      }
    }
    if (stats != null) {
      expLogTheta(gamma, expLogTheta);
      for (int n = 0; n < values.length; n++) {
        double count = values[n];
        if (count == 0) {
          continue;
        }
        int w = indices == null ? n : indices[n];
        int base = w * k;
        double norm = 1e-100;
        for (int t = 0; t < k; t++) {
          norm += expLogTheta[t] * expLogBeta[base + t];
        }
        double c = count / norm;
        for (int t = 0; t < k; t++) {
          stats[t][w] += c * expLogTheta[t];
        }
      }
    }
    return gamma;
  }

  /**
   * The digamma function: shifted above 6 by {@code psi(x) = psi(x + 1) - 1/x}, then the asymptotic
   * series (error below 1e-10). commons-math3's shifts up to 49 one step at a time, which made it
   * the E-step's main cost.
   */
  static double digamma(double x) {
    double result = 0;
    while (x < 6) {
      result -= 1 / x;
      x += 1;
    }
    double f = 1 / (x * x);
    return result
        + Math.log(x)
        - 0.5 / x
        - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
  }

  /** exp(E[log beta_kw]) of topic k, word w. */
  double expLogBeta(int k, int w) {
    return expLogBeta[w * alpha.length + k];
  }

  private static void expLogTheta(double[] gamma, double[] out) {
    double sum = 0;
    for (double g : gamma) {
      sum += g;
    }
    double psiSum = digamma(sum);
    for (int t = 0; t < gamma.length; t++) {
      out[t] = Math.exp(digamma(gamma[t]) - psiSum);
    }
  }

  /** The document's topic mixture: {@code gamma / sum(gamma)}. */
  double[] mixture(FeatureVector doc) {
    double[] gamma = eStep(doc, null, null);
    double sum = 0;
    for (double g : gamma) {
      sum += g;
    }
    for (int t = 0; t < gamma.length; t++) {
      gamma[t] /= sum;
    }
    return gamma;
  }

  /**
   * Per-word log-likelihood of documents, {@code sum_d sum_w n_dw log(sum_k theta_dk beta_kw) / sum
   * n_dw}, each document's mixture inferred from itself.
   */
  double perWordLogLikelihood(List<FeatureVector> docs) {
    double sum = 0;
    double words = 0;
    for (FeatureVector doc : docs) {
      double[] theta = mixture(doc);
      double[] values = doc.values();
      int[] indices = doc.indices();
      for (int n = 0; n < values.length; n++) {
        if (values[n] == 0) {
          continue;
        }
        int w = indices == null ? n : indices[n];
        double p = 0;
        for (int t = 0; t < theta.length; t++) {
          p += theta[t] * topics[t][w];
        }
        sum += values[n] * Math.log(Math.max(p, 1e-300));
        words += values[n];
      }
    }
    return words == 0 ? 0 : sum / words;
  }

  void save(Path modelDir, double[][] logTopics) throws AlgorithmException {
    ObjectNode root = ModelFile.create(ALGORITHM);
    root.put("feature_dim", featureDim);
    root.put("num_topics", alpha.length);
    root.set("alpha", ModelFile.array(alpha));
    root.set("topics", ModelFile.matrix(topics));
    root.set("log_topics", ModelFile.matrix(logTopics));
    ModelFile.write(modelDir, root);
  }

  static LdaModel load(Path modelDir) throws AlgorithmException {
    JsonNode root = ModelFile.read(modelDir, ALGORITHM);
    int featureDim = root.path("feature_dim").asInt();
    int k = root.path("num_topics").asInt();
    if (featureDim <= 0 || k <= 0) {
      throw new AlgorithmException(
          "The LDA model needs positive feature_dim and num_topics, has "
              + featureDim
              + " and "
              + k);
    }
    return new LdaModel(
        featureDim,
        ModelFile.readArray(root.get("alpha"), k, "alpha"),
        ModelFile.readMatrix(root.get("topics"), k, featureDim, "topics"),
        ModelFile.readMatrix(root.get("log_topics"), k, featureDim, "log_topics"));
  }

  @Override
  public Invocation invoke(byte[] body, String contentType, String accept) throws ModelError {
    String responseType = InferenceResponses.responseType(accept);
    List<FeatureVector> rows = InferenceRequests.parse(body, contentType, featureDim);
    float[][][] values = new float[rows.size()][][];
    for (int i = 0; i < values.length; i++) {
      FeatureVector doc = rows.get(i);
      for (double v : doc.values()) {
        if (v < 0) {
          throw new ModelError(
              400, "record " + i + " has a negative word count (" + v + "); LDA takes counts");
        }
      }
      double[] mixture = mixture(doc);
      float[] out = new float[mixture.length];
      for (int t = 0; t < out.length; t++) {
        out[t] = (float) mixture[t];
      }
      values[i] = new float[][] {out};
    }
    return InferenceResponses.write(
        responseType,
        new InferenceResponses.Outputs("predictions", OUTPUT_NAMES, OUTPUT_SCALAR, values));
  }
}
