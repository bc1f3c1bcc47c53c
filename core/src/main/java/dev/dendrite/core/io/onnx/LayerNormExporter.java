package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.attribute;

import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.LayerNormConfig;
import java.util.List;

/**
 * {@code layer_norm}: {@code LayerNormalization(x, gamma, beta, axis = -1)} with the layer's epsilon (an
 * operator of opset 17): mean and biased variance over the last axis, as Dendrite, whatever the rank.
 * ONNX Runtime's CPU kernel computes the variance as {@code E[x²] - μ²} in float, so on rows whose mean is
 * large beside their spread (almost constant rows of raw pixels in [0, 1]) it loses digits that Dendrite's
 * two-pass variance keeps; centred inputs, as in a transformer's residual stream, agree to 1e-5.
 */
final class LayerNormExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    return nodes(layer.name(), p, ((LayerNormConfig) layer.config()).epsilon(), input, graph);
  }

  /** The normalization of {@code input} with tensors {@code gamma} and {@code beta} of {@code p}. */
  static String nodes(String base, LayerParameters p, double epsilon, String input, OnnxGraph graph) {
    List<String> inputs = List.of(input,
        graph.floats(base + "_gamma", p.values("gamma"), p.dims("gamma")),
        graph.floats(base + "_beta", p.values("beta"), p.dims("beta")));
    return graph.node("LayerNormalization", base, inputs, attribute("axis", -1L),
        attribute("epsilon", (float) epsilon));
  }
}
