package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parametric ReLU layer (Keras {@code PReLU}): {@code y = x if x > 0 else α·x} with one learned slope
 * per input element, initialized by {@code alphaInit} (default {@code constant(0.25)}).
 */
public record PReluConfig(String alphaInit) implements LayerConfig {

  public static final String TYPE = "prelu";

  /** The slope initializer Keras and He et al. use. */
  public static final String DEFAULT_ALPHA_INIT = "constant(0.25)";

  public PReluConfig {
    Initializers.parse(alphaInit);
  }

  /** A PReLU layer with slopes starting at 0.25. */
  public static PReluConfig of() {
    return new PReluConfig(DEFAULT_ALPHA_INIT);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new PReluLayer(TYPE + "_" + index, this, input);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("alpha_init", alphaInit);
    return m;
  }

  static PReluConfig read(ConfigMap m) {
    return new PReluConfig(m.string("alpha_init", DEFAULT_ALPHA_INIT));
  }
}
