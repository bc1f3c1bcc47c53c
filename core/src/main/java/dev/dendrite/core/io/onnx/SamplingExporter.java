package dev.dendrite.core.io.onnx;

import dev.dendrite.core.layer.Layer;
import java.util.List;

/**
 * {@code sampling} (a variational autoencoder's reparameterization) at inference: {@code z = μ}, the first
 * half of each {@code [μ, log σ²]} row, as {@code Slice(x, starts = [0], ends = [k], axes = [1])}. The noise
 * of training and the KL term of the loss have no part in scoring, as in {@code SamplingLayer}'s inference.
 */
final class SamplingExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    String name = layer.name();
    long k = layer.outputShape().size();
    return graph.node("Slice", name, List.of(input, graph.longs(name + "_starts", 0), graph.longs(name + "_ends", k),
        graph.longs(name + "_axes", 1)));
  }
}
