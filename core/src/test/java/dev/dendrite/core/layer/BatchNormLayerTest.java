package dev.dendrite.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.random.Rng;
import dev.dendrite.core.tensor.Shape;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link BatchNormLayer} against a straightforward double-precision implementation of its class comment,
 * on convolution outputs (blocked float sums) and dense outputs, in training and inference; and its
 * outputs are bit-identical from run to run, thread to thread, interpreted or JIT-compiled.
 */
class BatchNormLayerTest {

  private static final double MOMENTUM = 0.9;
  private static final double EPSILON = 1e-3;

  /** A layer bound to its own parameter and gradient vectors, with an input batch and dY. */
  private static final class Fixture {
    final BatchNormLayer layer;
    final int channels;
    final int spatial;
    final int size;
    final int batch;
    final int xOffset;
    final float[] params;
    final float[] grads;
    final float[] x;
    final float[] dY;
    final float[] y;
    final float[] dX;

    Fixture(Shape shape, int batch, int xOffset, long seed) {
      layer = new BatchNormLayer("bn", new BatchNormConfig(MOMENTUM, EPSILON), shape);
      channels = layer.channels();
      size = shape.size();
      spatial = size / channels;
      this.batch = batch;
      this.xOffset = xOffset;
      params = new float[4 * channels];
      grads = new float[4 * channels];
      layer.bind(params, grads, 0);
      layer.allocate(batch);
      Rng rng = new Rng(seed);
      for (int c = 0; c < channels; c++) {
        params[c] = 0.5f + rng.nextFloat();                 // gamma
        params[channels + c] = rng.nextFloat() - 0.5f;      // beta
        params[2 * channels + c] = rng.nextFloat() - 0.5f;  // running mean
        params[3 * channels + c] = 0.5f + rng.nextFloat();  // running variance
      }
      x = new float[xOffset + batch * size];
      dY = new float[batch * size];
      y = new float[batch * size];
      dX = new float[batch * size];
      Arrays.fill(x, Float.NaN); // the part before xOffset must not be read
      for (int n = 0; n < batch; n++) {
        for (int c = 0; c < channels; c++) {
          // channels of different kinds: ReLU-like, centred, far from zero with a small spread
          double centre = c % 3 == 0 ? 0 : c % 3 == 1 ? -2 + c : 100;
          double spread = c % 3 == 2 ? 0.1 : 0.5 + c % 4;
          for (int s = 0; s < spatial; s++) {
            double v = centre + spread * rng.nextGaussian();
            x[xOffset + n * size + c * spatial + s] = (float) (c % 3 == 0 ? Math.max(0, v) : v);
          }
        }
      }
      for (int i = 0; i < dY.length; i++) {
        dY[i] = (float) rng.nextGaussian();
      }
    }

    void run(boolean training) {
      Arrays.fill(grads, 0f);
      layer.forward(x, xOffset, y, batch, training, null);
      layer.backward(x, xOffset, y, dY, dX, batch);
    }

    float[][] outputs() {
      return new float[][] {y.clone(), dX.clone(), grads.clone()};
    }
  }

  /** The class comment in double precision, for channel c: {mean, variance, dγ, dβ}, and y and dX. */
  private static double[] reference(Fixture f, int c, boolean training, double[] y, double[] dX) {
    int m = f.batch * f.spatial;
    double mean;
    double variance;
    if (training) {
      double sum = 0;
      for (int n = 0; n < f.batch; n++) {
        for (int s = 0; s < f.spatial; s++) {
          sum += f.x[f.xOffset + n * f.size + c * f.spatial + s];
        }
      }
      mean = sum / m;
      double squares = 0;
      for (int n = 0; n < f.batch; n++) {
        for (int s = 0; s < f.spatial; s++) {
          double d = f.x[f.xOffset + n * f.size + c * f.spatial + s] - mean;
          squares += d * d;
        }
      }
      variance = squares / m;
    } else {
      mean = f.params[2 * f.channels + c];
      variance = f.params[3 * f.channels + c];
    }
    double inv = 1 / Math.sqrt(variance + EPSILON);
    double gamma = f.params[c];
    double beta = f.params[f.channels + c];
    double sumDy = 0;
    double sumDyXhat = 0;
    for (int n = 0; n < f.batch; n++) {
      for (int s = 0; s < f.spatial; s++) {
        int i = n * f.size + c * f.spatial + s;
        double xhat = (f.x[f.xOffset + i] - mean) * inv;
        y[i] = gamma * xhat + beta;
        sumDy += f.dY[i];
        sumDyXhat += f.dY[i] * xhat;
      }
    }
    double meanDy = training ? sumDy / m : 0;
    double meanDyXhat = training ? sumDyXhat / m : 0;
    for (int n = 0; n < f.batch; n++) {
      for (int s = 0; s < f.spatial; s++) {
        int i = n * f.size + c * f.spatial + s;
        double xhat = (f.x[f.xOffset + i] - mean) * inv;
        dX[i] = gamma * inv * (f.dY[i] - meanDy - xhat * meanDyXhat);
      }
    }
    return new double[] {mean, variance, sumDyXhat, sumDy};
  }

  /**
   * Tolerances, all float-sized: μ within 1e-6·(|μ| + σ); σ² within 1e-5 relative; y and dX within 2e-5 of
   * their channel's largest magnitude, dγ and dβ within 1e-5 of Σ|dY·x̂| and Σ|dY|, plus what μ's rounding
   * to float does to x̂ (half an ulp of 100 is 3.8e-5·σ for the channels with μ = 100, σ = 0.1).
   */
  @ParameterizedTest(name = "shape {0}, batch {1}, x offset {2}, training {3}")
  @CsvSource({
      "5x7x9, 70, 0, true",     // 63 positions, 70 rows: two full blocks of 32 and a partial one
      "5x7x9, 70, 13, true",    // x starting at an offset
      "3x26x26, 64, 0, true",   // the CNN's first shape, fewer channels
      "4x1x1, 33, 0, true",     // one position per channel
      "6, 50, 0, true",         // after a dense layer: every element its own channel
      "6, 50, 7, true",
      "5x7x9, 70, 0, false",    // inference: running statistics
      "6, 50, 7, false"})
  void matchesADoublePrecisionReference(String shape, int batch, int xOffset, boolean training) {
    Fixture f = new Fixture(parse(shape), batch, xOffset, 17);
    f.run(training);
    double[] y = new double[f.y.length];
    double[] dX = new double[f.dX.length];
    for (int c = 0; c < f.channels; c++) {
      double[] ref = reference(f, c, training, y, dX);
      String where = "channel " + c;
      double sigma = Math.sqrt(ref[1]);
      if (training) {
        // the running statistics' slots carry batch·(1 - m)·(stat - r): recover μ and σ² from them
        double scale = batch * (1 - (float) MOMENTUM);
        double mean = f.grads[2 * f.channels + c] / scale + f.params[2 * f.channels + c];
        double variance = f.grads[3 * f.channels + c] / scale + f.params[3 * f.channels + c];
        assertEquals(ref[0], mean, 1e-6 * (Math.abs(ref[0]) + sigma) + 1e-6, where + " mean");
        assertEquals(ref[1], variance, 1e-5 * ref[1] + 1e-6, where + " variance");
      } else {
        assertEquals(0f, f.grads[2 * f.channels + c], where);
        assertEquals(0f, f.grads[3 * f.channels + c], where);
      }
      double absDyXhat = 0;
      double absDy = 0;
      double maxY = 0;
      double maxDx = 0;
      for (int n = 0; n < batch; n++) {
        for (int s = 0; s < f.spatial; s++) {
          int i = n * f.size + c * f.spatial + s;
          absDy += Math.abs(f.dY[i]);
          absDyXhat += Math.abs(f.dY[i] * (f.x[xOffset + i] - ref[0]) / Math.sqrt(ref[1] + EPSILON));
          maxY = Math.max(maxY, Math.abs(y[i]));
          maxDx = Math.max(maxDx, Math.abs(dX[i]));
        }
      }
      // x̂ = (x - μ)·k uses μ rounded to float: every x̂ may be off by up to half an ulp of μ, times k
      double inv = 1 / Math.sqrt(ref[1] + EPSILON);
      double xhatError = Math.ulp((float) ref[0]) / 2 * inv;
      double gamma = f.params[c];
      double meanDyXhat = training ? ref[2] / (batch * f.spatial) : 0;
      assertEquals(ref[2], f.grads[c], 1e-5 * absDyXhat + xhatError * absDy, where + " dgamma");
      assertEquals(ref[3], f.grads[f.channels + c], 1e-5 * absDy, where + " dbeta");
      double yTolerance = 2e-5 * maxY + Math.abs(gamma) * xhatError;
      double dxTolerance = 2e-5 * maxDx + Math.abs(gamma * inv * meanDyXhat) * xhatError;
      for (int n = 0; n < batch; n++) {
        for (int s = 0; s < f.spatial; s++) {
          int i = n * f.size + c * f.spatial + s;
          assertEquals(y[i], f.y[i], yTolerance, where + " y at " + i);
          assertEquals(dX[i], f.dX[i], dxTolerance, where + " dX at " + i);
        }
      }
    }
    // x̂ as the layer reports it is (y - β)/γ
    float[] xhat = f.layer.normalized(f.x, xOffset, batch);
    for (int i = 0; i < xhat.length; i++) {
      int c = (i % f.size) / f.spatial;
      assertEquals((f.y[i] - f.params[f.channels + c]) / f.params[c], xhat[i], 1e-4 * (1 + Math.abs(xhat[i])));
    }
  }

  @Test
  void aChannelFarFromZeroWithATinySpreadKeepsItsVariance() {
    // μ = 1000, σ = 0.001: a one-pass Σx² - (Σx)²/M in float would lose every digit of σ²
    Fixture f = new Fixture(Shape.of(3, 12, 12), 40, 0, 5);
    Arrays.fill(f.params, 9, 12, 0f); // running variance 0: its gradient slot is then batch·(1 - m)·σ²
    Rng rng = new Rng(6);
    for (int i = 0; i < f.x.length; i++) {
      f.x[i] = (float) (1000 + 0.001 * rng.nextGaussian());
    }
    f.run(true);
    double[] y = new double[f.y.length];
    double[] dX = new double[f.dX.length];
    for (int c = 0; c < 3; c++) {
      double[] ref = reference(f, c, true, y, dX);
      double variance = f.grads[3 * f.channels + c] / (40 * (1 - (float) MOMENTUM)) + f.params[3 * f.channels + c];
      assertEquals(ref[1], variance, 1e-4 * ref[1], "channel " + c);
      assertTrue(ref[1] > 0.5e-6, "the data's variance is about 1e-6: " + ref[1]);
      assertTrue(ref[1] < 2e-6, "the data's variance is about 1e-6: " + ref[1]);
    }
  }

  @ParameterizedTest(name = "shape {0}")
  @CsvSource({"6x10x10", "6"})
  void sameInputGivesBitIdenticalOutputsOnEveryRunThreadAndCompilation(String shape) throws Exception {
    Fixture f = new Fixture(parse(shape), 45, 3, 23);
    f.run(true);
    float[][] first = f.outputs();  // the first call: interpreted
    f.run(true);
    assertOutputsEqual(first, f.outputs(), "second run");

    Fixture other = new Fixture(parse(shape), 45, 3, 23);
    AtomicReference<float[][]> fromThread = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      other.run(true);
      fromThread.set(other.outputs());
    });
    thread.start();
    thread.join();
    assertOutputsEqual(first, fromThread.get(), "another layer on another thread");

    // enough calls for the JIT to compile (and vectorize) the loops
    for (int i = 0; i < 3000; i++) {
      f.run(true);
    }
    assertOutputsEqual(first, f.outputs(), "JIT-compiled");
  }

  private static void assertOutputsEqual(float[][] expected, float[][] actual, String what) {
    String[] names = {"y", "dX", "gradients"};
    for (int k = 0; k < names.length; k++) {
      assertEquals(expected[k].length, actual[k].length);
      for (int i = 0; i < expected[k].length; i++) {
        assertEquals(Float.floatToRawIntBits(expected[k][i]), Float.floatToRawIntBits(actual[k][i]),
            what + ": " + names[k] + "[" + i + "] " + expected[k][i] + " vs " + actual[k][i]);
      }
    }
  }

  private static Shape parse(String shape) {
    return Shape.of(Arrays.stream(shape.split("x")).mapToInt(Integer::parseInt).toArray());
  }
}
