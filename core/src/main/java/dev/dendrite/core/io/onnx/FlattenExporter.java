package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.attribute;

import dev.dendrite.core.layer.Layer;
import java.util.List;

/** {@code flatten}: {@code Flatten(axis = 1)}, {@code [batch, d1, ..., dk]} to {@code [batch, d1·...·dk]}. */
final class FlattenExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    return graph.node("Flatten", layer.name(), List.of(input), attribute("axis", 1L));
  }
}
