package dev.dendrite.core.io.onnx;

import dev.dendrite.core.activation.Activations;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.TransformerEncoderConfig;
import java.util.List;

/**
 * {@code transformer_encoder}: the block composed of its parts' exports (attention, layer norms, a
 * position-wise feed-forward network d → f → d), with the residual sums as {@code Add}:
 * <pre>
 *   post-norm:  h = LN1(x + MHA(x));        y = LN2(h + FF(h))
 *   pre-norm:   h = x + MHA(LN1(x));        y = h + FF(LN2(h))
 * </pre>
 * Parameters are read by the block's part names ({@code attention/W_in}, {@code norm1/gamma}, {@code ff1/W}, ...).
 */
final class TransformerEncoderExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    TransformerEncoderConfig c = (TransformerEncoderConfig) layer.config();
    String name = layer.name();
    int steps = layer.inputShape().dim(0);
    int model = layer.inputShape().dim(1);
    String x = input;
    String attentionInput = c.preNorm() ? LayerNormExporter.nodes(name + "_norm1", p.part("norm1"), c.epsilon(), x,
        graph) : x;
    String attention = MultiHeadAttentionExporter.nodes(name + "_attention", p.part("attention"), steps, model,
        c.heads(), c.causal(), attentionInput, graph);
    String sum1 = graph.node("Add", name + "_residual1", List.of(x, attention));
    if (c.preNorm()) {
      String normed = LayerNormExporter.nodes(name + "_norm2", p.part("norm2"), c.epsilon(), sum1, graph);
      return graph.node("Add", name, List.of(sum1, feedForward(name, p, c, normed, graph)));
    }
    String h = LayerNormExporter.nodes(name + "_norm1", p.part("norm1"), c.epsilon(), sum1, graph);
    String sum2 = graph.node("Add", name + "_residual2", List.of(h, feedForward(name, p, c, h, graph)));
    return LayerNormExporter.nodes(name, p.part("norm2"), c.epsilon(), sum2, graph);
  }

  /** FF(h) = ff2(activation(ff1(h))), ff2 linear. */
  private static String feedForward(String name, LayerParameters p, TransformerEncoderConfig c, String h,
                                    OnnxGraph graph) {
    String hidden = TimeDistributedDenseExporter.nodes(name + "_ff1", p.part("ff1"), Activations.parse(c.activation()),
        h, graph);
    return TimeDistributedDenseExporter.nodes(name + "_ff2", p.part("ff2"), Activations.IDENTITY, hidden, graph);
  }
}
