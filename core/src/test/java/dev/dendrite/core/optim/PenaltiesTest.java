package dev.dendrite.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.core.tensor.ParameterLayout;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.random.Rng;
import org.junit.jupiter.api.Test;

class PenaltiesTest {

  @Test
  void addsL1AndL2TermsOnlyWhereTheLayoutAsks() {
    // W = [1, -2] with l1 0.1, l2 0.5; b = [3] without penalty.
    // value = 0.1·(1 + 2) + 0.5·(1 + 4) = 2.8
    // dW = g + 0.1·sign(W) + 2·0.5·W = [0.1 + 0.1 + 1, 0.2 - 0.1 - 2] = [1.2, -1.9]; db unchanged 0.3
    ParameterLayout layout = new ParameterLayout.Builder()
        .add("dense_0/W", Shape.of(1, 2), 0.1, 0.5).add("dense_0/b", Shape.of(1), 0, 0).build();
    float[] params = {1f, -2f, 3f};
    float[] grads = {0.1f, 0.2f, 0.3f};
    double value = Penalties.apply(layout, params, grads);
    assertEquals(2.8, value, 1e-12);
    assertEquals(2.8, Penalties.value(layout, params), 1e-12);
    assertArrayEquals(new float[] {1.2f, -1.9f, 0.3f}, grads, 1e-6f);
    assertArrayEquals(new float[] {1f, -2f, 3f}, params);
  }

  @Test
  void gradientMatchesCentralDifferences() {
    ParameterLayout layout = new ParameterLayout.Builder()
        .add("dense_0/W", Shape.of(3, 4), 0.01, 0.02)
        .add("dense_0/b", Shape.of(3), 0, 0)
        .add("dense_1/W", Shape.of(2, 3), 0, 0.3)
        .add("dense_1/b", Shape.of(2), 0.05, 0).build();
    Rng rng = new Rng(3);
    float[] params = new float[layout.size()];
    for (int i = 0; i < params.length; i++) {
      float p = (float) rng.nextGaussian();
      params[i] = Math.abs(p) < 0.05f ? 0.5f : p; // away from |p|'s kink at 0
    }
    float[] grads = new float[params.length];
    double value = Penalties.apply(layout, params, grads);
    double h = 1e-5;
    for (int i = 0; i < params.length; i++) {
      double numeric = (penalty(layout, params, i, params[i] + h) - penalty(layout, params, i, params[i] - h)) / (2 * h);
      assertEquals(numeric, grads[i], 1e-5 * Math.max(1, Math.abs(numeric)), "element " + i);
    }
    assertEquals(penalty(layout, params, 0, params[0]), value, 1e-9);
  }

  /** The penalty in double with element i set to x. */
  private static double penalty(ParameterLayout layout, float[] params, int i, double x) {
    double sum = 0;
    for (var t : layout.tensors()) {
      for (int j = t.offset(); j < t.end(); j++) {
        double p = j == i ? x : params[j];
        sum += t.l1() * Math.abs(p) + t.l2() * p * p;
      }
    }
    return sum;
  }

  @Test
  void sizeMismatchFailsNamingSizes() {
    ParameterLayout layout = new ParameterLayout.Builder().add("w", Shape.of(2, 2), 0, 0.1).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Penalties.apply(layout, new float[4], new float[3]));
    assertEquals("penalties: got 4 parameters and 3 gradients, the layout has 4", e.getMessage());
  }
}
