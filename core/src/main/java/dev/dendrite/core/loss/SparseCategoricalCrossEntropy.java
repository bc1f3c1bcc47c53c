package dev.dendrite.core.loss;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.activation.Softmax;

/**
 * Categorical cross-entropy with an integer class index as the target (target width 1):
 * {@code ℓ = -ln p_k}. Behind softmax the fused gradient is {@code dZ = p - onehot(k)}. A label that is
 * not an integer in {@code [0, classes)} is rejected, naming the label and the class count.
 */
public final class SparseCategoricalCrossEntropy extends AbstractLoss {

  @Override
  public String name() {
    return "sparse_categorical_crossentropy";
  }

  @Override
  public int targetWidth(int outputs) {
    return 1;
  }

  static int classIndex(float label, int classes) {
    int k = (int) label;
    if (k != label || k < 0 || k >= classes) {
      throw new IllegalArgumentException(
          "label " + label + " is not a class index in [0, " + classes + ") for a " + classes + "-class output");
    }
    return k;
  }

  @Override
  double example(float[] p, int pOff, int width, float[] t, int tOff, float[] dP, float g) {
    int k = classIndex(t[tOff], width);
    float raw = p[pOff + k];
    float prob = Math.max(raw, BinaryCrossEntropy.EPS);
    if (dP != null) {
      for (int j = 0; j < width; j++) {
        dP[pOff + j] = 0f;
      }
      dP[pOff + k] = raw < BinaryCrossEntropy.EPS ? 0f : -g / prob; // flat where clamped
    }
    return -Math.log(prob);
  }

  @Override
  public boolean fusesWith(Activation activation) {
    return activation instanceof Softmax;
  }

  @Override
  double fusedExample(float[] z, float[] y, int off, int width, float[] t, int tOff, float[] dZ, float g) {
    int k = classIndex(t[tOff], width);
    for (int j = 0; j < width; j++) {
      dZ[off + j] = g * y[off + j];
    }
    dZ[off + k] -= g;
    return -Math.log(Math.max(y[off + k], BinaryCrossEntropy.EPS));
  }
}
