package dev.dendrite.core.loss;

/**
 * Hinge loss {@code ℓ = (1/W) Σ_j max(0, 1 - t p)} (linear SVM); with {@code squared = true},
 * {@code max(0, 1 - t p)²}. Labels are -1/+1; 0 is accepted and read as -1 (Spark's 0/1 labels), any
 * other value is rejected naming the example.
 */
public final class Hinge extends AbstractLoss {

  private final boolean squared;

  public Hinge(boolean squared) {
    this.squared = squared;
  }

  @Override
  public String name() {
    return squared ? "squared_hinge" : "hinge";
  }

  @Override
  double example(float[] p, int pOff, int width, float[] t, int tOff, float[] dP, float g) {
    double sum = 0;
    float k = g / width;
    for (int j = 0; j < width; j++) {
      float y = signLabel(t[tOff + j]);
      float margin = 1f - y * p[pOff + j];
      float h = Math.max(margin, 0f);
      sum += squared ? (double) h * h : h;
      if (dP != null) {
        dP[pOff + j] = squared ? -2f * k * y * h : (margin > 0f ? -k * y : 0f);
      }
    }
    return sum / width;
  }
}
