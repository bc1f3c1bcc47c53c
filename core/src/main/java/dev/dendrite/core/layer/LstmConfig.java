package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.Map;

/**
 * An LSTM layer over inputs {@code [T, F]} (gate order i, f, g, o, see {@link LstmLayer}): {@code units}
 * cells; the last hidden state {@code [units]} or, with {@code returnSequences}, all of them
 * {@code [T, units]}; {@code truncate} = 0 for full backpropagation through time, k &gt; 0 to let each
 * output's gradient flow back k steps (see {@link RecurrentLayer}); initializers of W ({@code kernelInit}),
 * U ({@code recurrentInit}, e.g. {@code orthogonal}) and b ({@code biasInit}), with the forget gate's bias
 * set to 1 when {@code unitForgetBias} (as Keras); L1/L2 penalties on W and U.
 */
public record LstmConfig(int units, boolean returnSequences, int truncate, String kernelInit,
                         String recurrentInit, String biasInit, boolean unitForgetBias, double l1, double l2)
    implements RecurrentConfig {

  public static final String TYPE = "lstm";

  public LstmConfig {
    RecurrentLayer.validate(units, truncate, kernelInit, recurrentInit, biasInit, l1, l2);
  }

  /** Glorot-uniform W, orthogonal U, zero b with forget-gate bias 1, full backpropagation through time. */
  public static LstmConfig of(int units, boolean returnSequences) {
    return new LstmConfig(units, returnSequences, 0, DEFAULT_KERNEL_INIT, DEFAULT_RECURRENT_INIT,
        DEFAULT_BIAS_INIT, true, 0, 0);
  }

  public LstmConfig withTruncate(int truncate) {
    return new LstmConfig(units, returnSequences, truncate, kernelInit, recurrentInit, biasInit, unitForgetBias,
        l1, l2);
  }

  public LstmConfig withInit(String kernelInit, String recurrentInit, String biasInit, boolean unitForgetBias) {
    return new LstmConfig(units, returnSequences, truncate, kernelInit, recurrentInit, biasInit, unitForgetBias,
        l1, l2);
  }

  public LstmConfig withRegularization(double l1, double l2) {
    return new LstmConfig(units, returnSequences, truncate, kernelInit, recurrentInit, biasInit, unitForgetBias,
        l1, l2);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new LstmLayer(TYPE + "_" + index, this, input, gemm);
  }

  @Override
  public Map<String, Object> toMap() {
    return RecurrentConfig.write(this, m -> m.put("unit_forget_bias", unitForgetBias));
  }

  static LstmConfig read(ConfigMap m) {
    return new LstmConfig((int) m.integer("units"), m.bool("return_sequences", false),
        (int) m.integer("truncate", 0), m.string("kernel_init", DEFAULT_KERNEL_INIT),
        m.string("recurrent_init", DEFAULT_RECURRENT_INIT), m.string("bias_init", DEFAULT_BIAS_INIT),
        m.bool("unit_forget_bias", true), m.number("l1", 0), m.number("l2", 0));
  }
}
