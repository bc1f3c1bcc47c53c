package dev.dendrite.core.loss;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.activation.BinaryStep;

/**
 * The perceptron criterion {@code ℓ = (1/W) Σ_j max(0, -t p)}, labels -1/+1 (0 read as -1). Behind a
 * binary-step output (whose derivative is 0) it is applied to the pre-activation z with the step's
 * decision rule: an example is a mistake when {@code step(z) ≠ label}, costs {@code |z|} and has gradient
 * {@code -t}; a correctly classified example costs nothing and moves nothing — the perceptron rule.
 */
public final class PerceptronCriterion extends AbstractLoss {

  @Override
  public String name() {
    return "perceptron";
  }

  @Override
  double example(float[] p, int pOff, int width, float[] t, int tOff, float[] dP, float g) {
    double sum = 0;
    float k = g / width;
    for (int j = 0; j < width; j++) {
      float y = signLabel(t[tOff + j]);
      float v = -y * p[pOff + j];
      sum += Math.max(v, 0f);
      if (dP != null) {
        dP[pOff + j] = v > 0f ? -k * y : 0f;
      }
    }
    return sum / width;
  }

  @Override
  public boolean fusesWith(Activation activation) {
    return activation instanceof BinaryStep;
  }

  @Override
  double fusedExample(float[] z, float[] y, int off, int width, float[] t, int tOff, float[] dZ, float g) {
    double sum = 0;
    float k = g / width;
    for (int j = 0; j < width; j++) {
      float label = signLabel(t[tOff + j]);
      float zj = z[off + j];
      boolean mistake = label > 0 ? zj < 0f : zj >= 0f;
      sum += mistake ? Math.abs(zj) : 0.0;
      dZ[off + j] = mistake ? -k * label : 0f;
    }
    return sum / width;
  }
}
