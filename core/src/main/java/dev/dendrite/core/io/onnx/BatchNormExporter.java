package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.attribute;

import dev.dendrite.core.layer.BatchNormConfig;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.tensor.Shape;
import java.util.List;

/**
 * {@code batch_norm} at inference: {@code BatchNormalization(x, gamma, beta, running_mean, running_var)}
 * with the layer's epsilon. {@code [C, H, W]} inputs are normalized per channel C, as ONNX does on axis 1;
 * any other input has one channel per element, so it is flattened to {@code [batch, size]} first and
 * reshaped back after.
 */
final class BatchNormExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    String name = layer.name();
    Shape shape = layer.inputShape();
    boolean perChannel = shape.rank() == 3 || shape.rank() == 1;
    String x = perChannel ? input : graph.node("Flatten", name + "_flat", List.of(input), attribute("axis", 1L));
    List<String> inputs = List.of(x,
        graph.floats(name + "_gamma", p.values("gamma"), p.dims("gamma")),
        graph.floats(name + "_beta", p.values("beta"), p.dims("beta")),
        graph.floats(name + "_running_mean", p.values("running_mean"), p.dims("running_mean")),
        graph.floats(name + "_running_var", p.values("running_var"), p.dims("running_var")));
    float epsilon = (float) ((BatchNormConfig) layer.config()).epsilon();
    if (perChannel) {
      return graph.node("BatchNormalization", name, inputs, attribute("epsilon", epsilon));
    }
    String y = graph.node("BatchNormalization", name + "_norm", inputs, attribute("epsilon", epsilon));
    return graph.reshape(y, name, shape.dims());
  }
}
