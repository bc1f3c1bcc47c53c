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
 * A 2-D convolution over {@code [channels, height, width]} inputs: {@code filters} output channels, a
 * {@code kernel_size} window moved by {@code strides}, {@code padding} {@code valid} or {@code same} (Keras'
 * rule), activation g by name, initializers for the kernel (fan-in = channels·kh·kw) and the bias, and
 * L1/L2 penalties on the kernel.
 */
public record Conv2DConfig(int filters, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
                           String padding, String activation, String kernelInit, String biasInit,
                           double l1, double l2) implements LayerConfig {

  public static final String TYPE = "conv2d";

  public Conv2DConfig {
    if (filters <= 0) {
      throw new ConfigException("filters", "must be > 0, got " + filters);
    }
    Window2D.checkPositive("kernel_size", kernelHeight, kernelWidth);
    Window2D.checkPositive("strides", strideHeight, strideWidth);
    Window2D.checkPadding(padding);
    Activations.parse(activation);
    Initializers.parse(kernelInit);
    Initializers.parse(biasInit);
    if (!(l1 >= 0) || !(l2 >= 0)) {
      throw new ConfigException("l1/l2", "must be >= 0, got l1=" + l1 + ", l2=" + l2);
    }
  }

  /** A square {@code kernel × kernel} convolution, stride 1, padding {@code valid}, default initializers. */
  public static Conv2DConfig of(int filters, int kernel, String activation) {
    return of(filters, kernel, 1, "valid", activation);
  }

  /** A square convolution with a square stride; He init for ReLU-like activations, else Glorot. */
  public static Conv2DConfig of(int filters, int kernel, int stride, String padding, String activation) {
    return new Conv2DConfig(filters, kernel, kernel, stride, stride, padding, activation,
        DenseConfig.defaultInit(activation), "zeros", 0, 0);
  }

  public Conv2DConfig withRegularization(double l1, double l2) {
    return new Conv2DConfig(filters, kernelHeight, kernelWidth, strideHeight, strideWidth, padding, activation,
        kernelInit, biasInit, l1, l2);
  }

  public Conv2DConfig withInit(String kernelInit, String biasInit) {
    return new Conv2DConfig(filters, kernelHeight, kernelWidth, strideHeight, strideWidth, padding, activation,
        kernelInit, biasInit, l1, l2);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new Conv2DLayer(TYPE + "_" + index, this, input, gemm);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("filters", filters);
    Window2D.putPair(m, "kernel_size", kernelHeight, kernelWidth);
    Window2D.putPair(m, "strides", strideHeight, strideWidth);
    m.put("padding", padding);
    m.put("activation", activation);
    m.put("kernel_init", kernelInit);
    m.put("bias_init", biasInit);
    m.put("l1", l1);
    m.put("l2", l2);
    return m;
  }

  static Conv2DConfig read(ConfigMap m) {
    int filters = (int) m.integer("filters");
    int[] kernel = Window2D.pair(m, "kernel_size", null);
    int[] strides = Window2D.pair(m, "strides", new int[] {1, 1});
    String padding = m.choice("padding", "valid", Window2D.PADDINGS);
    String activation = m.string("activation", "identity");
    return new Conv2DConfig(filters, kernel[0], kernel[1], strides[0], strides[1], padding, activation,
        m.string("kernel_init", DenseConfig.defaultInit(activation)), m.string("bias_init", "zeros"),
        m.number("l1", 0), m.number("l2", 0));
  }
}
