package dev.dendrite.core.layer;

import dev.dendrite.core.activation.Activations;
import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One dense layer applied to every position of a {@code [T, F]} sequence with the same weights (Keras'
 * {@code TimeDistributed(Dense(units))}, the transformer's position-wise layer): {@code [T, F] → [T, units]},
 * the activation row by row. As the last layer it makes a many-to-many output: with {@code softmax} each
 * position is a prediction of its own, and the loss and accuracy are taken per position (see
 * {@link Layer#outputPositions()}).
 */
public record TimeDistributedDenseConfig(int units, String activation, String kernelInit, String biasInit,
                                         double l1, double l2) implements LayerConfig {

  public static final String TYPE = "time_distributed_dense";

  public TimeDistributedDenseConfig {
    if (units <= 0) {
      throw new ConfigException("units", "must be > 0, got " + units);
    }
    Activations.parse(activation);
    Initializers.parse(kernelInit);
    Initializers.parse(biasInit);
    if (!(l1 >= 0) || !(l2 >= 0)) {
      throw new ConfigException("l1/l2", "must be >= 0, got l1=" + l1 + ", l2=" + l2);
    }
  }

  /** With the initializer suited to the activation, as {@link DenseConfig#of}. */
  public static TimeDistributedDenseConfig of(int units, String activation) {
    return new TimeDistributedDenseConfig(units, activation, DenseConfig.defaultInit(activation), "zeros", 0, 0);
  }

  DenseConfig dense() {
    return new DenseConfig(units, activation, kernelInit, biasInit, l1, l2);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new TimeDistributedDenseLayer(TYPE + "_" + index, this, input, gemm);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>(dense().toMap());
    m.put("type", TYPE);
    return m;
  }

  static TimeDistributedDenseConfig read(ConfigMap m) {
    String activation = m.string("activation", "identity");
    return new TimeDistributedDenseConfig((int) m.integer("units"), activation,
        m.string("kernel_init", DenseConfig.defaultInit(activation)), m.string("bias_init", "zeros"),
        m.number("l1", 0), m.number("l2", 0));
  }
}
