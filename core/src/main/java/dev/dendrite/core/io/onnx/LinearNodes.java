package dev.dendrite.core.io.onnx;

import java.util.List;

/**
 * {@code y = x Wᵀ + b} on the last axis of a tensor {@code [batch, ..., in]} as {@code MatMul} and
 * {@code Add}, for weights stored as Dendrite (and PyTorch) store them, {@code W [out, in]}: the initializer
 * is written transposed, {@code [in, out]}, so no Transpose runs at inference. Gemm, the form of
 * {@code dense}, takes only matrices; this form serves sequences {@code [batch, T, in]}.
 */
final class LinearNodes {

  private LinearNodes() {
  }

  /** The output {@code [batch, ..., out]}, named {@code base}. */
  static String apply(String base, float[] w, float[] b, int out, int in, String input, OnnxGraph graph) {
    String wT = graph.floats(base + "_Wt", transpose(w, out, in), in, out);
    String bias = graph.floats(base + "_b", b, out);
    String xw = graph.node("MatMul", base + "_xw", List.of(input, wT));
    return graph.node("Add", base, List.of(xw, bias));
  }

  /** The transpose {@code [cols, rows]} of a row-major {@code [rows, cols]} matrix. */
  static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return t;
  }
}
