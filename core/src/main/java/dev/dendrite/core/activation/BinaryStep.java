package dev.dendrite.core.activation;

/**
 * {@code g(z) = 1 if z >= 0 else 0}, the perceptron's threshold. Its derivative is 0 everywhere it
 * exists (and undefined at 0), so no gradient flows through it: networks using it are trained by the
 * perceptron rule, which {@code PerceptronCriterion} applies to the pre-activation directly.
 */
public final class BinaryStep extends ElementwiseActivation {

  @Override
  public String name() {
    return "binary_step";
  }

  @Override
  public float value(float z) {
    return z >= 0f ? 1f : 0f;
  }

  @Override
  public float derivative(float z, float y) {
    return 0f;
  }
}
