package dev.dendrite.core.loss;

/**
 * Binary cross-entropy on logits z (identity output): {@code ℓ = (1/W) Σ_j [max(z,0) - z t + ln(1 + e^-|z|)]},
 * stable for any z; {@code ∂ℓ/∂z = (sigmoid(z) - t) / W}.
 */
public final class BinaryCrossEntropyWithLogits extends AbstractLoss {

  @Override
  public String name() {
    return "binary_crossentropy_logits";
  }

  @Override
  double example(float[] p, int pOff, int width, float[] t, int tOff, float[] dP, float g) {
    return logitsExample(p, pOff, width, t, tOff, dP, g);
  }

  static double logitsExample(float[] z, int off, int width, float[] t, int tOff, float[] dZ, float g) {
    double sum = 0;
    float k = g / width;
    for (int j = 0; j < width; j++) {
      float target = BinaryCrossEntropy.checkTarget(t[tOff + j], j);
      float x = z[off + j];
      sum += Math.max(x, 0f) - x * target + Math.log1p(Math.exp(-Math.abs(x)));
      if (dZ != null) {
        dZ[off + j] = k * (dev.dendrite.core.activation.Sigmoid.sigmoid(x) - target);
      }
    }
    return sum / width;
  }
}
