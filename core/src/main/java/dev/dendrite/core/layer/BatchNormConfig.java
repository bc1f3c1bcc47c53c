package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Batch normalization (Ioffe and Szegedy 2015) with Keras' defaults: running statistics updated as
 * {@code r ← momentum·r + (1 - momentum)·batch statistic} ({@code momentum} in [0, 1), default 0.99) and
 * {@code epsilon} > 0 (default 1e-3) added to the variance.
 */
public record BatchNormConfig(double momentum, double epsilon) implements LayerConfig {

  public static final String TYPE = "batch_norm";

  public BatchNormConfig {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new ConfigException("momentum", "must be in [0, 1), got " + momentum);
    }
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new ConfigException("epsilon", "must be a finite number > 0, got " + epsilon);
    }
  }

  /** momentum 0.99, epsilon 1e-3 (Keras). */
  public static BatchNormConfig of() {
    return new BatchNormConfig(0.99, 1e-3);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new BatchNormLayer(TYPE + "_" + index, this, input);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("momentum", momentum);
    m.put("epsilon", epsilon);
    return m;
  }

  static BatchNormConfig read(ConfigMap m) {
    return new BatchNormConfig(m.number("momentum", 0.99), m.number("epsilon", 1e-3));
  }
}
