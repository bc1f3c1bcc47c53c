package dev.dendrite.core.train;

import dev.dendrite.core.tensor.ParameterLayout;
import dev.dendrite.core.optim.AbstractOptimizer;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.optim.Optimizer;
import dev.dendrite.core.optim.Penalties;

/**
 * The driver's half of a training step, shared by the single-JVM and the Spark trainers: given the
 * mean data gradient, apply the running statistics' updates that non-trainable tensors carry in it, add
 * the L1/L2 penalty gradients, clip, and let the optimizer update the trainable parameters in place. It runs on flat vectors only, so it needs no network.
 */
public final class ParameterUpdate {

  private final ParameterLayout layout;
  private final Optimizer optimizer;
  private final GradientClipping clipping;
  private final boolean penalties;
  private final int[] statistics; // [start, end) pairs of the non-trainable tensors
  private double lastPenalty;
  private double lastNorm = Double.NaN;

  public ParameterUpdate(ParameterLayout layout, Optimizer optimizer, GradientClipping clipping) {
    this.layout = layout;
    this.optimizer = optimizer;
    this.clipping = clipping == null ? GradientClipping.NONE : clipping;
    this.penalties = layout.hasPenalties();
    java.util.List<Integer> ranges = new java.util.ArrayList<>();
    for (dev.dendrite.core.tensor.ParameterTensor t : layout.tensors()) {
      if (!t.trainable()) {
        ranges.add(t.offset());
        ranges.add(t.end());
      }
    }
    this.statistics = ranges.stream().mapToInt(Integer::intValue).toArray();
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
    // non-trainable tensors (running statistics) carry their own update in the gradient vector: apply it
    // and clear it, so no optimizer, penalty or clipping sees them
    for (int r = 0; r < statistics.length; r += 2) {
      for (int j = statistics[r]; j < statistics[r + 1]; j++) {
        params[j] += grads[j];
        grads[j] = 0f;
      }
    }
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

  /**
   * Whether {@link #apply} can run as disjoint ranges on several threads ({@link #begin}, then
   * {@link #applyRange} per range): when every part of it is elementwise, that is without gradient
   * clipping (a global norm) and without L1/L2 penalties (a global sum), and with an optimizer that
   * updates each element from that element alone.
   */
  public boolean rangeable() {
    return !clipping.enabled() && !penalties && optimizer instanceof AbstractOptimizer;
  }

  /** Starts an update that {@link #applyRange} applies range by range; only when {@link #rangeable()}. */
  public void begin() {
    if (!rangeable()) {
      throw new IllegalStateException("this update clips or penalizes the whole gradient: use apply");
    }
    lastPenalty = 0;
    ((AbstractOptimizer) optimizer).beginStep();
  }

  /**
   * {@link #apply} on elements {@code [from, to)} of the update begun by {@link #begin}: the ranges of
   * one update, applied in any order or at once on several threads, give the bits {@link #apply} gives.
   */
  public void applyRange(float[] params, float[] grads, int from, int to) {
    for (int r = 0; r < statistics.length; r += 2) {
      int end = Math.min(to, statistics[r + 1]);
      for (int j = Math.max(from, statistics[r]); j < end; j++) {
        params[j] += grads[j];
        grads[j] = 0f;
      }
    }
    ((AbstractOptimizer) optimizer).stepRange(params, grads, from, to);
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
