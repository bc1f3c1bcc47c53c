package dev.dendrite.core.optim;

/** Plain stochastic gradient descent: {@code p ← p - lr · g}. No state besides the iteration count. */
public final class Sgd extends AbstractOptimizer {

  public static final String TYPE = "sgd";

  public Sgd(float learningRate) {
    this(constant(TYPE, learningRate));
  }

  public Sgd(LearningRateSchedule schedule) {
    super(TYPE, schedule);
  }

  @Override
  protected void update(float[] params, float[] grads, float lr, long step, int from, int to) {
    for (int i = from; i < to; i++) {
      params[i] -= lr * grads[i];
    }
  }
}
