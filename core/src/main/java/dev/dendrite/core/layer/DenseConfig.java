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
 * A fully connected layer {@code h = g(W x + b)}: {@code units} outputs, activation g by name,
 * initializers for W ({@code kernelInit}) and b ({@code biasInit}), and L1/L2 penalties on W.
 */
public record DenseConfig(int units, String activation, String kernelInit, String biasInit,
                          double l1, double l2) implements LayerConfig {

  public static final String TYPE = "dense";

  public DenseConfig {
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

  /** A dense layer with the initializer suited to its activation (He for the ReLU family, else Glorot). */
  public static DenseConfig of(int units, String activation) {
    return new DenseConfig(units, activation, defaultInit(activation), "zeros", 0, 0);
  }

  static String defaultInit(String activation) {
    String a = activation.trim().toLowerCase(java.util.Locale.ROOT);
    return a.startsWith("relu") || a.startsWith("leaky_relu") || a.startsWith("elu")
        ? "he_normal" : "glorot_uniform";
  }

  public DenseConfig withRegularization(double l1, double l2) {
    return new DenseConfig(units, activation, kernelInit, biasInit, l1, l2);
  }

  public DenseConfig withInit(String kernelInit, String biasInit) {
    return new DenseConfig(units, activation, kernelInit, biasInit, l1, l2);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new DenseLayer(TYPE + "_" + index, this, input, gemm);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("units", units);
    m.put("activation", activation);
    m.put("kernel_init", kernelInit);
    m.put("bias_init", biasInit);
    m.put("l1", l1);
    m.put("l2", l2);
    return m;
  }

  static DenseConfig read(ConfigMap m) {
    String activation = m.string("activation", "identity");
    return new DenseConfig((int) m.integer("units"), activation,
        m.string("kernel_init", defaultInit(activation)), m.string("bias_init", "zeros"),
        m.number("l1", 0), m.number("l2", 0));
  }
}
