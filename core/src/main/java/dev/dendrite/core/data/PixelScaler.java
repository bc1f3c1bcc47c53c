package dev.dendrite.core.data;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Divides every feature by a fixed maximum, 255 by default: 8-bit pixels to [0, 1]. Fitting learns
 * nothing but the feature width, which is checked when transforming.
 */
public final class PixelScaler implements Preprocessor {

  public static final String TYPE = "pixel";
  public static final double DEFAULT_MAX = 255.0;

  private final double max;
  private final int width;   // -1 until fitted

  /** An unfitted scaler dividing by 255. */
  public PixelScaler() {
    this(DEFAULT_MAX, -1);
  }

  /** An unfitted scaler dividing by {@code max}. */
  public PixelScaler(double max) {
    this(max, -1);
  }

  /** A scaler dividing by {@code max}, fitted on {@code width} features (-1 for unfitted). */
  public PixelScaler(double max, int width) {
    if (!(max > 0 && Double.isFinite(max))) {
      throw new ConfigException("max", "must be a finite number > 0, got " + max);
    }
    if (width < -1 || width == 0) {
      throw new ConfigException("width", "must be > 0, got " + width);
    }
    this.max = max;
    this.width = width;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean isFitted() {
    return width > 0;
  }

  @Override
  public int width() {
    return width;
  }

  public double max() {
    return max;
  }

  @Override
  public PixelScaler fit(Dataset train) {
    return new PixelScaler(max, train.featureWidth());
  }

  @Override
  public void transform(float[] features, int offset, int rows) {
    FittedColumns.checkRange(TYPE, width, features, offset, rows);
    float m = (float) max;
    int end = offset + rows * width;
    for (int i = offset; i < end; i++) {
      features[i] /= m;
    }
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("max", max);
    if (isFitted()) {
      m.put("width", width);
    }
    return m;
  }

  static PixelScaler read(ConfigMap m) {
    double max = m.number("max", DEFAULT_MAX);
    int w = m.has("width") ? m.integer("width", 1, 1, Integer.MAX_VALUE) : -1;
    m.finish();
    try {
      return new PixelScaler(max, w);
    } catch (ConfigException e) {
      throw new ConfigException(m.key(e.key()), e.getMessage().substring(e.key().length() + 2));
    }
  }
}
