package dev.dendrite.core.metrics;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classification metrics accumulated from rows of predicted probabilities and true class labels: accuracy,
 * top-k accuracy, log-loss, the {@link ConfusionMatrix}, and for binary tasks the exact ROC-AUC.
 * Mergeable, so each Spark partition can evaluate its share and the driver {@link #merge}s them.
 *
 * <p>Rows are either k probabilities (softmax) or, for two classes, one value: the probability of class 1
 * ({@code new ClassificationMetrics(2)}) or a score such as a logit or margin ({@link #binaryScores}).
 * ROC-AUC needs every binary score, so binary accumulators keep them (4 bytes per example); k-class ones
 * keep only counts.
 */
public final class ClassificationMetrics implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Probabilities are clipped to at least this before the logarithm of log-loss, as in scikit-learn. */
  public static final double LOG_LOSS_EPSILON = 1e-15;

  private final int k;
  private final int topK;
  private final boolean scores;    // one-column rows are scores, not probabilities
  private final float threshold;   // class 1 when the one-column value is >= threshold
  private final ConfusionMatrix matrix;
  private long examples;
  private long topKCorrect;
  private double logLossSum;
  private float[] positiveScores = new float[0]; // binary only: scores of true class-1 examples
  private int positives;
  private float[] negativeScores = new float[0];
  private int negatives;

  /** Metrics for {@code numClasses} classes with top-k accuracy for k = min(5, numClasses). */
  public ClassificationMetrics(int numClasses) {
    this(numClasses, Math.min(5, numClasses));
  }

  /** Metrics for {@code numClasses} classes with top-{@code topK} accuracy. */
  public ClassificationMetrics(int numClasses, int topK) {
    this(numClasses, topK, false, 0.5f);
  }

  private ClassificationMetrics(int numClasses, int topK, boolean scores, float threshold) {
    if (topK < 1 || topK > numClasses) {
      throw new IllegalArgumentException("top-k accuracy needs 1 <= k <= " + numClasses + " classes, got k = "
          + topK);
    }
    this.matrix = new ConfusionMatrix(numClasses);
    this.k = numClasses;
    this.topK = topK;
    this.scores = scores;
    this.threshold = threshold;
  }

  /**
   * Binary metrics from one score per example (a logit, SVM margin or perceptron output): class 1 when
   * the score is {@code > threshold} (a perceptron's step outputs 0 or 1, and at a score of exactly 0 the
   * lecture's perceptron has not called the positive class). Log-loss is NaN, as scores are not
   * probabilities.
   */
  public static ClassificationMetrics binaryScores(float threshold) {
    return new ClassificationMetrics(2, 1, true, threshold);
  }

  public int numClasses() {
    return k;
  }

  public int topK() {
    return topK;
  }

  /**
   * Adds one example: its prediction row {@code pred[offset, offset + width)} (k probabilities, or one
   * value for two classes) and its true class.
   */
  public void add(float[] pred, int offset, int width, int trueClass) {
    if (trueClass < 0 || trueClass >= k) {
      throw new IllegalArgumentException("true class " + trueClass + " is out of range; expected 0.." + (k - 1));
    }
    for (int j = 0; j < width; j++) {
      float v = pred[offset + j];
      if (v != v || Float.isInfinite(v)) {
        throw new IllegalArgumentException("prediction " + j + " of example " + examples + " is " + v
            + "; predictions must be finite");
      }
    }
    int predicted;
    double pTrue;
    if (width == k && !scores) {
      predicted = 0;
      int rank = 0; // classes ranked before the true one; ties broken by index, as arg-max does
      float t = pred[offset + trueClass];
      for (int j = 0; j < k; j++) {
        float v = pred[offset + j];
        if (v > pred[offset + predicted]) {
          predicted = j;
        }
        if (v > t || (v == t && j < trueClass)) {
          rank++;
        }
      }
      if (rank < topK) {
        topKCorrect++;
      }
      pTrue = t;
      if (k == 2) {
        addScore(pred[offset + 1], trueClass);
      }
    } else if (width == 1 && k == 2) {
      float s = pred[offset];
      predicted = (scores ? s > threshold : s >= threshold) ? 1 : 0;
      if (topK == 2 || predicted == trueClass) {
        topKCorrect++;
      }
      pTrue = scores ? Double.NaN : trueClass == 1 ? s : 1.0 - s;
      addScore(s, trueClass);
    } else {
      throw new IllegalArgumentException("prediction rows have " + width + " values; " + k
          + "-class metrics expect " + (k == 2 ? "1 or 2" : Integer.toString(k)) + (scores ? " (1 score)" : ""));
    }
    matrix.add(trueClass, predicted);
    logLossSum += -Math.log(Math.max(pTrue, LOG_LOSS_EPSILON));
    examples++;
  }

  /**
   * Adds a batch: predictions {@code [batch, width]} from offset 0 and targets {@code [batch, targetWidth]}
   * from {@code tOffset}, each target a class index ({@code targetWidth = 1}; for one-column binary rows,
   * a 0/1 label read as {@code > 0.5}) or a one-hot row ({@code targetWidth = k}).
   */
  public void add(float[] pred, int width, float[] targets, int tOffset, int targetWidth, int batch) {
    for (int r = 0; r < batch; r++) {
      int t = tOffset + r * targetWidth;
      int label;
      if (targetWidth == 1) {
        float v = targets[t];
        if (k == 2 && width == 1) {
          label = v > 0.5f ? 1 : 0;
        } else {
          label = (int) v;
          if (label != v) {
            throw new IllegalArgumentException("target of example " + r + " is " + v + ", not a class index");
          }
        }
      } else if (targetWidth == k) {
        label = argMax(targets, t, k);
      } else {
        throw new IllegalArgumentException("targets have " + targetWidth + " values per example; expected 1 "
            + "(a class index) or " + k + " (one-hot)");
      }
      add(pred, r * width, width, label);
    }
  }

  /** Adds rows of predictions with their class labels. */
  public void add(float[][] pred, int[] labels) {
    if (pred.length != labels.length) {
      throw new IllegalArgumentException(pred.length + " prediction rows but " + labels.length + " labels");
    }
    for (int r = 0; r < pred.length; r++) {
      add(pred[r], 0, pred[r].length, labels[r]);
    }
  }

  private static int argMax(float[] a, int offset, int n) {
    int best = 0;
    for (int j = 1; j < n; j++) {
      if (a[offset + j] > a[offset + best]) {
        best = j;
      }
    }
    return best;
  }

  private void addScore(float s, int trueClass) {
    float v = s + 0.0f; // -0.0 → 0.0
    if (trueClass == 1) {
      if (positives == positiveScores.length) {
        positiveScores = Arrays.copyOf(positiveScores, Math.max(16, positives * 2));
      }
      positiveScores[positives++] = v;
    } else {
      if (negatives == negativeScores.length) {
        negativeScores = Arrays.copyOf(negativeScores, Math.max(16, negatives * 2));
      }
      negativeScores[negatives++] = v;
    }
  }

  /** Adds another accumulator's examples into this one; returns this. */
  public ClassificationMetrics merge(ClassificationMetrics other) {
    if (other.k != k || other.topK != topK || other.scores != scores || other.threshold != threshold) {
      throw new IllegalArgumentException("cannot merge " + other.describe() + " into " + describe());
    }
    matrix.merge(other.matrix);
    examples += other.examples;
    topKCorrect += other.topKCorrect;
    logLossSum += other.logLossSum;
    if (other.positives > 0) {
      positiveScores = Arrays.copyOf(positiveScores, positives + other.positives);
      System.arraycopy(other.positiveScores, 0, positiveScores, positives, other.positives);
      positives += other.positives;
    }
    if (other.negatives > 0) {
      negativeScores = Arrays.copyOf(negativeScores, negatives + other.negatives);
      System.arraycopy(other.negativeScores, 0, negativeScores, negatives, other.negatives);
      negatives += other.negatives;
    }
    return this;
  }

  private String describe() {
    return k + "-class metrics (top-" + topK + (scores ? ", scores >= " + threshold : "") + ")";
  }

  public long examples() {
    return examples;
  }

  /** The fraction of examples whose arg-max (or thresholded) prediction is the true class; NaN when empty. */
  public double accuracy() {
    return matrix.accuracy();
  }

  /** The fraction of examples whose true class is among the {@link #topK()} highest predictions. */
  public double topKAccuracy() {
    return examples == 0 ? Double.NaN : (double) topKCorrect / examples;
  }

  /** The mean of {@code -ln max(p_true, 1e-15)}; NaN for score rows or when empty. */
  public double logLoss() {
    return examples == 0 ? Double.NaN : logLossSum / examples;
  }

  /** A copy of the confusion matrix. */
  public ConfusionMatrix confusionMatrix() {
    return new ConfusionMatrix(k).merge(matrix);
  }

  /**
   * The area under the ROC curve of a binary task: the probability that a random positive scores above a
   * random negative, ties counting one half (the average-rank Mann-Whitney statistic, exact). NaN when
   * only one class has been seen.
   */
  public double rocAuc() {
    if (k != 2) {
      throw new IllegalStateException("ROC-AUC is defined here for binary tasks only; these metrics have "
          + k + " classes (see the per-class F1 of the confusion matrix)");
    }
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    float[] pos = Arrays.copyOf(positiveScores, positives);
    float[] neg = Arrays.copyOf(negativeScores, negatives);
    Arrays.sort(pos);
    Arrays.sort(neg);
    long twiceWins = 0; // Σ over positives of 2·#(negatives below) + #(negatives tied)
    int below = 0;
    int notAbove = 0;
    for (float s : pos) {
      while (below < neg.length && neg[below] < s) {
        below++;
      }
      if (notAbove < below) {
        notAbove = below;
      }
      while (notAbove < neg.length && neg[notAbove] <= s) {
        notAbove++;
      }
      twiceWins += below + notAbove;
    }
    return twiceWins / (2.0 * positives * negatives);
  }

  /**
   * The headline numbers by name with a prefix (e.g. {@code val_}): accuracy, top_k_accuracy (when k &lt;
   * the number of classes), log_loss (probabilities only), macro_f1, weighted_f1, and roc_auc (binary).
   */
  public Map<String, Double> metrics(String prefix) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(prefix + "accuracy", accuracy());
    if (topK > 1 && topK < k) {
      m.put(prefix + "top_" + topK + "_accuracy", topKAccuracy());
    }
    if (!scores) {
      m.put(prefix + "log_loss", logLoss());
    }
    m.put(prefix + "macro_f1", matrix.macroF1());
    m.put(prefix + "weighted_f1", matrix.weightedF1());
    if (k == 2) {
      m.put(prefix + "roc_auc", rocAuc());
    }
    return m;
  }
}
