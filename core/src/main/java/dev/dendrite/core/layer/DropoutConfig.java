package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/** Inverted dropout: in training each unit is zeroed with probability {@code rate}, survivors scaled by 1/(1-rate). */
public record DropoutConfig(double rate) implements LayerConfig {

  public static final String TYPE = "dropout";

  public DropoutConfig {
    if (!(rate >= 0 && rate < 1)) {
      throw new ConfigException("rate", "dropout rate must be in [0, 1), got " + rate);
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new DropoutLayer(TYPE + "_" + index, this, input);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("rate", rate);
    return m;
  }

  static DropoutConfig read(ConfigMap m) {
    return new DropoutConfig(m.number("rate"));
  }
}
