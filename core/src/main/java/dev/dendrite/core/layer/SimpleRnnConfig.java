package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.Map;

/**
 * A simple (Elman, tanh) recurrent layer over inputs {@code [T, F]}: {@code units} hidden units; the last
 * hidden state {@code [units]} or, with {@code returnSequences}, all of them {@code [T, units]};
 * {@code truncate} = 0 for full backpropagation through time, k &gt; 0 to let each output's gradient flow
 * back k steps (see {@link RecurrentLayer}); initializers of W ({@code kernelInit}), U
 * ({@code recurrentInit}, e.g. {@code orthogonal}) and b ({@code biasInit}); L1/L2 penalties on W and U.
 */
public record SimpleRnnConfig(int units, boolean returnSequences, int truncate, String kernelInit,
                              String recurrentInit, String biasInit, double l1, double l2) implements RecurrentConfig {

  public static final String TYPE = "simple_rnn";

  public SimpleRnnConfig {
    RecurrentLayer.validate(units, truncate, kernelInit, recurrentInit, biasInit, l1, l2);
  }

  /** Glorot-uniform W, orthogonal U, zero b, full backpropagation through time. */
  public static SimpleRnnConfig of(int units, boolean returnSequences) {
    return new SimpleRnnConfig(units, returnSequences, 0, DEFAULT_KERNEL_INIT, DEFAULT_RECURRENT_INIT,
        DEFAULT_BIAS_INIT, 0, 0);
  }

  public SimpleRnnConfig withTruncate(int truncate) {
    return new SimpleRnnConfig(units, returnSequences, truncate, kernelInit, recurrentInit, biasInit, l1, l2);
  }

  public SimpleRnnConfig withInit(String kernelInit, String recurrentInit, String biasInit) {
    return new SimpleRnnConfig(units, returnSequences, truncate, kernelInit, recurrentInit, biasInit, l1, l2);
  }

  public SimpleRnnConfig withRegularization(double l1, double l2) {
    return new SimpleRnnConfig(units, returnSequences, truncate, kernelInit, recurrentInit, biasInit, l1, l2);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new SimpleRnnLayer(TYPE + "_" + index, this, input, gemm);
  }

  @Override
  public Map<String, Object> toMap() {
    return RecurrentConfig.write(this);
  }

  static SimpleRnnConfig read(ConfigMap m) {
    return RecurrentConfig.read(m, SimpleRnnConfig::new);
  }
}
