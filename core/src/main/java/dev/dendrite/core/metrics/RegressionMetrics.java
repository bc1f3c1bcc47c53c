package dev.dendrite.core.metrics;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression metrics over one or more outputs: MSE, RMSE, MAE and R². Sums are in double and the
 * accumulator is mergeable. The target variance behind R² is kept as a running mean and sum of squared
 * deviations (Welford, merged with Chan's formula) rather than Σy and Σy², which cancel catastrophically
 * when targets are large and close together (prices, timestamps).
 */
public final class RegressionMetrics implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int outputs;
  private long n;                        // examples
  private final double[] squaredError;   // per output: Σ (pred - y)²
  private final double[] absoluteError;  // per output: Σ |pred - y|
  private final double[] targetMean;     // per output: mean of y
  private final double[] targetM2;       // per output: Σ (y - mean)²

  /** Metrics for a single output. */
  public RegressionMetrics() {
    this(1);
  }

  public RegressionMetrics(int outputs) {
    if (outputs < 1) {
      throw new IllegalArgumentException("regression metrics need at least 1 output, got " + outputs);
    }
    this.outputs = outputs;
    this.squaredError = new double[outputs];
    this.absoluteError = new double[outputs];
    this.targetMean = new double[outputs];
    this.targetM2 = new double[outputs];
  }

  public int outputs() {
    return outputs;
  }

  /** Adds one example with a single output. */
  public void add(double prediction, double target) {
    if (outputs != 1) {
      throw new IllegalArgumentException("these metrics have " + outputs + " outputs; add whole rows");
    }
    n++;
    accumulate(0, prediction, target);
  }

  /** Adds one example: predictions {@code pred[pOffset, +outputs)} and targets {@code target[tOffset, +outputs)}. */
  public void add(float[] pred, int pOffset, float[] target, int tOffset) {
    n++;
    for (int j = 0; j < outputs; j++) {
      accumulate(j, pred[pOffset + j], target[tOffset + j]);
    }
  }

  /** Adds a batch: predictions and targets both {@code [batch, outputs]}, from offset 0 and {@code tOffset}. */
  public void add(float[] pred, float[] targets, int tOffset, int batch) {
    for (int r = 0; r < batch; r++) {
      add(pred, r * outputs, targets, tOffset + r * outputs);
    }
  }

  private void accumulate(int j, double p, double y) {
    double e = p - y;
    squaredError[j] += e * e;
    absoluteError[j] += Math.abs(e);
    double delta = y - targetMean[j];
    targetMean[j] += delta / n;
    targetM2[j] += delta * (y - targetMean[j]);
  }

  /** Adds another accumulator's examples into this one; returns this. */
  public RegressionMetrics merge(RegressionMetrics other) {
    if (other.outputs != outputs) {
      throw new IllegalArgumentException("cannot merge regression metrics of " + other.outputs
          + " outputs into ones of " + outputs);
    }
    if (other.n == 0) {
      return this;
    }
    long total = n + other.n;
    for (int j = 0; j < outputs; j++) {
      squaredError[j] += other.squaredError[j];
      absoluteError[j] += other.absoluteError[j];
      double delta = other.targetMean[j] - targetMean[j];
      targetM2[j] += other.targetM2[j] + delta * delta * ((double) n * other.n / total);
      targetMean[j] += delta * other.n / total;
    }
    n = total;
    return this;
  }

  public long examples() {
    return n;
  }

  /** The mean squared error over every (example, output); NaN when empty. */
  public double mse() {
    double s = 0;
    for (double v : squaredError) {
      s += v;
    }
    return n == 0 ? Double.NaN : s / ((double) n * outputs);
  }

  public double rmse() {
    return Math.sqrt(mse());
  }

  /** The mean absolute error over every (example, output); NaN when empty. */
  public double mae() {
    double s = 0;
    for (double v : absoluteError) {
      s += v;
    }
    return n == 0 ? Double.NaN : s / ((double) n * outputs);
  }

  /**
   * The coefficient of determination {@code 1 - SS_res / SS_tot}, averaged over outputs. For an output
   * whose targets are all equal it is 1 for a perfect prediction and 0 otherwise (scikit-learn's
   * convention); NaN when empty.
   */
  public double r2() {
    if (n == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (int j = 0; j < outputs; j++) {
      s += r2(j);
    }
    return s / outputs;
  }

  /** R² of output {@code j}. */
  public double r2(int j) {
    if (n == 0) {
      return Double.NaN;
    }
    if (targetM2[j] == 0) {
      return squaredError[j] == 0 ? 1 : 0;
    }
    return 1 - squaredError[j] / targetM2[j];
  }

  /** The headline numbers by name with a prefix: mse, rmse, mae, r2. */
  public Map<String, Double> metrics(String prefix) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(prefix + "mse", mse());
    m.put(prefix + "rmse", rmse());
    m.put(prefix + "mae", mae());
    m.put(prefix + "r2", r2());
    return m;
  }
}
