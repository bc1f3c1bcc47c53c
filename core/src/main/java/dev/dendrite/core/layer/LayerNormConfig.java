package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layer normalization (Ba, Kiros and Hinton 2016) over the last axis of each example, e.g. over the d
 * features of every position of a {@code [T, d]} sequence; {@code epsilon} > 0 (default 1e-5, as PyTorch's
 * {@code nn.LayerNorm}) is added to the variance. Unlike batch normalization it has no running statistics:
 * training and inference compute the same thing.
 */
public record LayerNormConfig(double epsilon) implements LayerConfig {

  public static final String TYPE = "layer_norm";

  public LayerNormConfig {
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new ConfigException("epsilon", "must be a finite number > 0, got " + epsilon);
    }
  }

  /** epsilon 1e-5 (PyTorch). */
  public static LayerNormConfig of() {
    return new LayerNormConfig(1e-5);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new LayerNormLayer(TYPE + "_" + index, this, input);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("epsilon", epsilon);
    return m;
  }

  static LayerNormConfig read(ConfigMap m) {
    return new LayerNormConfig(m.number("epsilon", 1e-5));
  }
}
