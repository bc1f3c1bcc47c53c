package dev.dendrite.core.activation;

/**
 * {@code g(z) = 1 if z > 0 else 0}, the perceptron's threshold. The lecture's perceptron calls the
 * positive class only when {@code w·x > 0}: at exactly {@code w·x = 0} it has not decided, and its
 * training rule counts that as a mistake for either label ({@code y·(w·x) ≤ 0}). A prediction must still
 * name a class, so the step names the negative one at 0: a perceptron started from {@code w = 0} predicts
 * 0 for every input, and {@code PerceptronCriterion} still updates on its first example whatever its label.
 *
 * <p>Its derivative is 0 everywhere it exists (and undefined at 0), so no gradient flows through it:
 * networks using it are trained by the perceptron rule, which {@code PerceptronCriterion} applies to the
 * pre-activation directly.
 */
public final class BinaryStep extends ElementwiseActivation {

  @Override
  public String name() {
    return "binary_step";
  }

  @Override
  public float value(float z) {
    return z > 0f ? 1f : 0f;
  }

  @Override
  public float derivative(float z, float y) {
    return 0f;
  }
}
