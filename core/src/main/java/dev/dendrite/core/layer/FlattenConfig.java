package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/** Flattens each example to one dimension, e.g. {@code [64, 5, 5]} to {@code [1600]}; no parameters. */
public record FlattenConfig() implements LayerConfig {

  public static final String TYPE = "flatten";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new FlattenLayer(TYPE + "_" + index, this, input);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    return m;
  }

  static FlattenConfig read(ConfigMap m) {
    return new FlattenConfig();
  }
}
