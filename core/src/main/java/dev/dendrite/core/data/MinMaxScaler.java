package dev.dendrite.core.data;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;

/**
 * Scales each feature to [0, 1] over the training data: {@code x' = (x - min) / (max - min)}. A constant
 * column (max = min) is only shifted ({@code x' = x - min}), as in scikit-learn; values outside the
 * training range map outside [0, 1] (no clipping).
 */
public final class MinMaxScaler extends ColumnScaler {

  public static final String TYPE = "min_max";

  /** An unfitted scaler. */
  public MinMaxScaler() {
    this(null, null);
  }

  /** A fitted scaler with these per-feature bounds ({@code max[j] >= min[j]}). */
  public MinMaxScaler(double[] min, double[] max) {
    super(TYPE, "min", "max", min, max);
    for (int j = 0; j < width(); j++) {
      if (!(Double.isFinite(min[j]) && Double.isFinite(max[j]) && max[j] >= min[j])) {
        throw new ConfigException("max[" + j + "]", "must be finite and >= min (" + min[j] + "), got " + max[j]);
      }
    }
  }

  public double[] min() {
    return copy(center);
  }

  public double[] max() {
    return copy(spread);
  }

  @Override
  double divisor(int j) {
    return spread[j] > center[j] ? spread[j] - center[j] : 1.0;
  }

  @Override
  public MinMaxScaler fit(Dataset train) {
    int w = train.featureWidth();
    int n = train.size();
    if (n == 0) {
      throw new IllegalArgumentException("cannot fit min-max scaling on an empty dataset");
    }
    float[] x = train.features();
    double[] lo = new double[w];
    double[] hi = new double[w];
    for (int j = 0; j < w; j++) {
      lo[j] = x[j];
      hi[j] = x[j];
    }
    for (int r = 1; r < n; r++) {
      int base = r * w;
      for (int j = 0; j < w; j++) {
        float v = x[base + j];
        if (v < lo[j]) {
          lo[j] = v;
        } else if (v > hi[j]) {
          hi[j] = v;
        }
      }
    }
    return new MinMaxScaler(lo, hi);
  }

  static MinMaxScaler read(ConfigMap m) {
    return read(m, "min", "max", MinMaxScaler::new, MinMaxScaler::new);
  }
}
