package dev.dendrite.core.optim;

import dev.dendrite.core.tensor.ParameterLayout;

/**
 * AdaGrad (Duchi et al.), as PyTorch's {@code Adagrad} with initial accumulator 0 and no decay:
 * {@code s ← s + g²}, {@code p ← p - lr · g / (√s + ε)}. The first step moves each parameter by
 * about {@code lr · sign(g)}.
 */
public final class AdaGrad extends AbstractOptimizer {

  public static final String TYPE = "adagrad";

  private final float epsilon;
  private float[] accumulator;

  public AdaGrad(float learningRate, float epsilon) {
    this(constant(TYPE, learningRate), epsilon);
  }

  /** @param epsilon ε &gt; 0 added to the root; PyTorch's default is 1e-10 */
  public AdaGrad(LearningRateSchedule schedule, float epsilon) {
    super(TYPE, schedule, "accumulator");
    HyperParameters.positive(TYPE, "epsilon", epsilon);
    this.epsilon = epsilon;
  }

  public float epsilon() {
    return epsilon;
  }

  @Override
  protected void initialized(ParameterLayout layout) {
    accumulator = slot(0);
  }

  @Override
  protected void update(float[] params, float[] grads, float lr, long step, int from, int to) {
    float[] s = accumulator;
    for (int i = from; i < to; i++) {
      float g = grads[i];
      s[i] += g * g;
      params[i] -= lr * g / ((float) Math.sqrt(s[i]) + epsilon);
    }
  }
}
