package dev.dendrite.core.io.onnx;

import dev.dendrite.core.layer.Layer;
import java.util.List;

/** {@code positional_embedding}: {@code Add(x, P)}, the table {@code P [T, d]} broadcast over the batch. */
final class PositionalEmbeddingExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    String table = graph.floats(layer.name() + "_positions", p.values("positions"), p.dims("positions"));
    return graph.node("Add", layer.name(), List.of(input, table));
  }
}
