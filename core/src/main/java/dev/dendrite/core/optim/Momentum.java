package dev.dendrite.core.optim;

import dev.dendrite.core.tensor.ParameterLayout;

/**
 * SGD with (heavy-ball) momentum in PyTorch's convention (dampening 0): {@code v ← μ·v + g},
 * {@code p ← p - lr·v}. The velocity holds gradients, not steps, so a change of learning rate acts at once
 * (Sutskever et al. / Keras write {@code v ← μ·v - lr·g; p ← p + v} instead, which equals this only for a
 * constant rate). The first step is plain SGD since v starts at 0.
 */
public final class Momentum extends AbstractOptimizer {

  public static final String TYPE = "momentum";

  private final float momentum;
  private float[] velocity;

  public Momentum(float learningRate, float momentum) {
    this(constant(TYPE, learningRate), momentum);
  }

  /** @param momentum μ in [0, 1); 0.9 is usual */
  public Momentum(LearningRateSchedule schedule, float momentum) {
    super(TYPE, schedule, "velocity");
    HyperParameters.fraction(TYPE, "momentum", momentum);
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
      v[i] = momentum * v[i] + grads[i];
      params[i] -= lr * v[i];
    }
  }
}
