package dev.dendrite.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.random.Rng;
import org.junit.jupiter.api.Test;

class KernelsTest {

  @Test
  void theTestsRunWithTheVectorApiSoTheVectorFormsAreTheOnesChecked() {
    assertTrue(Kernels.vectorized(), "the test JVM lacks --add-modules=jdk.incubator.vector (pom.xml argLine)");
  }

  @Test
  void vectorAndScalarAdamGiveTheSameBitsOverManySteps() {
    int n = 1003; // not a multiple of any vector length: the tail runs too
    Rng rng = new Rng(5);
    float[][] scalar = state(n, rng);
    float[][] vector = copy(scalar);
    for (int step = 1; step <= 20; step++) {
      float[] g = new float[n];
      for (int i = 0; i < n; i++) {
        g[i] = i % 17 == 0 ? 0f : (rng.nextFloat() - 0.5f) * (float) Math.pow(10, (i % 9) - 4);
      }
      float stepSize = (float) (1e-3 / (1 - Math.pow(0.9, step)));
      float invSqrtBc2 = (float) (1 / Math.sqrt(1 - Math.pow(0.999, step)));
      Kernels.adamScalar(scalar[0], g, scalar[1], scalar[2], 3, n, 0.9f, 0.999f, 1e-8f, stepSize, invSqrtBc2, 0.99f);
      VectorKernels.adam(vector[0], g, vector[1], vector[2], 3, n, 0.9f, 0.999f, 1e-8f, stepSize, invSqrtBc2, 0.99f);
    }
    for (int a = 0; a < 3; a++) {
      for (int i = 0; i < n; i++) {
        assertEquals(Float.floatToRawIntBits(scalar[a][i]), Float.floatToRawIntBits(vector[a][i]),
            "array " + a + " element " + i + ": scalar " + scalar[a][i] + ", vector " + vector[a][i]);
      }
    }
  }

  @Test
  void momentsThatDecayBelowTheFlushThresholdBecomeZeroInBothForms() {
    float[] p = {0.5f, 0.5f, 0.5f, 0.5f};
    float[] g = new float[4]; // zero gradients: the moments only decay
    float[] m = {1e-30f, -1e-30f, 2e-38f, 0.1f};
    float[] v = {1e-30f, 1e-30f, 2e-38f, 0.1f};
    float[] m2 = m.clone();
    float[] v2 = v.clone();
    float[] p2 = p.clone();
    Kernels.adamScalar(p, g, m, v, 0, 4, 0.9f, 0.999f, 1e-8f, 1e-3f, 1f, 1f);
    VectorKernels.adam(p2, g, m2, v2, 0, 4, 0.9f, 0.999f, 1e-8f, 1e-3f, 1f, 1f);
    for (float[] moments : new float[][] {m, m2}) {
      assertEquals(0f, moments[0], "0.9e-30 is below the threshold");
      assertEquals(0f, moments[1], "-0.9e-30 is below the threshold, and stored as +0");
      assertEquals(0f, moments[2], "a moment on its way to the subnormals");
      assertEquals(0.09f, moments[3], 1e-7f, "a normal moment decays as usual");
    }
    assertEquals(0f, v[2], "second moment below the threshold");
    for (int i = 0; i < 4; i++) {
      assertEquals(Float.floatToRawIntBits(m[i]), Float.floatToRawIntBits(m2[i]), "m[" + i + "] scalar vs vector");
      assertEquals(Float.floatToRawIntBits(p[i]), Float.floatToRawIntBits(p2[i]), "p[" + i + "] scalar vs vector");
    }
  }

  @Test
  void adamLeavesElementsOutsideTheRangeAlone() {
    float[] p = {1f, 1f, 1f, 1f};
    float[] g = {1f, 1f, 1f, 1f};
    Kernels.adam(p, g, new float[4], new float[4], 1, 3, 0.9f, 0.999f, 1e-8f, 0.1f, 1f, 1f);
    assertEquals(1f, p[0], "element before the range");
    assertEquals(1f, p[3], "element after the range");
    assertTrue(p[1] < 1f, "element in the range moved against its gradient: " + p[1]);
  }

  @Test
  void everyNonFiniteValueIsFoundWhereverItSitsInTheRange() {
    float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc12345)};
    for (float b : bad) {
      for (int at = 0; at < 70; at++) {
        float[] x = finiteValues(70);
        x[at] = b;
        assertFalse(VectorKernels.allFinite(x, 0, 70), b + " at " + at + " missed by the vector form");
        assertFalse(Kernels.allFiniteScalar(x, 0, 70), b + " at " + at + " missed by the scalar form");
        assertTrue(at == 0 || VectorKernels.allFinite(x, 0, at), "range [0, " + at + ") excludes the " + b);
      }
    }
  }

  @Test
  void theLargestAndSmallestFiniteFloatsAreFinite() {
    float[] x = finiteValues(40);
    x[3] = Float.MAX_VALUE;
    x[7] = -Float.MAX_VALUE;
    x[11] = Float.MIN_VALUE;
    x[13] = -0f;
    x[33] = Float.MIN_NORMAL;
    assertTrue(VectorKernels.allFinite(x, 0, 40), "vector form");
    assertTrue(Kernels.allFiniteScalar(x, 0, 40), "scalar form");
  }

  private static float[] finiteValues(int n) {
    Rng rng = new Rng(9);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (rng.nextFloat() - 0.5f) * 1e30f;
    }
    return x;
  }

  private static float[][] state(int n, Rng rng) {
    float[][] s = new float[3][n];
    for (int i = 0; i < n; i++) {
      s[0][i] = rng.nextFloat() - 0.5f;
    }
    return s;
  }

  private static float[][] copy(float[][] s) {
    float[][] c = new float[s.length][];
    for (int i = 0; i < s.length; i++) {
      c[i] = s[i].clone();
    }
    return c;
  }

  @Test
  void expIsWithinTwoUlpOfMathExpAcrossTheRangeOfNormalResults() {
    int n = 200_003;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -87.3f + (88.3f + 87.3f) * i / (n - 1);
    }
    float[] y = new float[n];
    Kernels.exp(x, y, 0, n);
    for (int i = 0; i < n; i++) {
      float exact = (float) Math.exp(x[i]);
      assertTrue(Math.abs(y[i] - exact) <= 2 * Math.ulp(exact), "exp(" + x[i] + ") = " + y[i] + ", Math.exp " + exact);
    }
  }

  @Test
  void expGivesZeroBelowItsRangeInfinityAboveItAndNaNForNaN() {
    float[] x = {-1000f, Float.NEGATIVE_INFINITY, 0f, 1f, 88.5f, 1000f, Float.POSITIVE_INFINITY, Float.NaN, -87.34f};
    float[] y = new float[x.length];
    Kernels.exp(x, y, 0, x.length);
    assertEquals(0f, y[0], "far below the range");
    assertEquals(0f, y[1], "-inf");
    assertEquals(0f, y[8], "just below the range, where Math.exp gives a subnormal");
    assertEquals(1f, y[2], "e^0");
    assertEquals((float) Math.E, y[3], Math.ulp((float) Math.E), "e^1");
    assertEquals(Float.POSITIVE_INFINITY, y[4], "above 88.37 the power of two overflows");
    assertEquals(Float.POSITIVE_INFINITY, y[5], "far above");
    assertEquals(Float.POSITIVE_INFINITY, y[6], "+inf");
    assertTrue(Float.isNaN(y[7]), "NaN stays NaN: " + y[7]);
  }

  @Test
  void vectorAndScalarExpGiveTheSameBits() {
    int n = 100_003;
    Rng rng = new Rng(9);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (rng.nextFloat() - 0.5f) * 200f;
    }
    x[5] = Float.NaN;
    x[6] = -0f;
    float[] scalar = new float[n];
    float[] vector = new float[n];
    Kernels.expScalar(x, scalar, 1, n);
    VectorKernels.exp(x, vector, 1, n);
    assertBitsEqual(scalar, vector, "exp");
  }

  @Test
  void sigmoidIsWithinFourUlpOfTheExactValueWhereverItIsANormalFloat() {
    int n = 200_003;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -87f + 174f * i / (n - 1);
    }
    float[] y = new float[n];
    Kernels.sigmoid(x, y, 0, n);
    for (int i = 0; i < n; i++) {
      float exact = (float) (1 / (1 + Math.exp(-(double) x[i])));
      assertTrue(Math.abs(y[i] - exact) <= 4 * Math.ulp(exact), "sigmoid(" + x[i] + ") = " + y[i] + ", exact " + exact);
      assertEquals(Float.floatToRawIntBits(y[i]), Float.floatToRawIntBits(Kernels.sigmoid(x[i])),
          "the one-value form at " + x[i]);
    }
    float[] extremes = {-1000f, 1000f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
    Kernels.sigmoid(extremes, extremes, 0, 4);
    assertArrayEquals(new float[] {0f, 1f, 0f, 1f}, extremes);
  }

  @Test
  void tanhIsWithinThreeUlpOfMathTanh() {
    int n = 200_003;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -12f + 24f * i / (n - 1);
    }
    x[0] = 1e-30f;
    x[1] = -3e-8f;
    x[2] = 0.62499994f; // the last polynomial argument
    x[3] = 0.625f;      // the first through exp
    float[] y = new float[n];
    Kernels.tanh(x, y, 0, n);
    for (int i = 0; i < n; i++) {
      float exact = (float) Math.tanh(x[i]);
      assertTrue(Math.abs(y[i] - exact) <= 3 * Math.ulp(exact), "tanh(" + x[i] + ") = " + y[i] + ", Math.tanh " + exact);
      assertEquals(Float.floatToRawIntBits(y[i]), Float.floatToRawIntBits(Kernels.tanh(x[i])),
          "the one-value form at " + x[i]);
    }
    float[] extremes = {-1000f, 1000f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f};
    Kernels.tanh(extremes, extremes, 0, 5);
    assertArrayEquals(new float[] {-1f, 1f, -1f, 1f, 0f}, extremes);
  }

  @Test
  void vectorAndScalarSigmoidAndTanhGiveTheSameBits() {
    int n = 100_003;
    Rng rng = new Rng(10);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (rng.nextFloat() - 0.5f) * (float) Math.pow(10, i % 6 - 3);
    }
    x[7] = Float.NaN;
    x[8] = -0f;
    x[9] = 200f;
    x[10] = -200f;
    float[] scalar = new float[n];
    float[] vector = new float[n];
    Kernels.sigmoidScalar(x, scalar, 2, n);
    VectorKernels.sigmoid(x, vector, 2, n);
    assertBitsEqual(scalar, vector, "sigmoid");
    Kernels.tanhScalar(x, scalar, 2, n);
    VectorKernels.tanh(x, vector, 2, n);
    assertBitsEqual(scalar, vector, "tanh");
  }

  @Test
  void reluBackwardPassesTheGradientWherePositiveInBothForms() {
    int n = 1003;
    Rng rng = new Rng(11);
    float[] z = new float[n];
    float[] dY = new float[n];
    for (int i = 0; i < n; i++) {
      z[i] = i % 7 == 0 ? 0f : rng.nextFloat() - 0.5f;
      dY[i] = i % 5 == 0 ? -0f : rng.nextFloat() - 0.5f;
    }
    z[3] = Float.NaN;
    float[] scalar = new float[n];
    float[] vector = new float[n];
    Kernels.reluBackwardScalar(z, dY, scalar, 0, n);
    VectorKernels.reluBackward(z, dY, vector, 0, n);
    assertBitsEqual(scalar, vector, "relu backward");
    for (int i = 0; i < n; i++) {
      assertEquals(z[i] > 0f ? dY[i] : 0f, scalar[i], "element " + i + " with z = " + z[i]);
    }
  }

  @Test
  void columnSumsAddRowsInOrderFromPositiveZeroInBothForms() {
    int rows = 37;
    int ld = 103;
    Rng rng = new Rng(13);
    float[] a = new float[rows * ld];
    for (int i = 0; i < a.length; i++) {
      a[i] = (rng.nextFloat() - 0.5f) * (float) Math.pow(10, i % 7 - 3);
    }
    a[5] = -0f; // a column whose only value is -0 sums to +0, as adding into a zeroed vector does
    float[] scalar = new float[ld + 2];
    float[] vector = new float[ld + 2];
    Kernels.columnSumsScalar(a, ld, 1, 5, 6, scalar, 0);
    assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(scalar[0]), "-0 summed from +0");
    Kernels.columnSumsScalar(a, ld, rows, 3, 100, scalar, 2);
    VectorKernels.columnSums(a, ld, rows, 3, 100, vector, 2);
    assertBitsEqual(scalar, vector, "column sums");
    float expected = 0f;
    for (int r = 0; r < rows; r++) {
      expected += a[r * ld + 50];
    }
    assertEquals(expected, scalar[2 + 50 - 3], "column 50 summed row by row");
  }

  @Test
  void vectorAndScalarLstmCellsGiveTheSameBitsForwardAndBackward() {
    int u = 40; // two whole vectors and a tail of 8
    Rng rng = new Rng(17);
    float[] gates = uniform(rng, 4 * u + 3, 1f);
    for (int j = 0; j < 4 * u + 3; j++) {
      gates[j] = j % (2 * u) < u || j >= 3 * u ? Kernels.sigmoid(gates[j] * 6) : Kernels.tanh(gates[j] * 6);
    }
    for (int prev : new int[] {-1, 0}) { // the first step has no previous cell state; a later one has
      float[][] scalar = {uniform(new Rng(5), 3 * u, 2f), new float[3 * u], new float[3 * u]}; // c, tanh c, h
      float[][] vector = {scalar[0].clone(), new float[3 * u], new float[3 * u]};
      Kernels.lstmCellScalar(gates, 3, scalar[0], prev, u, scalar[1], scalar[2], u, 0, u);
      VectorKernels.lstmCell(gates, 3, vector[0], prev, u, vector[1], vector[2], u);
      for (int k = 0; k < 3; k++) {
        assertBitsEqual(scalar[k], vector[k], "lstm cell output " + k + " with prev " + prev);
      }
      float[] dH = uniform(new Rng(6), u + 1, 1f);
      float[][] back = {uniform(new Rng(7), u + 1, 1f), new float[4 * u + 2], uniform(new Rng(8), 4 * u + 3, 1f)};
      float[][] vback = {back[0].clone(), back[1].clone(), back[2].clone()}; // dC, dZStep, dZx
      Kernels.lstmCellBackwardScalar(gates, 3, scalar[0], prev, u, scalar[1], dH, back[0], 1, back[1], 2, back[2], u,
          0, u);
      VectorKernels.lstmCellBackward(gates, 3, vector[0], prev, u, vector[1], dH, vback[0], 1, vback[1], 2, vback[2],
          u);
      for (int k = 0; k < 3; k++) {
        assertBitsEqual(back[k], vback[k], "lstm cell backward output " + k + " with prev " + prev);
      }
    }
  }

  @Test
  void vectorAndScalarGruCellBackwardsGiveTheSameBits() {
    int u = 40;
    for (int prev : new int[] {-1, 0}) {
      float[] gates = uniform(new Rng(19), 3 * u + 3, 1f);
      float[] h = uniform(new Rng(20), 2 * u, 1f);
      float[] ghN = uniform(new Rng(21), 2 * u, 1f);
      float[] dH = uniform(new Rng(22), u + 1, 1f);
      float[][] scalar = {uniform(new Rng(23), 3 * u + 3, 1f), new float[3 * u + 2], uniform(new Rng(24), 3 * u + 3, 1f),
          new float[u + 1]}; // dZx, dZStep, dZh, dHPrev
      float[][] vector = {scalar[0].clone(), scalar[1].clone(), scalar[2].clone(), scalar[3].clone()};
      Kernels.gruCellBackwardScalar(gates, 3, h, prev, u, ghN, dH, 1, scalar[0], scalar[1], 2, scalar[2], scalar[3], u,
          0, u);
      VectorKernels.gruCellBackward(gates, 3, h, prev, u, ghN, dH, 1, vector[0], vector[1], 2, vector[2], vector[3], u);
      for (int k = 0; k < 4; k++) {
        assertBitsEqual(scalar[k], vector[k], "gru cell backward output " + k + " with prev " + prev);
      }
    }
  }

  private static float[] uniform(Rng rng, int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (rng.nextFloat() - 0.5f) * 2 * scale;
    }
    return v;
  }

  private static void assertBitsEqual(float[] scalar, float[] vector, String what) {
    for (int i = 0; i < scalar.length; i++) {
      assertEquals(Float.floatToRawIntBits(scalar[i]), Float.floatToRawIntBits(vector[i]),
          what + " element " + i + ": scalar " + scalar[i] + ", vector " + vector[i]);
    }
  }
}
