package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.Map;

/**
 * Max pooling over {@code [channels, height, width]} inputs: the largest value of every {@code pool_size}
 * window moved by {@code strides} (default: the pool size), per channel; {@code padding} {@code valid} or
 * {@code same} (Keras' rule; padded cells never win).
 */
public record MaxPool2DConfig(int poolHeight, int poolWidth, int strideHeight, int strideWidth, String padding)
    implements Pool2DConfig {

  public static final String TYPE = "max_pool2d";

  public MaxPool2DConfig {
    Pool2DConfig.check(poolHeight, poolWidth, strideHeight, strideWidth, padding);
  }

  /** A square {@code pool × pool} window, stride = pool, padding {@code valid}. */
  public static MaxPool2DConfig of(int pool) {
    return new MaxPool2DConfig(pool, pool, pool, pool, "valid");
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new MaxPool2DLayer(TYPE + "_" + index, this, input);
  }

  @Override
  public Map<String, Object> toMap() {
    return Pool2DConfig.write(this);
  }

  static MaxPool2DConfig read(ConfigMap m) {
    return Pool2DConfig.read(m, MaxPool2DConfig::new);
  }
}
