package dev.dendrite.core.data;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scales each feature to [0, 1] over the training data: {@code x' = (x - min) / (max - min)}. A constant
 * column (max = min) is only shifted ({@code x' = x - min}), as in scikit-learn; values outside the
 * training range map outside [0, 1] (no clipping).
 */
public final class MinMaxScaler implements Preprocessor {

  public static final String TYPE = "min_max";

  private final double[] min;   // [width], null until fitted
  private final double[] max;

  /** An unfitted scaler. */
  public MinMaxScaler() {
    this(null, null);
  }

  /** A fitted scaler with these per-feature bounds ({@code max[j] >= min[j]}). */
  public MinMaxScaler(double[] min, double[] max) {
    if ((min == null) != (max == null) || (min != null && min.length != max.length)) {
      throw new IllegalArgumentException("min and max need one value per feature each");
    }
    if (min != null) {
      for (int j = 0; j < min.length; j++) {
        if (!(Double.isFinite(min[j]) && Double.isFinite(max[j]) && max[j] >= min[j])) {
          throw new ConfigException("max[" + j + "]", "must be finite and >= min (" + min[j] + "), got " + max[j]);
        }
      }
    }
    this.min = min == null ? null : min.clone();
    this.max = max == null ? null : max.clone();
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean isFitted() {
    return min != null;
  }

  @Override
  public int width() {
    return min == null ? -1 : min.length;
  }

  public double[] min() {
    return min == null ? null : min.clone();
  }

  public double[] max() {
    return max == null ? null : max.clone();
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

  @Override
  public void transform(float[] features, int offset, int rows) {
    int w = width();
    FittedColumns.checkRange(TYPE, w, features, offset, rows);
    double[] inv = new double[w];
    for (int j = 0; j < w; j++) {
      inv[j] = max[j] > min[j] ? 1.0 / (max[j] - min[j]) : 1.0;
    }
    for (int r = 0; r < rows; r++) {
      int base = offset + r * w;
      for (int j = 0; j < w; j++) {
        features[base + j] = (float) ((features[base + j] - min[j]) * inv[j]);
      }
    }
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    if (isFitted()) {
      m.put("width", min.length);
      m.put("min", FittedColumns.toList(min));
      m.put("max", FittedColumns.toList(max));
    }
    return m;
  }

  static MinMaxScaler read(ConfigMap m) {
    if (!m.has("width")) {
      m.finish();
      return new MinMaxScaler();
    }
    int w = m.integer("width", 1, 1, Integer.MAX_VALUE);
    double[] lo = FittedColumns.numbers(m, "min", w);
    double[] hi = FittedColumns.numbers(m, "max", w);
    m.finish();
    try {
      return new MinMaxScaler(lo, hi);
    } catch (ConfigException e) {
      throw new ConfigException(m.key(e.key()), e.getMessage().substring(e.key().length() + 2));
    }
  }
}
