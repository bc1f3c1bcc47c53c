package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.attribute;

import dev.dendrite.core.data.MinMaxScaler;
import dev.dendrite.core.data.Pipeline;
import dev.dendrite.core.data.PixelScaler;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.data.StandardScaler;
import dev.dendrite.core.io.onnx.proto.TensorProto;
import java.util.List;

/**
 * The saved, fitted preprocessing as operators on the raw features {@code [batch, width]}, so the exported
 * model takes what {@code dendrite predict} takes. Pixel scaling is {@code Div} by the float maximum (what
 * Dendrite computes). Standardization and min-max scaling compute {@code (x - center) · (1 / divisor)} in
 * double and round to float, as Dendrite does, so they are written in double between two {@code Cast}s:
 * the model then sees bit for bit the inputs Dendrite's network sees. A pipeline is its steps in order.
 */
final class PreprocessingExporter {

  private PreprocessingExporter() {
  }

  static String apply(Preprocessor p, String input, OnnxGraph graph) {
    if (p instanceof Pipeline pipeline) {
      String x = input;
      for (Preprocessor step : pipeline.steps()) {
        x = apply(step, x, graph);
      }
      return x;
    }
    if (p instanceof PixelScaler pixels) {
      String max = graph.floats("pixel_max", new float[] {(float) pixels.max()});
      return graph.node("Div", "pixel", List.of(input, max));
    }
    if (p instanceof StandardScaler s) {
      return columns(s.type(), s.centers(), s.divisors(), input, graph);
    }
    if (p instanceof MinMaxScaler s) {
      return columns(s.type(), s.centers(), s.divisors(), input, graph);
    }
    throw new IllegalArgumentException("the saved preprocessing '" + p.type() + "' has no ONNX export; the "
        + "preprocessing that exports is pixel, standard, min_max and a pipeline of them");
  }

  /** {@code float((double(x) - center) · (1 / divisor))}, per column. */
  private static String columns(String base, double[] center, double[] divisor, String input, OnnxGraph graph) {
    double[] inverse = new double[divisor.length];
    for (int j = 0; j < inverse.length; j++) {
      inverse[j] = 1.0 / divisor[j];
    }
    String x = graph.node("Cast", base + "_double", List.of(input),
        attribute("to", (long) TensorProto.DataType.DOUBLE_VALUE));
    String centered = graph.node("Sub", base + "_centered",
        List.of(x, graph.doubles(base + "_center", center, center.length)));
    String scaled = graph.node("Mul", base + "_scaled",
        List.of(centered, graph.doubles(base + "_inverse", inverse, inverse.length)));
    return graph.node("Cast", base, List.of(scaled), attribute("to", (long) TensorProto.DataType.FLOAT_VALUE));
  }
}
