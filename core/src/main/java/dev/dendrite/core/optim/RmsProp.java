package dev.dendrite.core.optim;

import dev.dendrite.core.tensor.ParameterLayout;

/**
 * RMSProp (Hinton), as PyTorch's {@code RMSprop} without momentum or centering:
 * {@code s ← ρ·s + (1-ρ)·g²}, {@code p ← p - lr · g / (√s + ε)}. Keras calls ρ {@code rho}, PyTorch
 * {@code alpha}.
 */
public final class RmsProp extends AbstractOptimizer {

  public static final String TYPE = "rmsprop";

  private final float rho;
  private final float epsilon;
  private float[] meanSquare;

  public RmsProp(float learningRate, float rho, float epsilon) {
    this(constant(TYPE, learningRate), rho, epsilon);
  }

  /**
   * @param rho     decay of the running mean of g², in [0, 1); PyTorch's default 0.99, Keras' 0.9
   * @param epsilon ε &gt; 0 added to the root
   */
  public RmsProp(LearningRateSchedule schedule, float rho, float epsilon) {
    super(TYPE, schedule, "mean_square");
    HyperParameters.fraction(TYPE, "rho", rho);
    HyperParameters.positive(TYPE, "epsilon", epsilon);
    this.rho = rho;
    this.epsilon = epsilon;
  }

  public float rho() {
    return rho;
  }

  public float epsilon() {
    return epsilon;
  }

  @Override
  protected void initialized(ParameterLayout layout) {
    meanSquare = slot(0);
  }

  @Override
  protected void update(float[] params, float[] grads, float lr, long step, int from, int to) {
    float[] s = meanSquare;
    float oneMinusRho = 1f - rho;
    for (int i = from; i < to; i++) {
      float g = grads[i];
      s[i] = rho * s[i] + oneMinusRho * g * g;
      params[i] -= lr * g / ((float) Math.sqrt(s[i]) + epsilon);
    }
  }
}
