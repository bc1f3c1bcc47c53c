package dev.dendrite.core.io.onnx;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.TimeDistributedDenseLayer;
import dev.dendrite.core.tensor.Shape;

/**
 * {@code time_distributed_dense}: {@code MatMul(x, Wᵀ) + b} on {@code [batch, T, F]}, the same weights at
 * every position (see {@link LinearNodes}), then the activation per position: a softmax is over the last
 * axis, each position's units, as Dendrite applies it to each of the {@code batch·T} rows.
 */
final class TimeDistributedDenseExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    return nodes(layer.name(), p, ((TimeDistributedDenseLayer) layer).activation(), input, graph);
  }

  /**
   * The dense map with tensors {@code W [units, F]} and {@code b [units]} of {@code p} on the last axis of
   * {@code input} {@code [batch, ..., F]}, then {@code activation} on each row of units.
   */
  static String nodes(String base, LayerParameters p, Activation activation, String input, OnnxGraph graph) {
    long[] dims = p.dims("W");
    int units = (int) dims[0];
    String z = LinearNodes.apply(base + "_z", p.values("W"), p.values("b"), units, (int) dims[1], input, graph);
    return ActivationNodes.apply(activation, z, Shape.of(units), base, graph);
  }
}
