package dev.dendrite.core.layer;

import dev.dendrite.core.activation.Activations;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/** A standalone activation layer (after a convolution, or to split a dense layer from its g). */
public record ActivationConfig(String activation) implements LayerConfig {

  public static final String TYPE = "activation";

  public ActivationConfig {
    Activations.parse(activation);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new ActivationLayer(TYPE + "_" + index, this, input);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("activation", activation);
    return m;
  }

  static ActivationConfig read(ConfigMap m) {
    return new ActivationConfig(m.string("activation"));
  }
}
