package dev.dendrite.core.loss;

/**
 * Adaline's (Widrow and Hoff's) criterion, the sum of squared errors of the linear activation against
 * -1/+1 labels: {@code ℓ = ½ (1/W) Σ_j (t_j - z_j)²}, {@code ∂ℓ/∂z_j = -(t_j - z_j) / W}. Labels follow
 * the perceptron's: -1/+1, with 0 read as -1 (anything else is refused naming the example), and a
 * prediction is read with the perceptron's threshold, class 1 only when {@code z > 0}.
 *
 * <p>With SGD the step is the lecture's {@code Δw = η Σ_r (y_r - w·x_r) x_r} with η = learning rate /
 * batch size: a trainer averages the gradient over its batch, so batch 1 is Widrow–Hoff's online rule at
 * η = learning rate, and full-batch descent over n rows at lecture η needs learning rate {@code η·n}.
 */
public final class AdalineCriterion extends AbstractLoss {

  @Override
  public String name() {
    return "adaline";
  }

  @Override
  double example(float[] z, int zOff, int width, float[] t, int tOff, float[] dZ, float g) {
    double sum = 0;
    float k = g / width;
    for (int j = 0; j < width; j++) {
      float error = signLabel(t[tOff + j]) - z[zOff + j]; // y - w·x
      sum += 0.5 * error * error;
      if (dZ != null) {
        dZ[zOff + j] = -k * error;
      }
    }
    return sum / width;
  }
}
