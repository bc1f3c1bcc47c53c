package dev.dendrite.core.io.onnx;

import dev.dendrite.core.layer.Layer;
import java.util.List;

/** {@code prelu}: {@code PRelu(x, alpha)} with one slope per element of the example, broadcast over the batch. */
final class PReluExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    String alpha = graph.floats(layer.name() + "_alpha", p.values("alpha"), p.dims("alpha"));
    return graph.node("PRelu", layer.name(), List.of(input, alpha));
  }
}
