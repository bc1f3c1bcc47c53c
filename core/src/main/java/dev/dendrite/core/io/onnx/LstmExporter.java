package dev.dendrite.core.io.onnx;

import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.LstmConfig;

/**
 * {@code lstm}: ONNX {@code LSTM}, whose gate order is i, o, f, c where Dendrite's (PyTorch's) is i, f, g, o
 * (g is ONNX's c): the row blocks of W, U (as R) and b (as Wb, with a zero Rb) are reordered. Both use
 * sigmoid, tanh, tanh, no peepholes and a zero initial state.
 */
final class LstmExporter implements LayerExporter {

  /** Block k of ONNX's order is block ORDER[k] of Dendrite's: i ← i, o ← o, f ← f, c ← g. */
  private static final int[] ORDER = {0, 3, 1, 2};

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    LstmConfig c = (LstmConfig) layer.config();
    int u = c.units();
    float[] b = RecurrentNodes.gates(p.values("b"), ORDER);
    return RecurrentNodes.apply(layer, "LSTM", u, c.returnSequences(), RecurrentNodes.gates(p.values("W"), ORDER),
        RecurrentNodes.gates(p.values("U"), ORDER), RecurrentNodes.concat(b, new float[b.length]), input, graph);
  }
}
