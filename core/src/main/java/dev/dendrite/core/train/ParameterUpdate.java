package dev.dendrite.core.train;

import dev.dendrite.core.network.ParameterLayout;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.optim.Optimizer;
import dev.dendrite.core.optim.Penalties;

/**
 * The driver's half of a training step, shared by the single-JVM and the Spark trainers: given the
 * mean data gradient, add the L1/L2 penalty gradients, clip, and let the optimizer update the
 * parameters in place. It runs on flat vectors only, so it needs no network.
 */
public final class ParameterUpdate {

  private final ParameterLayout layout;
  private final Optimizer optimizer;
  private final GradientClipping clipping;
  private final boolean penalties;
  private double lastPenalty;
  private double lastNorm = Double.NaN;

  public ParameterUpdate(ParameterLayout layout, Optimizer optimizer, GradientClipping clipping) {
    this.layout = layout;
    this.optimizer = optimizer;
    this.clipping = clipping == null ? GradientClipping.NONE : clipping;
    this.penalties = layout.hasPenalties();
    optimizer.init(layout);
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  public ParameterLayout layout() {
    return layout;
  }

  /**
   * Applies one update. {@code grads} (the mean data gradient) is modified: penalties are added and
   * it is clipped. Returns the penalty value (0 without L1/L2), to be added to the data loss.
   *
   * @throws DivergenceException when the gradient is not finite; the parameters are then untouched
   */
  public double apply(float[] params, float[] grads) {
    lastPenalty = penalties ? Penalties.apply(layout, params, grads) : 0;
    if (clipping.enabled()) {
      lastNorm = clipping.apply(grads);
      if (!Double.isFinite(lastNorm)) {
        throw new DivergenceException(optimizer.iterations(), "gradient norm is " + lastNorm);
      }
    }
    optimizer.step(params, grads);
    return lastPenalty;
  }

  /** The penalty of the last {@link #apply}. */
  public double lastPenalty() {
    return lastPenalty;
  }

  /** The pre-clipping gradient norm of the last {@link #apply} (NaN when clipping is off). */
  public double lastGradientNorm() {
    return lastNorm;
  }
}
