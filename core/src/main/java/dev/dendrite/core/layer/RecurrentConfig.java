package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@link SimpleRnnConfig}, {@link GruConfig} and {@link LstmConfig} share: the keys of every recurrent
 * layer, their defaults and their map form, in one place (their checks are {@link RecurrentLayer#validate}).
 */
interface RecurrentConfig extends LayerConfig {

  String DEFAULT_KERNEL_INIT = "glorot_uniform";
  String DEFAULT_RECURRENT_INIT = "orthogonal";
  String DEFAULT_BIAS_INIT = "zeros";

  // the record components every recurrent config has
  int units();
  boolean returnSequences();
  int truncate();
  String kernelInit();
  String recurrentInit();
  String biasInit();
  double l1();
  double l2();

  /** The canonical constructor of a config with no keys of its own. */
  interface Factory<C extends RecurrentConfig> {
    C create(int units, boolean returnSequences, int truncate, String kernelInit, String recurrentInit,
             String biasInit, double l1, double l2);
  }

  /** The map form of {@code c}: {@code type}, the common keys, then {@code l1} and {@code l2}. */
  static Map<String, Object> write(RecurrentConfig c) {
    return write(c, m -> { });
  }

  /** The map form of {@code c}, with the keys of its own that {@code cellKeys} puts before {@code l1}. */
  static Map<String, Object> write(RecurrentConfig c, Consumer<Map<String, Object>> cellKeys) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", c.type());
    RecurrentLayer.putCommon(m, c.units(), c.returnSequences(), c.truncate(), c.kernelInit(), c.recurrentInit(),
        c.biasInit());
    cellKeys.accept(m);
    m.put("l1", c.l1());
    m.put("l2", c.l2());
    return m;
  }

  /** Reads a config with no keys of its own; absent keys take the defaults of {@code of(units, false)}. */
  static <C extends RecurrentConfig> C read(ConfigMap m, Factory<C> factory) {
    return factory.create((int) m.integer("units"), m.bool("return_sequences", false),
        (int) m.integer("truncate", 0), m.string("kernel_init", DEFAULT_KERNEL_INIT),
        m.string("recurrent_init", DEFAULT_RECURRENT_INIT), m.string("bias_init", DEFAULT_BIAS_INIT),
        m.number("l1", 0), m.number("l2", 0));
  }
}
