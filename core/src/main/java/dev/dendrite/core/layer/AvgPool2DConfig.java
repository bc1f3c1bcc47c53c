package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.Map;

/**
 * Average pooling over {@code [channels, height, width]} inputs: the mean of every {@code pool_size}
 * window moved by {@code strides} (default: the pool size), per channel; {@code padding} {@code valid} or
 * {@code same} (Keras' rule; the mean is over the cells inside the input, i.e. PyTorch's
 * {@code count_include_pad=False}).
 */
public record AvgPool2DConfig(int poolHeight, int poolWidth, int strideHeight, int strideWidth, String padding)
    implements Pool2DConfig {

  public static final String TYPE = "avg_pool2d";

  public AvgPool2DConfig {
    Pool2DConfig.check(poolHeight, poolWidth, strideHeight, strideWidth, padding);
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
    return Pool2DConfig.write(this);
  }

  static AvgPool2DConfig read(ConfigMap m) {
    return Pool2DConfig.read(m, AvgPool2DConfig::new);
  }
}
