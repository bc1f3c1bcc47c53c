package dev.dendrite.core.data;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;

/**
 * Standardizes each feature with the training data's mean and (population) standard deviation, computed
 * in double: {@code x' = (x - mean) / std}; a constant column has std 0 and is divided by 1 instead.
 */
public final class StandardScaler extends ColumnScaler {

  public static final String TYPE = "standard";

  /** An unfitted scaler. */
  public StandardScaler() {
    this(null, null);
  }

  /** A fitted scaler with these per-feature means and standard deviations ({@code std > 0}). */
  public StandardScaler(double[] mean, double[] std) {
    super(TYPE, "mean", "std", mean, std);
    for (int j = 0; j < width(); j++) {
      if (!Double.isFinite(mean[j])) {
        throw new ConfigException("mean[" + j + "]", "must be finite, got " + mean[j]);
      }
      if (!(std[j] > 0 && Double.isFinite(std[j]))) {
        throw new ConfigException("std[" + j + "]", "must be finite and > 0, got " + std[j]);
      }
    }
  }

  public double[] mean() {
    return copy(center);
  }

  /** The divisors: the standard deviations, with 1 for constant columns. */
  public double[] std() {
    return copy(spread);
  }

  @Override
  double divisor(int j) {
    return spread[j];
  }

  @Override
  public StandardScaler fit(Dataset train) {
    int w = train.featureWidth();
    int n = train.size();
    if (n == 0) {
      throw new IllegalArgumentException("cannot fit standardization on an empty dataset");
    }
    float[] x = train.features();
    double[] mu = new double[w];
    for (int r = 0; r < n; r++) {
      int base = r * w;
      for (int j = 0; j < w; j++) {
        mu[j] += x[base + j];
      }
    }
    for (int j = 0; j < w; j++) {
      mu[j] /= n;
    }
    double[] sq = new double[w];   // two passes: no cancellation from E[x²] - E[x]²
    for (int r = 0; r < n; r++) {
      int base = r * w;
      for (int j = 0; j < w; j++) {
        double d = x[base + j] - mu[j];
        sq[j] += d * d;
      }
    }
    double[] sd = new double[w];
    for (int j = 0; j < w; j++) {
      double s = Math.sqrt(sq[j] / n);
      sd[j] = s > 0 ? s : 1.0;
    }
    return new StandardScaler(mu, sd);
  }

  static StandardScaler read(ConfigMap m) {
    return read(m, "mean", "std", StandardScaler::new, StandardScaler::new);
  }
}
