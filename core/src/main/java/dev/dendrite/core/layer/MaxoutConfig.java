package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A maxout layer (Goodfellow et al. 2013): {@code units} outputs, each the maximum of {@code pieces}
 * affine functions of the input; initializers for W ({@code kernelInit}) and b ({@code biasInit}), and
 * L1/L2 penalties on W.
 */
public record MaxoutConfig(int units, int pieces, String kernelInit, String biasInit, double l1, double l2)
    implements LayerConfig {

  public static final String TYPE = "maxout";

  public MaxoutConfig {
    if (units <= 0) {
      throw new ConfigException("units", "must be > 0, got " + units);
    }
    if (pieces < 2) {
      throw new ConfigException("pieces", "must be >= 2 (one piece is a linear dense layer), got " + pieces);
    }
    try {
      Math.multiplyExact(units, pieces);
    } catch (ArithmeticException e) {
      throw new ConfigException("pieces", "units × pieces = " + units + " × " + pieces + " is too large");
    }
    Initializers.parse(kernelInit);
    Initializers.parse(biasInit);
    if (!(l1 >= 0) || !(l2 >= 0)) {
      throw new ConfigException("l1/l2", "must be >= 0, got l1=" + l1 + ", l2=" + l2);
    }
  }

  /** A maxout layer with Glorot-uniform weights and zero biases. */
  public static MaxoutConfig of(int units, int pieces) {
    return new MaxoutConfig(units, pieces, "glorot_uniform", "zeros", 0, 0);
  }

  public MaxoutConfig withRegularization(double l1, double l2) {
    return new MaxoutConfig(units, pieces, kernelInit, biasInit, l1, l2);
  }

  public MaxoutConfig withInit(String kernelInit, String biasInit) {
    return new MaxoutConfig(units, pieces, kernelInit, biasInit, l1, l2);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new MaxoutLayer(TYPE + "_" + index, this, input, gemm);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("units", units);
    m.put("pieces", pieces);
    m.put("kernel_init", kernelInit);
    m.put("bias_init", biasInit);
    m.put("l1", l1);
    m.put("l2", l2);
    return m;
  }

  static MaxoutConfig read(ConfigMap m) {
    return new MaxoutConfig((int) m.integer("units"), (int) m.integer("pieces"),
        m.string("kernel_init", "glorot_uniform"), m.string("bias_init", "zeros"),
        m.number("l1", 0), m.number("l2", 0));
  }
}
