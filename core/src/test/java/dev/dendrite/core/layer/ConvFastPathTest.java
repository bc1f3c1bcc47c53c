package dev.dendrite.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.random.Rng;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fast paths of the CNN layers give what the plain definitions give: branch-free 2×2 stride-2 max
 * pooling (values, winners with ties, dX without a zeroing pass) against a brute-force reference, and a
 * convolution with ReLU fused into its permutations against the same convolution followed by a ReLU layer.
 */
class ConvFastPathTest {

  @ParameterizedTest(name = "{0} channels, {1}x{2}")
  @CsvSource({"2, 6, 6", "3, 7, 5", "1, 5, 8", "2, 2, 3"})
  void twoByTwoMaxPoolingMatchesBruteForce(int channels, int height, int width) {
    int batch = 3;
    Network net = Network.builder(channels, height, width).maxPool2d(2).build();
    MaxPool2DLayer pool = (MaxPool2DLayer) net.layers().get(0);
    int in = channels * height * width;
    int outH = height / 2;
    int outW = width / 2;
    int out = channels * outH * outW;
    pool.allocate(batch);
    Rng rng = new Rng(11);
    float[] x = new float[1 + batch * in]; // offset 1: the input offset is honoured
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextInt(4) - 1.5f; // four levels: many ties, negative and positive values
    }
    x[1] = -0f;
    float[] y = new float[batch * out];
    pool.forward(x, 1, y, batch, true, null);
    float[] dY = new float[batch * out];
    for (int i = 0; i < dY.length; i++) {
      dY[i] = rng.nextFloat() + 0.5f;
    }
    float[] dX = new float[batch * in];
    Arrays.fill(dX, Float.NaN); // the fast path must write every cell, covered or not
    pool.backward(x, 1, y, dY, dX, batch);

    float[] expectedDX = new float[batch * in];
    int o = 0;
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < channels; c++) {
        for (int oh = 0; oh < outH; oh++) {
          for (int ow = 0; ow < outW; ow++, o++) {
            int best = -1;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 2 * oh; i < 2 * oh + 2; i++) {
              for (int j = 2 * ow; j < 2 * ow + 2; j++) {
                int k = (c * height + i) * width + j;
                if (best < 0 || x[1 + n * in + k] > max) { // the first cell wins a tie
                  max = x[1 + n * in + k];
                  best = k;
                }
              }
            }
            assertEquals(max, y[o], "value of output " + o);
            assertEquals(best, pool.argmax()[o], "winner of output " + o);
            expectedDX[n * in + best] += dY[o];
          }
        }
      }
    }
    assertArrayEquals(expectedDX, dX);
  }

  @ParameterizedTest(name = "kernel {0}, stride {1}, padding {2}")
  @CsvSource({"3, 1, valid", "3, 1, same", "2, 2, valid", "3, 2, same"})
  void fusedReluEqualsAConvolutionFollowedByAReluLayer(int kernel, int stride, String padding) {
    int batch = 4;
    Network fused = Network.builder(2, 9, 8).conv2d(3, kernel, stride, padding, "relu")
        .conv2d(4, kernel, stride, padding, "relu").flatten().dense(2, "identity")
        .gemm(new EjmlGemm()).seed(3).build();
    Network plain = Network.builder(2, 9, 8).conv2d(3, kernel, stride, padding, "identity").activation("relu")
        .conv2d(4, kernel, stride, padding, "identity").activation("relu").flatten().dense(2, "identity")
        .gemm(new EjmlGemm()).seed(3).build();
    assertEquals(fused.parameterCount(), plain.parameterCount());
    plain.setParameters(fused.parameters());
    Rng rng = new Rng(12);
    float[] x = new float[batch * 2 * 9 * 8];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextFloat() * 2 - 1;
    }
    float[] t = new float[batch * 2];
    for (int i = 0; i < t.length; i++) {
      t[i] = rng.nextFloat();
    }
    MeanSquaredError loss = new MeanSquaredError();
    double lossFused = fused.computeGradients(x, 0, t, 0, null, 0, batch, loss, 1f / batch, null);
    double lossPlain = plain.computeGradients(x, 0, t, 0, null, 0, batch, loss, 1f / batch, null);
    assertEquals(lossPlain, lossFused);
    float[] gFused = fused.gradients(new float[fused.parameterCount()]);
    float[] gPlain = plain.gradients(new float[plain.parameterCount()]);
    assertArrayEquals(gPlain, gFused);
    assertTrue(Arrays.stream(toDoubles(gFused)).anyMatch(v -> v != 0), "the gradient is not all zero");
  }

  @org.junit.jupiter.api.Test
  void aBatchInChunksEqualsTheSumOfItsExamples() {
    // conv 1: chunks of 65536 / (32 · 676) = 3 examples; conv 2: chunks of 1; batch 7 = 3 + 3 + 1
    int batch = 7;
    Network net = Network.builder(1, 28, 28).conv2d(32, 3, "relu").maxPool2d(2).conv2d(64, 3, "tanh")
        .flatten().dense(3, "identity").gemm(new EjmlGemm()).seed(4).build();
    Rng rng = new Rng(13);
    float[] x = new float[batch * 784];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextFloat();
    }
    float[] t = new float[batch * 3];
    for (int i = 0; i < t.length; i++) {
      t[i] = rng.nextFloat();
    }
    MeanSquaredError loss = new MeanSquaredError();
    double whole = net.computeGradients(x, 0, t, 0, null, 0, batch, loss, 1f, null);
    float[] out = Arrays.copyOf(net.lastOutput(), batch * 3);
    float[] gWhole = net.gradients(new float[net.parameterCount()]);
    double sum = 0;
    double[] gSum = new double[gWhole.length];
    float[] g = new float[gWhole.length];
    for (int n = 0; n < batch; n++) {
      sum += net.computeGradients(x, n * 784, t, n * 3, null, 0, 1, loss, 1f, null);
      for (int j = 0; j < 3; j++) {
        assertEquals(net.lastOutput()[j], out[n * 3 + j], 1e-5, "output " + j + " of example " + n);
      }
      net.gradients(g);
      for (int i = 0; i < g.length; i++) {
        gSum[i] += g[i];
      }
    }
    assertEquals(sum, whole, 1e-6 * Math.abs(sum));
    for (int i = 0; i < g.length; i++) {
      assertEquals(gSum[i], gWhole[i], 1e-4 * (1 + Math.abs(gSum[i])), "gradient " + i);
    }
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
