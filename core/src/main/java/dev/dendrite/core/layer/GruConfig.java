package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.Map;

/**
 * A GRU layer over inputs {@code [T, F]} (PyTorch's reset-after variant, gate order r, z, n, see
 * {@link GruLayer}): {@code units} hidden units; the last hidden state {@code [units]} or, with
 * {@code returnSequences}, all of them {@code [T, units]}; {@code truncate} = 0 for full backpropagation
 * through time, k &gt; 0 to let each output's gradient flow back k steps (see {@link RecurrentLayer});
 * initializers of W ({@code kernelInit}), U ({@code recurrentInit}, e.g. {@code orthogonal}) and both
 * biases ({@code biasInit}); L1/L2 penalties on W and U.
 */
public record GruConfig(int units, boolean returnSequences, int truncate, String kernelInit,
                        String recurrentInit, String biasInit, double l1, double l2) implements RecurrentConfig {

  public static final String TYPE = "gru";

  public GruConfig {
    RecurrentLayer.validate(units, truncate, kernelInit, recurrentInit, biasInit, l1, l2);
  }

  /** Glorot-uniform W, orthogonal U, zero biases, full backpropagation through time. */
  public static GruConfig of(int units, boolean returnSequences) {
    return new GruConfig(units, returnSequences, 0, DEFAULT_KERNEL_INIT, DEFAULT_RECURRENT_INIT,
        DEFAULT_BIAS_INIT, 0, 0);
  }

  public GruConfig withTruncate(int truncate) {
    return new GruConfig(units, returnSequences, truncate, kernelInit, recurrentInit, biasInit, l1, l2);
  }

  public GruConfig withInit(String kernelInit, String recurrentInit, String biasInit) {
    return new GruConfig(units, returnSequences, truncate, kernelInit, recurrentInit, biasInit, l1, l2);
  }

  public GruConfig withRegularization(double l1, double l2) {
    return new GruConfig(units, returnSequences, truncate, kernelInit, recurrentInit, biasInit, l1, l2);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new GruLayer(TYPE + "_" + index, this, input, gemm);
  }

  @Override
  public Map<String, Object> toMap() {
    return RecurrentConfig.write(this);
  }

  static GruConfig read(ConfigMap m) {
    return RecurrentConfig.read(m, GruConfig::new);
  }
}
