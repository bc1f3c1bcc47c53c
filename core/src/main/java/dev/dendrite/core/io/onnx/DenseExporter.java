package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.attribute;

import dev.dendrite.core.layer.DenseLayer;
import dev.dendrite.core.layer.Layer;
import java.util.List;

/**
 * {@code dense}: {@code Gemm(x, W, b, transB = 1)} (W is stored {@code [out, in]}, as Gemm's transposed B),
 * then the activation; an input of rank above 1 is flattened first, as Dendrite reads it.
 */
final class DenseExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    DenseLayer dense = (DenseLayer) layer;
    String name = layer.name();
    String x = layer.inputShape().rank() == 1 ? input
        : graph.node("Flatten", name + "_flat", List.of(input), attribute("axis", 1L));
    String w = graph.floats(name + "_W", p.values("W"), p.dims("W"));
    String b = graph.floats(name + "_b", p.values("b"), p.dims("b"));
    String z = graph.node("Gemm", name + "_z", List.of(x, w, b), attribute("transB", 1L));
    return ActivationNodes.apply(dense.activation(), z, layer.outputShape(), name, graph);
  }
}
