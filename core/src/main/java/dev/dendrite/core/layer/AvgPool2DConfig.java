package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.network.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Average pooling over {@code [channels, height, width]} inputs: the mean of every {@code pool_size}
 * window moved by {@code strides} (default: the pool size), per channel; {@code padding} {@code valid} or
 * {@code same} (Keras' rule; the mean is over the cells inside the input, i.e. PyTorch's
 * {@code count_include_pad=False}).
 */
public record AvgPool2DConfig(int poolHeight, int poolWidth, int strideHeight, int strideWidth, String padding)
    implements LayerConfig {

  public static final String TYPE = "avg_pool2d";

  public AvgPool2DConfig {
    Window2D.checkPositive("pool_size", poolHeight, poolWidth);
    Window2D.checkPositive("strides", strideHeight, strideWidth);
    Window2D.checkPadding(padding);
  }

  /** A square {@code pool × pool} window, stride = pool, padding {@code valid}. */
  public static AvgPool2DConfig of(int pool) {
    return new AvgPool2DConfig(pool, pool, pool, pool, "valid");
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new AvgPool2DLayer(TYPE + "_" + index, this, input);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    Window2D.putPair(m, "pool_size", poolHeight, poolWidth);
    Window2D.putPair(m, "strides", strideHeight, strideWidth);
    m.put("padding", padding);
    return m;
  }

  static AvgPool2DConfig read(ConfigMap m) {
    int[] pool = Window2D.pair(m, "pool_size", null);
    int[] strides = Window2D.pair(m, "strides", pool);
    String padding = m.choice("padding", "valid", Window2D.PADDINGS);
    return new AvgPool2DConfig(pool[0], pool[1], strides[0], strides[1], padding);
  }
}
