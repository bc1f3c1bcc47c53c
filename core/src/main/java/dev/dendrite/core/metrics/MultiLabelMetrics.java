package dev.dendrite.core.metrics;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Multi-label metrics (several independent 0/1 labels per example): Hamming loss, subset (exact-match)
 * accuracy and per-label precision, recall and F1. A label is predicted when its probability is
 * {@code >= threshold} (0.5 by default) and present when its target is {@code > 0.5}. Mergeable.
 */
public final class MultiLabelMetrics implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int labels;
  private final float threshold;
  private final long[] truePositives;
  private final long[] falsePositives;
  private final long[] falseNegatives;
  private long examples;
  private long exactMatches;
  private long mismatches; // wrong (example, label) decisions

  public MultiLabelMetrics(int numLabels) {
    this(numLabels, 0.5f);
  }

  public MultiLabelMetrics(int numLabels, float threshold) {
    if (numLabels < 1) {
      throw new IllegalArgumentException("multi-label metrics need at least 1 label, got " + numLabels);
    }
    this.labels = numLabels;
    this.threshold = threshold;
    this.truePositives = new long[numLabels];
    this.falsePositives = new long[numLabels];
    this.falseNegatives = new long[numLabels];
  }

  public int numLabels() {
    return labels;
  }

  /** Adds one example: probabilities {@code pred[pOffset, +numLabels)}, 0/1 targets {@code target[tOffset, +numLabels)}. */
  public void add(float[] pred, int pOffset, float[] target, int tOffset) {
    int wrong = 0;
    for (int j = 0; j < labels; j++) {
      float p = pred[pOffset + j];
      if (p != p) {
        throw new IllegalArgumentException("prediction for label " + j + " of example " + examples + " is NaN");
      }
      boolean predicted = p >= threshold;
      boolean actual = target[tOffset + j] > 0.5f;
      if (predicted && actual) {
        truePositives[j]++;
      } else if (predicted) {
        falsePositives[j]++;
        wrong++;
      } else if (actual) {
        falseNegatives[j]++;
        wrong++;
      }
    }
    if (wrong == 0) {
      exactMatches++;
    }
    mismatches += wrong;
    examples++;
  }

  /** Adds a batch: predictions and targets both {@code [batch, numLabels]}, from offset 0 and {@code tOffset}. */
  public void add(float[] pred, float[] targets, int tOffset, int batch) {
    for (int r = 0; r < batch; r++) {
      add(pred, r * labels, targets, tOffset + r * labels);
    }
  }

  /** Adds another accumulator's examples into this one; returns this. */
  public MultiLabelMetrics merge(MultiLabelMetrics other) {
    if (other.labels != labels || other.threshold != threshold) {
      throw new IllegalArgumentException("cannot merge multi-label metrics of " + other.labels + " labels at "
          + other.threshold + " into ones of " + labels + " labels at " + threshold);
    }
    for (int j = 0; j < labels; j++) {
      truePositives[j] += other.truePositives[j];
      falsePositives[j] += other.falsePositives[j];
      falseNegatives[j] += other.falseNegatives[j];
    }
    examples += other.examples;
    exactMatches += other.exactMatches;
    mismatches += other.mismatches;
    return this;
  }

  public long examples() {
    return examples;
  }

  /** The fraction of (example, label) decisions that are wrong; NaN when empty. */
  public double hammingLoss() {
    return examples == 0 ? Double.NaN : (double) mismatches / ((double) examples * labels);
  }

  /** The fraction of examples whose every label is right; NaN when empty. */
  public double subsetAccuracy() {
    return examples == 0 ? Double.NaN : (double) exactMatches / examples;
  }

  /** TP / (TP + FP) of label {@code j}; 0 when the label was never predicted. */
  public double precision(int j) {
    return ratio(truePositives[j], truePositives[j] + falsePositives[j]);
  }

  /** TP / (TP + FN) of label {@code j}; 0 when the label was never present. */
  public double recall(int j) {
    return ratio(truePositives[j], truePositives[j] + falseNegatives[j]);
  }

  /** 2TP / (2TP + FP + FN) of label {@code j}; 0 when the label was never predicted nor present. */
  public double f1(int j) {
    return ratio(2 * truePositives[j], 2 * truePositives[j] + falsePositives[j] + falseNegatives[j]);
  }

  /** The unweighted mean of the per-label F1. */
  public double macroF1() {
    double s = 0;
    for (int j = 0; j < labels; j++) {
      s += f1(j);
    }
    return s / labels;
  }

  /** F1 of TP, FP and FN summed over labels. */
  public double microF1() {
    long tp = 0;
    long errors = 0;
    for (int j = 0; j < labels; j++) {
      tp += truePositives[j];
      errors += falsePositives[j] + falseNegatives[j];
    }
    return ratio(2 * tp, 2 * tp + errors);
  }

  private static double ratio(long num, long den) {
    return den == 0 ? 0 : (double) num / den;
  }

  /** The headline numbers by name with a prefix: hamming_loss, subset_accuracy, macro_f1, micro_f1. */
  public Map<String, Double> metrics(String prefix) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(prefix + "hamming_loss", hammingLoss());
    m.put(prefix + "subset_accuracy", subsetAccuracy());
    m.put(prefix + "macro_f1", macroF1());
    m.put(prefix + "micro_f1", microF1());
    return m;
  }
}
