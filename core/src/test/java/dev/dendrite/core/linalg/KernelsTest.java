package dev.dendrite.core.linalg;

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
}
