package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.attribute;
import static dev.dendrite.core.io.onnx.OnnxGraph.ints;

import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.MultiHeadAttentionConfig;
import java.util.Arrays;
import java.util.List;

/**
 * {@code multi_head_attention} on {@code x [batch, T, d]}, the math of {@code MultiHeadAttentionLayer} with
 * H heads of k = d / H:
 * <pre>
 *   Q, K, V = x W_qᵀ + b_q, x W_kᵀ + b_k, x W_vᵀ + b_v   MatMul + Add; W_q, W_k, W_v the row thirds of W_in
 *   each → Reshape [batch, T, H, k] → Transpose          [batch, H, T, k] (K: [batch, H, k, T])
 *   S = (Q Kᵀ) · (1/√k)                                  MatMul, Mul          [batch, H, T, T]
 *   causal: S + M, M[i][j] = -∞ for j &gt; i, else 0     Add of a constant [T, T]
 *   P = Softmax(S, axis = -1);  O = P V                  [batch, H, T, k]
 *   O → Transpose [batch, T, H, k] → Reshape [batch, T, d];  y = O W_outᵀ + b_out
 * </pre>
 * A masked score is -∞, so its weight is exactly 0, as Dendrite's softmax leaves it; the diagonal is never
 * masked, so no row is all -∞.
 */
final class MultiHeadAttentionExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    MultiHeadAttentionConfig c = (MultiHeadAttentionConfig) layer.config();
    return nodes(layer.name(), p, layer.inputShape().dim(0), layer.inputShape().dim(1), c.heads(), c.causal(), input,
        graph);
  }

  /**
   * The attention of {@code input} {@code [batch, steps, model]} with tensors {@code W_in [3d, d]},
   * {@code b_in [3d]}, {@code W_out [d, d]} and {@code b_out [d]} of {@code p}.
   */
  static String nodes(String base, LayerParameters p, int steps, int model, int heads, boolean causal, String input,
                      OnnxGraph graph) {
    int d = model;
    int k = d / heads;
    float[] wIn = p.values("W_in");
    float[] bIn = p.values("b_in");
    String[] split = new String[3];
    String[] roles = {"q", "k", "v"};
    for (int i = 0; i < 3; i++) {
      String role = base + "_" + roles[i];
      String projected = LinearNodes.apply(role, Arrays.copyOfRange(wIn, i * d * d, (i + 1) * d * d),
          Arrays.copyOfRange(bIn, i * d, (i + 1) * d), d, d, input, graph);             // [batch, T, d]
      String perHead = graph.reshape(projected, role + "_split", steps, heads, k);      // [batch, T, H, k]
      long[] perm = i == 1 ? new long[] {0, 2, 3, 1} : new long[] {0, 2, 1, 3};          // K: [batch, H, k, T]
      split[i] = graph.node("Transpose", role + "_heads", List.of(perHead), ints("perm", perm));
    }
    String products = graph.node("MatMul", base + "_qk", List.of(split[0], split[1]));   // [batch, H, T, T]
    float scale = (float) (1.0 / Math.sqrt(k)); // the layer's own float
    String scores = graph.node("Mul", base + "_scores", List.of(products,
        graph.floats(base + "_scale", new float[] {scale})));
    if (causal) {
      float[] mask = new float[steps * steps];
      for (int i = 0; i < steps; i++) {
        Arrays.fill(mask, i * steps + i + 1, (i + 1) * steps, Float.NEGATIVE_INFINITY);
      }
      scores = graph.node("Add", base + "_masked", List.of(scores, graph.floats(base + "_mask", mask, steps, steps)));
    }
    String weights = graph.node("Softmax", base + "_weights", List.of(scores), attribute("axis", -1L));
    String heads4 = graph.node("MatMul", base + "_context", List.of(weights, split[2]));  // [batch, H, T, k]
    String positions = graph.node("Transpose", base + "_context_t", List.of(heads4), ints("perm", 0, 2, 1, 3));
    String context = graph.reshape(positions, base + "_concat", steps, d);               // [batch, T, d]
    return LinearNodes.apply(base, p.values("W_out"), p.values("b_out"), d, d, context, graph);
  }
}
