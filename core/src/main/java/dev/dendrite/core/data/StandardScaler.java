package dev.dendrite.core.data;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Standardizes each feature with the training data's mean and (population) standard deviation, computed
 * in double: {@code x' = (x - mean) / std}; a constant column has std 0 and is divided by 1 instead.
 */
public final class StandardScaler implements Preprocessor {

  public static final String TYPE = "standard";

  private final double[] mean;   // [width], null until fitted
  private final double[] std;

  /** An unfitted scaler. */
  public StandardScaler() {
    this(null, null);
  }

  /** A fitted scaler with these per-feature means and standard deviations ({@code std > 0}). */
  public StandardScaler(double[] mean, double[] std) {
    if ((mean == null) != (std == null) || (mean != null && mean.length != std.length)) {
      throw new IllegalArgumentException("mean and std need one value per feature each");
    }
    if (mean != null) {
      for (int j = 0; j < mean.length; j++) {
        if (!Double.isFinite(mean[j])) {
          throw new ConfigException("mean[" + j + "]", "must be finite, got " + mean[j]);
        }
        if (!(std[j] > 0 && Double.isFinite(std[j]))) {
          throw new ConfigException("std[" + j + "]", "must be finite and > 0, got " + std[j]);
        }
      }
    }
    this.mean = mean == null ? null : mean.clone();
    this.std = std == null ? null : std.clone();
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean isFitted() {
    return mean != null;
  }

  @Override
  public int width() {
    return mean == null ? -1 : mean.length;
  }

  public double[] mean() {
    return mean == null ? null : mean.clone();
  }

  /** The divisors: the standard deviations, with 1 for constant columns. */
  public double[] std() {
    return std == null ? null : std.clone();
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

  @Override
  public void transform(float[] features, int offset, int rows) {
    int w = width();
    FittedColumns.checkRange(TYPE, w, features, offset, rows);
    double[] inv = new double[w];
    for (int j = 0; j < w; j++) {
      inv[j] = 1.0 / std[j];
    }
    for (int r = 0; r < rows; r++) {
      int base = offset + r * w;
      for (int j = 0; j < w; j++) {
        features[base + j] = (float) ((features[base + j] - mean[j]) * inv[j]);
      }
    }
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    if (isFitted()) {
      m.put("width", mean.length);
      m.put("mean", FittedColumns.toList(mean));
      m.put("std", FittedColumns.toList(std));
    }
    return m;
  }

  static StandardScaler read(ConfigMap m) {
    if (!m.has("width")) {
      m.finish();
      return new StandardScaler();
    }
    int w = m.integer("width", 1, 1, Integer.MAX_VALUE);
    double[] mu = FittedColumns.numbers(m, "mean", w);
    double[] sd = FittedColumns.numbers(m, "std", w);
    m.finish();
    try {
      return new StandardScaler(mu, sd);
    } catch (ConfigException e) {
      throw new ConfigException(m.key(e.key()), e.getMessage().substring(e.key().length() + 2));
    }
  }
}
