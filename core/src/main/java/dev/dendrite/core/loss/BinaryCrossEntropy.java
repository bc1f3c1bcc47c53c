package dev.dendrite.core.loss;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.activation.Sigmoid;

/**
 * Binary cross-entropy from probabilities: {@code ℓ = -(1/W) Σ_j [t ln p + (1 - t) ln(1 - p)]}, with p
 * clipped to {@code [1e-7, 1 - 1e-7]}. Targets in [0, 1]. Behind a sigmoid output the network uses the
 * fused, stable form {@code dZ = (p - t) / W}, computed from the logits.
 */
public final class BinaryCrossEntropy extends AbstractLoss {

  static final float EPS = 1e-7f;

  @Override
  public String name() {
    return "binary_crossentropy";
  }

  @Override
  double example(float[] p, int pOff, int width, float[] t, int tOff, float[] dP, float g) {
    double sum = 0;
    float k = g / width;
    for (int j = 0; j < width; j++) {
      float target = checkTarget(t[tOff + j], j);
      float raw = p[pOff + j];
      float prob = Math.min(Math.max(raw, EPS), 1f - EPS);
      sum -= target * Math.log(prob) + (1 - target) * Math.log1p(-prob);
      if (dP != null) {
        boolean clamped = raw < EPS || raw > 1f - EPS;
        dP[pOff + j] = clamped ? 0f : k * (prob - target) / (prob * (1f - prob)); // flat where clamped
      }
    }
    return sum / width;
  }

  @Override
  public boolean fusesWith(Activation activation) {
    return activation instanceof Sigmoid;
  }

  @Override
  double fusedExample(float[] z, float[] y, int off, int width, float[] t, int tOff, float[] dZ, float g) {
    return BinaryCrossEntropyWithLogits.logitsExample(z, off, width, t, tOff, dZ, g);
  }

  static float checkTarget(float target, int column) {
    if (!(target >= 0f && target <= 1f)) {
      throw new IllegalArgumentException(
          "binary cross-entropy target " + target + " at column " + column + " is outside [0, 1]");
    }
    return target;
  }
}
