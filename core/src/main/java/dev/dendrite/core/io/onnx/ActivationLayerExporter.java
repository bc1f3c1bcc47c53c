package dev.dendrite.core.io.onnx;

import dev.dendrite.core.layer.ActivationLayer;
import dev.dendrite.core.layer.Layer;

/** {@code activation}: the activation's operator on the input (see {@link ActivationNodes}). */
final class ActivationLayerExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    return ActivationNodes.apply(((ActivationLayer) layer).activation(), input, layer.inputShape(), layer.name(),
        graph);
  }
}
