package dev.dendrite.core.metrics;

import java.io.Serializable;
import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs over k classes, with the precision, recall and F1 they
 * imply per class and averaged (macro, micro, weighted). Rows are true classes, columns predictions.
 * A ratio whose denominator is zero (a class never predicted, or never present) is 0, as in scikit-learn;
 * macro averages run over all k classes.
 */
public final class ConfusionMatrix implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int k;
  private final long[] counts; // [k, k]: counts[t * k + p]

  public ConfusionMatrix(int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("a confusion matrix needs at least 2 classes, got " + numClasses);
    }
    this.k = numClasses;
    this.counts = new long[numClasses * numClasses];
  }

  public int numClasses() {
    return k;
  }

  /** Counts one example of class {@code trueClass} predicted as {@code predictedClass}. */
  public void add(int trueClass, int predictedClass) {
    add(trueClass, predictedClass, 1);
  }

  /** Counts {@code n} examples of class {@code trueClass} predicted as {@code predictedClass}. */
  public void add(int trueClass, int predictedClass, long n) {
    checkClass("true class", trueClass);
    checkClass("predicted class", predictedClass);
    if (n < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + n);
    }
    counts[trueClass * k + predictedClass] += n;
  }

  private void checkClass(String what, int c) {
    if (c < 0 || c >= k) {
      throw new IllegalArgumentException(what + " " + c + " is out of range; expected 0.." + (k - 1));
    }
  }

  /** Adds another matrix's counts into this one; returns this. */
  public ConfusionMatrix merge(ConfusionMatrix other) {
    if (other.k != k) {
      throw new IllegalArgumentException("cannot merge a " + other.k + "-class confusion matrix into a "
          + k + "-class one");
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    return this;
  }

  /** The number of examples of class {@code trueClass} predicted as {@code predictedClass}. */
  public long count(int trueClass, int predictedClass) {
    checkClass("true class", trueClass);
    checkClass("predicted class", predictedClass);
    return counts[trueClass * k + predictedClass];
  }

  public long total() {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }

  /** Examples whose true class is {@code c} (the row sum). */
  public long support(int c) {
    long n = 0;
    for (int p = 0; p < k; p++) {
      n += counts[c * k + p];
    }
    return n;
  }

  /** Examples predicted as {@code c} (the column sum). */
  public long predicted(int c) {
    long n = 0;
    for (int t = 0; t < k; t++) {
      n += counts[t * k + c];
    }
    return n;
  }

  public long truePositives(int c) {
    return counts[c * k + c];
  }

  private long correct() {
    long n = 0;
    for (int c = 0; c < k; c++) {
      n += counts[c * k + c];
    }
    return n;
  }

  /** The fraction of examples on the diagonal, or NaN when empty. */
  public double accuracy() {
    long n = total();
    return n == 0 ? Double.NaN : (double) correct() / n;
  }

  /** TP / (TP + FP) of class {@code c}. */
  public double precision(int c) {
    checkClass("class", c);
    return ratio(truePositives(c), predicted(c));
  }

  /** TP / (TP + FN) of class {@code c}. */
  public double recall(int c) {
    checkClass("class", c);
    return ratio(truePositives(c), support(c));
  }

  /** The harmonic mean of precision and recall of class {@code c}: 2TP / (2TP + FP + FN). */
  public double f1(int c) {
    checkClass("class", c);
    return ratio(2 * truePositives(c), predicted(c) + support(c));
  }

  public double macroPrecision() {
    double s = 0;
    for (int c = 0; c < k; c++) {
      s += precision(c);
    }
    return s / k;
  }

  public double macroRecall() {
    double s = 0;
    for (int c = 0; c < k; c++) {
      s += recall(c);
    }
    return s / k;
  }

  public double macroF1() {
    double s = 0;
    for (int c = 0; c < k; c++) {
      s += f1(c);
    }
    return s / k;
  }

  /**
   * Micro-averaged precision: TP and FP summed over classes. With one label per example every error is
   * one FP and one FN, so micro precision, recall and F1 all equal the accuracy.
   */
  public double microPrecision() {
    return ratio(correct(), total());
  }

  public double microRecall() {
    return ratio(correct(), total());
  }

  public double microF1() {
    return ratio(correct(), total());
  }

  /** Precision averaged over classes weighted by their support. */
  public double weightedPrecision() {
    return weighted(0);
  }

  public double weightedRecall() {
    return weighted(1);
  }

  public double weightedF1() {
    return weighted(2);
  }

  private double weighted(int which) {
    long n = total();
    if (n == 0) {
      return 0;
    }
    double s = 0;
    for (int c = 0; c < k; c++) {
      double v = which == 0 ? precision(c) : which == 1 ? recall(c) : f1(c);
      s += v * support(c);
    }
    return s / n;
  }

  private static double ratio(long num, long den) {
    return den == 0 ? 0 : (double) num / den;
  }

  /**
   * The matrix as an aligned text table (rows: true classes, columns: predictions) followed by per-class
   * precision, recall, F1 and support and the averages.
   *
   * @param classNames one name per class, or null for {@code 0..k-1}
   */
  public String toTable(String[] classNames) {
    if (classNames != null && classNames.length != k) {
      throw new IllegalArgumentException("got " + classNames.length + " class names for " + k + " classes");
    }
    String[] names = new String[k];
    for (int c = 0; c < k; c++) {
      names[c] = classNames == null ? Integer.toString(c) : classNames[c];
    }
    int nameWidth = "true \\ predicted".length();
    for (String s : names) {
      nameWidth = Math.max(nameWidth, s.length());
    }
    int cell = 1;
    for (long c : counts) {
      cell = Math.max(cell, Long.toString(c).length());
    }
    for (String s : names) {
      cell = Math.max(cell, s.length());
    }
    StringBuilder sb = new StringBuilder();
    pad(sb, "true \\ predicted", nameWidth, false);
    for (String s : names) {
      sb.append("  ");
      pad(sb, s, cell, true);
    }
    sb.append('\n');
    for (int t = 0; t < k; t++) {
      pad(sb, names[t], nameWidth, false);
      for (int p = 0; p < k; p++) {
        sb.append("  ");
        pad(sb, Long.toString(counts[t * k + p]), cell, true);
      }
      sb.append('\n');
    }
    sb.append('\n');
    int w = Math.max(nameWidth, "weighted avg".length());
    pad(sb, "", w, false);
    sb.append("  precision     recall         f1    support\n");
    for (int c = 0; c < k; c++) {
      row(sb, names[c], w, precision(c), recall(c), f1(c), support(c));
    }
    long n = total();
    pad(sb, "accuracy", w, false);
    sb.append(String.format(Locale.ROOT, "  %9s  %9s  %9.4f  %9d\n", "", "", accuracy(), n));
    row(sb, "macro avg", w, macroPrecision(), macroRecall(), macroF1(), n);
    row(sb, "micro avg", w, microPrecision(), microRecall(), microF1(), n);
    row(sb, "weighted avg", w, weightedPrecision(), weightedRecall(), weightedF1(), n);
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, int w, double p, double r, double f, long support) {
    pad(sb, name, w, false);
    sb.append(String.format(Locale.ROOT, "  %9.4f  %9.4f  %9.4f  %9d\n", p, r, f, support));
  }

  private static void pad(StringBuilder sb, String s, int width, boolean right) {
    if (right) {
      sb.append(" ".repeat(width - s.length())).append(s);
    } else {
      sb.append(s).append(" ".repeat(width - s.length()));
    }
  }

  @Override
  public String toString() {
    return toTable(null);
  }
}
