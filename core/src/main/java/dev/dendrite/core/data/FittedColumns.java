package dev.dendrite.core.data;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the per-column preprocessors: bounds checks and reading lists of numbers. */
final class FittedColumns {

  private FittedColumns() {
  }

  static void checkRange(String type, int width, float[] features, int offset, int rows) {
    if (width < 0) {
      throw new IllegalStateException(type + " preprocessing is not fitted; call fit(train) first");
    }
    if (offset < 0 || rows < 0 || (long) offset + (long) rows * width > features.length) {
      throw new IndexOutOfBoundsException(type + ": " + rows + " rows of " + width + " features from index "
          + offset + " do not fit in an array of " + features.length);
    }
  }

  static List<Double> toList(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return out;
  }

  /** A list of {@code width} finite numbers under {@code name}. */
  static double[] numbers(ConfigMap m, String name, int width) {
    Object v = m.value(name);
    if (!(v instanceof List) || ((List<?>) v).size() != width) {
      throw new ConfigException(m.key(name), "expected a list of " + width + " numbers (one per feature), got "
          + (v instanceof List ? "a list of " + ((List<?>) v).size() : v));
    }
    List<?> list = (List<?>) v;
    double[] out = new double[width];
    for (int i = 0; i < width; i++) {
      Object item = list.get(i);
      if (!(item instanceof Number) || !Double.isFinite(((Number) item).doubleValue())) {
        throw new ConfigException(m.key(name) + "[" + i + "]", "expected a finite number, got " + item);
      }
      out[i] = ((Number) item).doubleValue();
    }
    return out;
  }
}
