package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A variational autoencoder's sampling layer: its input is the encoder's {@code [μ, log σ²]} (width 2k),
 * its output the code {@code z = μ + σ·ε} (width k), and it adds {@code beta · KL[N(μ, σ²) ‖ N(0, I)]} to
 * the loss of the batch. {@code beta = 1} with loss {@code sse} is the lecture's
 * {@code ‖x − d(z)‖² + KL}. See {@link SamplingLayer}.
 */
public record SamplingConfig(double beta) implements LayerConfig {

  public static final String TYPE = "sampling";

  public SamplingConfig {
    if (!(beta >= 0 && beta <= 1e6)) {
      throw new ConfigException("beta", "the KL weight beta must be in [0, 1e6], got " + beta);
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new SamplingLayer(TYPE + "_" + index, this, input);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("beta", beta);
    return m;
  }

  static SamplingConfig read(ConfigMap m) {
    return new SamplingConfig(m.number("beta", 1.0));
  }
}
