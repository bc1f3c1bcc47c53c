package dev.dendrite.core.layer;

import dev.dendrite.core.activation.Activations;
import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One transformer encoder block (Vaswani et al. 2017) on {@code [T, d]} sequences, as PyTorch's
 * {@code nn.TransformerEncoderLayer(d, heads, feedForward, dropout=0, activation, norm_first)}: multi-head
 * self-attention ({@code heads}, optionally {@code causal}), a position-wise feed-forward network
 * {@code d → feedForward (activation) → d}, each wrapped in a residual connection and a layer normalization.
 * {@code norm} = {@code post} (the paper's and PyTorch's default: normalize after each residual sum) or
 * {@code pre} (normalize each sub-layer's input; the residual path stays an identity, which trains deep stacks
 * more stably and without warm-up). {@code epsilon} is the layer norms' (1e-5). No dropout inside the block.
 */
public record TransformerEncoderConfig(int heads, int feedForward, String activation, String norm,
                                       boolean causal, double epsilon) implements LayerConfig {

  public static final String TYPE = "transformer_encoder";
  public static final List<String> NORMS = List.of("post", "pre");

  public TransformerEncoderConfig {
    if (heads <= 0) {
      throw new ConfigException("heads", "must be > 0, got " + heads);
    }
    if (feedForward <= 0) {
      throw new ConfigException("feed_forward", "must be > 0, got " + feedForward);
    }
    try {
      Activations.parse(activation);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("activation", e.getMessage());
    }
    if (!NORMS.contains(norm)) {
      throw new ConfigException("norm", "must be one of " + NORMS + " (post: layer norm after each residual sum,"
          + " as the original transformer; pre: before each sub-layer), got '" + norm + "'");
    }
    new LayerNormConfig(epsilon);
  }

  /** Post-norm, ReLU feed-forward, no mask, epsilon 1e-5: PyTorch's defaults. */
  public static TransformerEncoderConfig of(int heads, int feedForward) {
    return new TransformerEncoderConfig(heads, feedForward, "relu", "post", false, 1e-5);
  }

  public TransformerEncoderConfig withNorm(String norm) {
    return new TransformerEncoderConfig(heads, feedForward, activation, norm, causal, epsilon);
  }

  public TransformerEncoderConfig withCausal(boolean causal) {
    return new TransformerEncoderConfig(heads, feedForward, activation, norm, causal, epsilon);
  }

  public TransformerEncoderConfig withActivation(String activation) {
    return new TransformerEncoderConfig(heads, feedForward, activation, norm, causal, epsilon);
  }

  public boolean preNorm() {
    return norm.equals("pre");
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new TransformerEncoderLayer(TYPE + "_" + index, this, input, gemm);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("heads", heads);
    m.put("feed_forward", feedForward);
    m.put("activation", activation);
    m.put("norm", norm);
    m.put("causal", causal);
    m.put("epsilon", epsilon);
    return m;
  }

  static TransformerEncoderConfig read(ConfigMap m) {
    return new TransformerEncoderConfig((int) m.integer("heads"), (int) m.integer("feed_forward"),
        m.string("activation", "relu"), m.choice("norm", "post", NORMS), m.bool("causal", false),
        m.number("epsilon", 1e-5));
  }
}
