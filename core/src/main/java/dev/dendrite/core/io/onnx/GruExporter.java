package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.attribute;

import dev.dendrite.core.layer.GruConfig;
import dev.dendrite.core.layer.Layer;

/**
 * {@code gru}: ONNX {@code GRU} with {@code linear_before_reset = 1}, which is Dendrite's (PyTorch's)
 * "reset after" cell {@code n = tanh(W_n x + b_n + r ⊙ (U_n h + bh_n))}. ONNX's gate order is z, r, h
 * where Dendrite's is r, z, n: the row blocks of W, U (as R), b (as Wb) and bh (as Rb) are reordered.
 */
final class GruExporter implements LayerExporter {

  /** Block k of ONNX's order is block ORDER[k] of Dendrite's: z ← z, r ← r, h ← n. */
  private static final int[] ORDER = {1, 0, 2};

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    GruConfig c = (GruConfig) layer.config();
    int u = c.units();
    float[] b = RecurrentNodes.concat(RecurrentNodes.gates(p.values("b"), ORDER),
        RecurrentNodes.gates(p.values("bh"), ORDER));
    return RecurrentNodes.apply(layer, "GRU", u, c.returnSequences(), RecurrentNodes.gates(p.values("W"), ORDER),
        RecurrentNodes.gates(p.values("U"), ORDER), b, input, graph, attribute("linear_before_reset", 1L));
  }
}
