package dev.dendrite.core.io.onnx;

import dev.dendrite.core.layer.Layer;

/**
 * Writes one layer type as standard ONNX operators. The contract between exporters is the tensor they
 * pass on: a layer receives {@code [batch, ...layer.inputShape()]} and leaves
 * {@code [batch, ...layer.outputShape()]}, both float and row-major as Dendrite stores them, so each
 * exporter only knows its own layer.
 */
@FunctionalInterface
public interface LayerExporter {

  /**
   * Adds {@code layer}'s nodes and weights to {@code graph}, reading from tensor {@code input}; returns the
   * name of its output tensor.
   */
  String export(Layer layer, LayerParameters parameters, String input, OnnxGraph graph);
}
