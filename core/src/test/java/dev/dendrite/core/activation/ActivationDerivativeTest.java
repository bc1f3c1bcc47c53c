package dev.dendrite.core.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each activation's derivative against a finite difference of its value; softmax's Jacobian against
 * finite differences of softmax; and the batch loops (some hand-optimized) against the scalar methods.
 */
class ActivationDerivativeTest {

  /** Points away from every kink at 0 by more than the stencil's reach 2h. */
  private static final float[] POINTS = {-3.7f, -1.3f, -0.4f, -0.05f, 0.07f, 0.6f, 1.7f, 3.2f};
  private static final double H = 1.0 / 128;

  private static List<ElementwiseActivation> elementwise() {
    return List.of((ElementwiseActivation) Activations.IDENTITY, (ElementwiseActivation) Activations.SIGMOID,
        (ElementwiseActivation) Activations.TANH, (ElementwiseActivation) Activations.ARCTAN,
        (ElementwiseActivation) Activations.RELU, new LeakyRelu(0.01f), new LeakyRelu(0.3f), new Elu(1f),
        new Elu(0.5f), (ElementwiseActivation) Activations.SOFTPLUS, (ElementwiseActivation) Activations.BINARY_STEP);
  }

  /** The fourth-order central difference of g at z, in double, from float values. */
  private static double numericDerivative(ElementwiseActivation g, float z) {
    double p1 = g.value((float) (z + H));
    double m1 = g.value((float) (z - H));
    double p2 = g.value((float) (z + 2 * H));
    double m2 = g.value((float) (z - 2 * H));
    return (8 * (p1 - m1) - (p2 - m2)) / (12 * H);
  }

  @Test
  void derivativeMatchesTheFiniteDifferenceOfTheValue() {
    for (ElementwiseActivation g : elementwise()) {
      for (float z : POINTS) {
        double expected = numericDerivative(g, z);
        double actual = g.derivative(z, g.value(z));
        // float values are rounded by ≈ 6e-8, so the difference quotient is good to ≈ 1e-5
        assertEquals(expected, actual, 5e-5 + 1e-4 * Math.abs(expected), g.name() + "'(" + z + ")");
      }
    }
  }

  @Test
  void aOnePercentWrongDerivativeWouldBeCaught() {
    // The tolerance above is tight enough: tanh' × 1.01 fails it at every point where tanh' ≥ 0.01.
    ElementwiseActivation tanh = (ElementwiseActivation) Activations.TANH;
    for (float z : POINTS) {
      double expected = numericDerivative(tanh, z);
      double wrong = 1.01 * tanh.derivative(z, tanh.value(z));
      if (expected >= 0.01) {
        assertTrue(Math.abs(expected - wrong) > 5e-5 + 1e-4 * Math.abs(expected), "z=" + z);
      }
    }
  }

  @Test
  void conventionsAtTheKink() {
    // Where g' does not exist the negative side is taken: relu'(0) = 0, leaky_relu'(0) = slope,
    // elu'(0) = alpha (y + alpha with y = 0), step'(0) = 0.
    assertEquals(0f, Activations.RELU instanceof ElementwiseActivation e ? e.derivative(0f, 0f) : -1);
    assertEquals(0.3f, new LeakyRelu(0.3f).derivative(0f, 0f));
    assertEquals(0.5f, new Elu(0.5f).derivative(0f, 0f));
    assertEquals(0f, ((ElementwiseActivation) Activations.BINARY_STEP).derivative(0f, 1f));
    // the lecture's perceptron calls the positive class only for w·x > 0, so step(0) names class 0
    assertEquals(0f, ((ElementwiseActivation) Activations.BINARY_STEP).value(0f));
    assertEquals(1f, ((ElementwiseActivation) Activations.BINARY_STEP).value(Float.MIN_VALUE));
  }

  @Test
  void batchLoopsAgreeWithTheScalarMethods() {
    int n = POINTS.length;
    float[] dY = new float[n];
    for (int i = 0; i < n; i++) {
      dY[i] = 0.5f - 0.3f * i;
    }
    for (ElementwiseActivation g : elementwise()) {
      float[] y = new float[n];
      g.forward(POINTS, y, 2, n / 2);
      float[] dZ = new float[n];
      g.backward(POINTS, y, dY, dZ, 2, n / 2);
      float[] inPlace = dY.clone();
      g.backward(POINTS, y, inPlace, inPlace, 2, n / 2);
      for (int i = 0; i < n; i++) {
        assertEquals(g.value(POINTS[i]), y[i], g.name());
        assertEquals(g.derivative(POINTS[i], y[i]) * dY[i], dZ[i], 1e-7, g.name() + " backward at " + POINTS[i]);
        assertEquals(dZ[i], inPlace[i], g.name() + " in place");
      }
    }
  }

  @Test
  void softmaxJacobianMatchesFiniteDifferences() {
    float[] z = {0.3f, -1.2f, 2.0f, 0.05f};
    int k = z.length;
    float[] y = new float[k];
    Activations.SOFTMAX.forward(z, y, 1, k);
    float[][] jac = Softmax.jacobian(y);
    for (int j = 0; j < k; j++) {
      double[] d = new double[k];
      float[][] ys = new float[4][k];
      double[] steps = {H, -H, 2 * H, -2 * H};
      for (int s = 0; s < 4; s++) {
        float[] zp = z.clone();
        zp[j] = (float) (z[j] + steps[s]);
        Activations.SOFTMAX.forward(zp, ys[s], 1, k);
      }
      for (int i = 0; i < k; i++) {
        d[i] = (8.0 * (ys[0][i] - ys[1][i]) - ((double) ys[2][i] - ys[3][i])) / (12 * H);
        assertEquals(d[i], jac[i][j], 2e-5 + 1e-4 * Math.abs(d[i]), "∂y" + i + "/∂z" + j);
      }
    }
    // rows of the Jacobian sum to 0: softmax outputs always sum to 1
    for (float[] row : jac) {
      double s = 0;
      for (float v : row) {
        s += v;
      }
      assertEquals(0, s, 1e-7);
    }
  }

  @Test
  void softmaxBackwardIsTheJacobianTimesDy() {
    float[] z = {0.3f, -1.2f, 2.0f, 0.05f, 1f, 1f, -1f, 0.5f};
    float[] dY = {0.2f, -0.7f, 1.1f, 0.4f, -0.3f, 0.9f, 0.0f, -1.5f};
    float[] y = new float[8];
    Activations.SOFTMAX.forward(z, y, 2, 4);
    float[] dZ = new float[8];
    Activations.SOFTMAX.backward(z, y, dY, dZ, 2, 4);
    for (int r = 0; r < 2; r++) {
      float[] row = java.util.Arrays.copyOfRange(y, r * 4, r * 4 + 4);
      float[][] jac = Softmax.jacobian(row);
      for (int j = 0; j < 4; j++) {
        double expected = 0;
        for (int i = 0; i < 4; i++) {
          expected += (double) jac[i][j] * dY[r * 4 + i]; // (Jᵀ dY)_j
        }
        assertEquals(expected, dZ[r * 4 + j], 1e-6, "row " + r + ", column " + j);
      }
    }
  }

  @Test
  void softmaxIsStableForLargeInputs() {
    float[] z = {1000f, 999f, -1000f};
    float[] y = new float[3];
    Activations.SOFTMAX.forward(z, y, 1, 3);
    assertEquals(1 / (1 + Math.exp(-1)), y[0], 1e-6);
    assertEquals(0f, y[2]);
  }
}
