package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.attribute;
import static dev.dendrite.core.io.onnx.OnnxGraph.ints;

import dev.dendrite.core.io.onnx.proto.AttributeProto;
import dev.dendrite.core.layer.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the {@code RNN}, {@code LSTM} and {@code GRU} exports share. Dendrite's batch {@code [batch, T, F]}
 * is transposed to ONNX's default layout {@code [T, batch, F]}; the operator runs one forward direction
 * from a zero state with weights {@code W [1, G·u, F]}, {@code R [1, G·u, u]} and biases
 * {@code B [1, 2·G·u]} (input-side then recurrent-side) in ONNX's gate order; then the last state
 * {@code Y_h [1, batch, u]} becomes {@code [batch, u]}, or every state {@code Y [T, 1, batch, u]} becomes
 * {@code [batch, T, u]}.
 */
final class RecurrentNodes {

  private RecurrentNodes() {
  }

  /**
   * Writes operator {@code op} for {@code layer}.
   *
   * @param w     input weights {@code [G·u, F]}, gates in ONNX's order
   * @param r     recurrent weights {@code [G·u, u]}, gates in ONNX's order
   * @param b     the two biases {@code [2·G·u]}: input side then recurrent side, gates in ONNX's order
   * @param extra the operator's own attributes (e.g. the GRU's {@code linear_before_reset})
   */
  static String apply(Layer layer, String op, int units, boolean returnSequences, float[] w, float[] r, float[] b,
                      String input, OnnxGraph graph, AttributeProto... extra) {
    String name = layer.name();
    int features = layer.inputShape().dim(1);
    int width = r.length / units; // G·u
    String x = graph.node("Transpose", name + "_time_major", List.of(input), ints("perm", 1, 0, 2));
    List<String> inputs = List.of(x,
        graph.floats(name + "_W", w, 1, width, features),
        graph.floats(name + "_R", r, 1, width, units),
        graph.floats(name + "_B", b, 1, 2L * width));
    List<AttributeProto> attributes = new ArrayList<>(List.of(extra));
    attributes.add(attribute("hidden_size", (long) units));
    String[] out = graph.nodeOutputs(op, name + "_Y", inputs, 2, attributes.toArray(new AttributeProto[0]));
    if (!returnSequences) {
      return graph.node("Squeeze", name, List.of(out[1], graph.longs(name + "_axes", 0)));
    }
    String steps = graph.node("Squeeze", name + "_steps", List.of(out[0], graph.longs(name + "_axes", 1)));
    return graph.node("Transpose", name, List.of(steps), ints("perm", 1, 0, 2));
  }

  /**
   * The row blocks of a {@code [G·u, cols]} matrix (or a {@code [G·u]} vector, cols = 1) in another gate
   * order: block k of the result is block {@code order[k]} of {@code m}.
   */
  static float[] gates(float[] m, int[] order) {
    int block = m.length / order.length;
    float[] out = new float[m.length];
    for (int k = 0; k < order.length; k++) {
      System.arraycopy(m, order[k] * block, out, k * block, block);
    }
    return out;
  }

  /** {@code a} followed by {@code b}. */
  static float[] concat(float[] a, float[] b) {
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
