package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.ints;

import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.MaxPool2DConfig;
import java.util.List;

/** {@code max_pool2d}: {@code MaxPool}; padded cells never win there either. */
final class MaxPool2DExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    MaxPool2DConfig c = (MaxPool2DConfig) layer.config();
    return graph.node("MaxPool", layer.name(), List.of(input),
        ints("kernel_shape", c.poolHeight(), c.poolWidth()),
        ints("strides", c.strideHeight(), c.strideWidth()),
        ints("pads", WindowPads.of(layer, c.padding(), c.poolHeight(), c.poolWidth(), c.strideHeight(),
            c.strideWidth())));
  }
}
