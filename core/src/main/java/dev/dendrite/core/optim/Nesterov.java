package dev.dendrite.core.optim;

import dev.dendrite.core.tensor.ParameterLayout;

/**
 * Nesterov momentum in PyTorch's formulation ({@code SGD(nesterov=True)}, dampening 0):
 * {@code v ← μ·v + g}, {@code p ← p - lr·(g + μ·v)} — the gradient step plus a look-ahead along the new
 * velocity, evaluated at the current parameters (Bengio et al.'s rewriting of Nesterov's method).
 */
public final class Nesterov extends AbstractOptimizer {

  public static final String TYPE = "nesterov";

  private final float momentum;
  private float[] velocity;

  public Nesterov(float learningRate, float momentum) {
    this(constant(TYPE, learningRate), momentum);
  }

  /** @param momentum μ in (0, 1); Nesterov without momentum would be plain SGD */
  public Nesterov(LearningRateSchedule schedule, float momentum) {
    super(TYPE, schedule, "velocity");
    HyperParameters.fraction(TYPE, "momentum", momentum);
    if (momentum == 0) {
      throw new IllegalArgumentException(TYPE + ": momentum must be in (0, 1), got 0.0 (use sgd for no momentum)");
    }
    this.momentum = momentum;
  }

  public float momentum() {
    return momentum;
  }

  @Override
  protected void initialized(ParameterLayout layout) {
    velocity = slot(0);
  }

  @Override
  protected void update(float[] params, float[] grads, float lr, long step, int from, int to) {
    float[] v = velocity;
    for (int i = from; i < to; i++) {
      float g = grads[i];
      v[i] = momentum * v[i] + g;
      params[i] -= lr * (g + momentum * v[i]);
    }
  }
}
