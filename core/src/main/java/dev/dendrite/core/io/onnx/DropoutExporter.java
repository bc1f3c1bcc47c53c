package dev.dendrite.core.io.onnx;

import dev.dendrite.core.layer.Layer;
import java.util.List;

/** {@code dropout}: at inference inverted dropout is the identity, written as an {@code Identity} node. */
final class DropoutExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    return graph.node("Identity", layer.name(), List.of(input));
  }
}
