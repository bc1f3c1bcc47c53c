package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link MaxPool2DConfig} and {@link AvgPool2DConfig} share: the window, and its keys {@code pool_size},
 * {@code strides} (default: the pool size) and {@code padding}, checked, written and read in one place.
 */
interface Pool2DConfig extends LayerConfig {

  // the record components of both pooling configs
  int poolHeight();
  int poolWidth();
  int strideHeight();
  int strideWidth();
  String padding();

  /** A pooling config's canonical constructor. */
  interface Factory<C extends Pool2DConfig> {
    C create(int poolHeight, int poolWidth, int strideHeight, int strideWidth, String padding);
  }

  static void check(int poolHeight, int poolWidth, int strideHeight, int strideWidth, String padding) {
    Window2D.checkPositive("pool_size", poolHeight, poolWidth);
    Window2D.checkPositive("strides", strideHeight, strideWidth);
    Window2D.checkPadding(padding);
  }

  /** The map form of {@code c}: {@code type}, {@code pool_size}, {@code strides}, {@code padding}. */
  static Map<String, Object> write(Pool2DConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", c.type());
    Window2D.putPair(m, "pool_size", c.poolHeight(), c.poolWidth());
    Window2D.putPair(m, "strides", c.strideHeight(), c.strideWidth());
    m.put("padding", c.padding());
    return m;
  }

  static <C extends Pool2DConfig> C read(ConfigMap m, Factory<C> factory) {
    int[] pool = Window2D.pair(m, "pool_size", null);
    int[] strides = Window2D.pair(m, "strides", pool);
    String padding = m.choice("padding", "valid", Window2D.PADDINGS);
    return factory.create(pool[0], pool[1], strides[0], strides[1], padding);
  }
}
