package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.attribute;
import static dev.dendrite.core.io.onnx.OnnxGraph.ints;

import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.MaxoutConfig;
import java.util.List;

/**
 * {@code maxout}: {@code z = Gemm(x, W, b, transB = 1)} {@code [batch, u·k]}, reshaped to {@code [batch, u, k]}
 * (pieces are unit-major in W, so a unit's k pieces are adjacent), then {@code ReduceMax} over the pieces.
 */
final class MaxoutExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    MaxoutConfig config = (MaxoutConfig) layer.config();
    String name = layer.name();
    String x = layer.inputShape().rank() == 1 ? input
        : graph.node("Flatten", name + "_flat", List.of(input), attribute("axis", 1L));
    String w = graph.floats(name + "_W", p.values("W"), p.dims("W"));
    String b = graph.floats(name + "_b", p.values("b"), p.dims("b"));
    String z = graph.node("Gemm", name + "_z", List.of(x, w, b), attribute("transB", 1L));
    String pieces = graph.reshape(z, name + "_pieces", config.units(), config.pieces());
    return graph.node("ReduceMax", name, List.of(pieces), ints("axes", 2), attribute("keepdims", 0L));
  }
}
