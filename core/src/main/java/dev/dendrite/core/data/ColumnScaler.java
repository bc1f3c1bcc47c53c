package dev.dendrite.core.data;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * What {@link MinMaxScaler} and {@link StandardScaler} share: two learned values per column, a center and a
 * spread, and the transformation {@code x' = (x - center[j]) / divisor(j)}; the subclass fits them and says
 * how the spread becomes the divisor.
 */
abstract class ColumnScaler implements Preprocessor {

  private final String type;
  private final String centerKey;   // the map key of center: min, mean
  private final String spreadKey;   // and of spread: max, std
  final double[] center;            // [width], null until fitted
  final double[] spread;            // [width]

  /** Checks that both arrays are given (or both null) with one value per feature, and keeps copies. */
  ColumnScaler(String type, String centerKey, String spreadKey, double[] center, double[] spread) {
    if ((center == null) != (spread == null) || (center != null && center.length != spread.length)) {
      throw new IllegalArgumentException(centerKey + " and " + spreadKey + " need one value per feature each");
    }
    this.type = type;
    this.centerKey = centerKey;
    this.spreadKey = spreadKey;
    this.center = copy(center);
    this.spread = copy(spread);
  }

  /** What {@code x - center[j]} is divided by. */
  abstract double divisor(int j);

  /** The fitted centers {@code center[j]} (a copy): the means or the minima. */
  public final double[] centers() {
    return copy(center);
  }

  /**
   * What {@code x - center[j]} is divided by, per column (a new array): the spreads with this scaler's rule
   * for constant columns applied. With {@link #centers()} it is the whole transformation (for export).
   */
  public final double[] divisors() {
    double[] d = new double[width()];
    for (int j = 0; j < d.length; j++) {
      d[j] = divisor(j);
    }
    return d;
  }

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final boolean isFitted() {
    return center != null;
  }

  @Override
  public final int width() {
    return center == null ? -1 : center.length;
  }

  @Override
  public final void transform(float[] features, int offset, int rows) {
    int w = width();
    FittedColumns.checkRange(type, w, features, offset, rows);
    double[] inv = new double[w];
    for (int j = 0; j < w; j++) {
      inv[j] = 1.0 / divisor(j);
    }
    for (int r = 0; r < rows; r++) {
      int base = offset + r * w;
      for (int j = 0; j < w; j++) {
        features[base + j] = (float) ((features[base + j] - center[j]) * inv[j]);
      }
    }
  }

  @Override
  public final Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    if (isFitted()) {
      m.put("width", center.length);
      m.put(centerKey, FittedColumns.toList(center));
      m.put(spreadKey, FittedColumns.toList(spread));
    }
    return m;
  }

  static double[] copy(double[] values) {
    return values == null ? null : values.clone();
  }

  /**
   * Reads the map form: {@code unfitted} without a {@code width}, else {@code fitted(center, spread)} from the
   * two lists, with the constructor's complaints moved under the map's path.
   */
  static <S extends ColumnScaler> S read(ConfigMap m, String centerKey, String spreadKey, Supplier<S> unfitted,
                                         BiFunction<double[], double[], S> fitted) {
    if (!m.has("width")) {
      m.finish();
      return unfitted.get();
    }
    int w = m.integer("width", 1, 1, Integer.MAX_VALUE);
    double[] center = FittedColumns.numbers(m, centerKey, w);
    double[] spread = FittedColumns.numbers(m, spreadKey, w);
    m.finish();
    try {
      return fitted.apply(center, spread);
    } catch (ConfigException e) {
      throw new ConfigException(m.key(e.key()), e.getMessage().substring(e.key().length() + 2));
    }
  }
}
