package dev.dendrite.core.io.onnx;

import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.SimpleRnnConfig;

/**
 * {@code simple_rnn}: ONNX {@code RNN} (default activation tanh), {@code h_t = tanh(x_t Wᵀ + h_{t-1} Rᵀ + Wb + Rb)}
 * with Dendrite's W, U as R, its b as Wb and a zero Rb.
 */
final class SimpleRnnExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    SimpleRnnConfig c = (SimpleRnnConfig) layer.config();
    float[] b = p.values("b");
    return RecurrentNodes.apply(layer, "RNN", c.units(), c.returnSequences(), p.values("W"), p.values("U"),
        RecurrentNodes.concat(b, new float[b.length]), input, graph);
  }
}
