package dev.dendrite.core.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.Network;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * The oracle of the export tests: ONNX Runtime (its Java API, one thread) runs the exported bytes on raw
 * features, and its outputs are compared with Dendrite's inference on the same rows (saved preprocessing,
 * then {@link Network#forward}). Agreement means, for every output row, {@code max |onnx - dendrite| ≤
 * 1e-5 · scale}, where the scale is the row's largest |output|, or the root mean square of all the outputs
 * when that is larger: relative to the outputs' magnitude, so that a regression output that is near 0 only
 * by cancellation (the two runtimes add in different orders) does not fail on rounding alone.
 */
final class OnnxRuntimeCheck {

  static final double TOLERANCE = 1e-5;

  private OnnxRuntimeCheck() {
  }

  /** ONNX Runtime's output {@code [rows, outputs]} for raw features {@code x [rows, width]}. */
  static float[] run(byte[] model, float[] x, int rows, int width) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(model, options);
           OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x, 0, rows * width),
               new long[] {rows, width});
           OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
        OnnxTensor out = (OnnxTensor) result.get(OnnxExport.OUTPUT).orElseThrow();
        long[] shape = out.getInfo().getShape();
        assertEquals(2, shape.length, "output rank");
        assertEquals(rows, shape[0], "output rows");
        FloatBuffer buffer = out.getFloatBuffer();
        float[] y = new float[buffer.remaining()];
        buffer.get(y);
        return y;
      }
    }
  }

  /** Dendrite's inference on raw features: the saved preprocessing (on a copy), then the network. */
  static float[] dendrite(SavedModel model, float[] raw, int rows) {
    Network network = model.toNetwork();
    float[] x = java.util.Arrays.copyOf(raw, rows * network.inputSize());
    if (!model.preprocessing().isEmpty()) {
      Preprocessor.fromMap(model.preprocessing()).transform(x, 0, rows);
    }
    return network.forward(x, 0, rows, false, null).clone();
  }

  /** Exports {@code model}, runs both on {@code rows} raw rows and asserts they agree; returns the rows compared. */
  static int assertAgrees(String what, SavedModel model, float[] raw, int rows) throws OrtException {
    Network network = model.toNetwork();
    int width = network.inputSize();
    int outputs = network.outputSize();
    float[] expected = java.util.Arrays.copyOf(dendrite(model, raw, rows), rows * outputs);
    float[] actual = run(OnnxExport.toBytes(model), raw, rows, width);
    assertEquals(rows * outputs, actual.length, what + ": ONNX Runtime's output size");
    double sumSquares = 0;
    for (float v : expected) {
      sumSquares += (double) v * v;
    }
    double rms = Math.sqrt(sumSquares / expected.length);
    double worst = 0;
    for (int r = 0; r < rows; r++) {
      double scale = rms;
      double diff = 0;
      int at = 0;
      for (int j = 0; j < outputs; j++) {
        scale = Math.max(scale, Math.abs(expected[r * outputs + j]));
        double d = Math.abs(actual[r * outputs + j] - expected[r * outputs + j]);
        if (d > diff) {
          diff = d;
          at = j;
        }
      }
      if (diff > TOLERANCE * scale) {
        fail(what + ": row " + r + ", output " + at + ": ONNX Runtime " + actual[r * outputs + at] + ", Dendrite "
            + expected[r * outputs + at] + " (difference " + diff + " > " + TOLERANCE + " × scale " + scale + ")");
      }
      worst = Math.max(worst, scale == 0 ? 0 : diff / scale);
    }
    System.out.printf("%s: %d rows × %d outputs agree, largest difference %.2e of the scale%n", what, rows,
        outputs, worst);
    return rows;
  }
}
