package dev.dendrite.core.loss;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.activation.BinaryStep;

/**
 * The lecture's perceptron criterion {@code ℓ = (1/W) Σ_j max(0, -t z)}, labels -1/+1 (0 read as -1),
 * with the lecture's update rule: an example is a mistake when {@code t·z ≤ 0}. A zero activation is
 * therefore a mistake for either label — it costs {@code |z| = 0} but still moves the weights — so
 * training from {@code w = 0} updates on the very first example.
 *
 * <p>The subgradient on a mistake is {@code ∂ℓ/∂z = -t/W} (at {@code z = 0}, where {@code max(0, -t z)}
 * has the subgradients between 0 and {@code -t}, the lecture's end {@code -t} is taken); a correctly
 * classified example ({@code t·z > 0}) costs nothing and moves nothing. With SGD at learning rate η and
 * batch size 1 a step is {@code w ← w + η t x} on a mistake: Rosenblatt's rule.
 *
 * <p>Behind a binary-step output (whose derivative is 0) the criterion is applied to the pre-activation
 * z; on any other output p it reads p as the activation z. Predictions: the step outputs 1 only for
 * {@code z > 0} (see {@link BinaryStep}), and scores are read as class 1 only above 0.
 */
public final class PerceptronCriterion extends AbstractLoss {

  @Override
  public String name() {
    return "perceptron";
  }

  @Override
  double example(float[] p, int pOff, int width, float[] t, int tOff, float[] dP, float g) {
    return perceptron(p, pOff, width, t, tOff, dP, g);
  }

  @Override
  public boolean fusesWith(Activation activation) {
    return activation instanceof BinaryStep;
  }

  @Override
  double fusedExample(float[] z, float[] y, int off, int width, float[] t, int tOff, float[] dZ, float g) {
    return perceptron(z, off, width, t, tOff, dZ, g);
  }

  /** {@code Σ_j max(0, -t_j z_j) / W}; on a mistake ({@code t_j z_j ≤ 0}) {@code dZ_j = -g t_j / W}, else 0. */
  private double perceptron(float[] z, int off, int width, float[] t, int tOff, float[] dZ, float g) {
    double sum = 0;
    float k = g / width;
    for (int j = 0; j < width; j++) {
      float label = signLabel(t[tOff + j]);
      float v = -label * z[off + j]; // -t·z ≥ 0 is a mistake, 0 included
      sum += Math.max(v, 0f);
      if (dZ != null) {
        dZ[off + j] = v >= 0f ? -k * label : 0f;
      }
    }
    return sum / width;
  }
}
