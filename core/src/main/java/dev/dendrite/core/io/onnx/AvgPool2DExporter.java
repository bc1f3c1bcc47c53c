package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.attribute;
import static dev.dendrite.core.io.onnx.OnnxGraph.ints;

import dev.dendrite.core.layer.AvgPool2DConfig;
import dev.dendrite.core.layer.Layer;
import java.util.List;

/**
 * {@code avg_pool2d}: {@code AveragePool} with {@code count_include_pad = 0}, so a window overlapping the
 * padding averages only the cells inside the input, as Dendrite does.
 */
final class AvgPool2DExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    AvgPool2DConfig c = (AvgPool2DConfig) layer.config();
    return graph.node("AveragePool", layer.name(), List.of(input),
        ints("kernel_shape", c.poolHeight(), c.poolWidth()),
        ints("strides", c.strideHeight(), c.strideWidth()),
        ints("pads", WindowPads.of(layer, c.padding(), c.poolHeight(), c.poolWidth(), c.strideHeight(),
            c.strideWidth())),
        attribute("count_include_pad", 0L));
  }
}
