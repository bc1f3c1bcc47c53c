package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Multi-head scaled dot-product self-attention (Vaswani et al. 2017) over a {@code [T, d]} sequence:
 * {@code heads} heads of {@code d / heads} dimensions each (d must divide by it); with {@code causal}, position
 * t attends only to positions ≤ t (a decoder's mask). Initializers of the projection weights
 * ({@code kernelInit}, default {@code glorot_uniform} as PyTorch's {@code nn.MultiheadAttention}) and biases
 * ({@code biasInit}, default zeros); L1/L2 penalties on the weights. See {@link MultiHeadAttentionLayer}.
 */
public record MultiHeadAttentionConfig(int heads, boolean causal, String kernelInit, String biasInit,
                                       double l1, double l2) implements LayerConfig {

  public static final String TYPE = "multi_head_attention";

  public MultiHeadAttentionConfig {
    if (heads <= 0) {
      throw new ConfigException("heads", "must be > 0, got " + heads);
    }
    checkInit("kernel_init", kernelInit);
    checkInit("bias_init", biasInit);
    if (!(l1 >= 0) || !(l2 >= 0)) {
      throw new ConfigException("l1/l2", "must be >= 0, got l1=" + l1 + ", l2=" + l2);
    }
  }

  static void checkInit(String key, String spec) {
    if (spec == null) {
      throw new ConfigException(key, "is required");
    }
    try {
      Initializers.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, e.getMessage());
    }
  }

  /** Glorot-uniform weights, zero biases, no penalties. */
  public static MultiHeadAttentionConfig of(int heads, boolean causal) {
    return new MultiHeadAttentionConfig(heads, causal, "glorot_uniform", "zeros", 0, 0);
  }

  public MultiHeadAttentionConfig withInit(String kernelInit, String biasInit) {
    return new MultiHeadAttentionConfig(heads, causal, kernelInit, biasInit, l1, l2);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new MultiHeadAttentionLayer(TYPE + "_" + index, this, input, gemm);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("heads", heads);
    m.put("causal", causal);
    m.put("kernel_init", kernelInit);
    m.put("bias_init", biasInit);
    m.put("l1", l1);
    m.put("l2", l2);
    return m;
  }

  static MultiHeadAttentionConfig read(ConfigMap m) {
    return new MultiHeadAttentionConfig((int) m.integer("heads"), m.bool("causal", false),
        m.string("kernel_init", "glorot_uniform"), m.string("bias_init", "zeros"), m.number("l1", 0),
        m.number("l2", 0));
  }
}
