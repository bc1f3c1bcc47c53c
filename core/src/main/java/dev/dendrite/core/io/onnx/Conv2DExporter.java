package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.ints;

import dev.dendrite.core.layer.Conv2DConfig;
import dev.dendrite.core.layer.Conv2DLayer;
import dev.dendrite.core.layer.Layer;
import java.util.List;

/**
 * {@code conv2d}: {@code Conv(x, W, b)} with W {@code [F, C, kh, kw]} as Dendrite stores it (both compute
 * cross-correlation), the strides, and {@code same} padding as explicit pads ({@link WindowPads}); then
 * the activation.
 */
final class Conv2DExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    Conv2DConfig c = (Conv2DConfig) layer.config();
    String name = layer.name();
    String w = graph.floats(name + "_W", p.values("W"), p.dims("W"));
    String b = graph.floats(name + "_b", p.values("b"), p.dims("b"));
    String z = graph.node("Conv", name + "_z", List.of(input, w, b),
        ints("kernel_shape", c.kernelHeight(), c.kernelWidth()),
        ints("strides", c.strideHeight(), c.strideWidth()),
        ints("pads", WindowPads.of(layer, c.padding(), c.kernelHeight(), c.kernelWidth(), c.strideHeight(),
            c.strideWidth())));
    return ActivationNodes.apply(((Conv2DLayer) layer).activation(), z, layer.outputShape(), name, graph);
  }
}
