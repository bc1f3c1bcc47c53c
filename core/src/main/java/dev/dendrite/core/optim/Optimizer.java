package dev.dendrite.core.optim;

import dev.dendrite.core.network.ParameterLayout;

/**
 * Updates a flat parameter vector from its gradient. Life cycle: {@link #init} once for a layout, then
 * {@link #step} once per iteration. It owns its hyper-parameters, its learning-rate schedule and its
 * state (moments, iteration count), which {@link #state()} / {@link #restore} save and restore bit-exactly.
 */
public interface Optimizer {

  /** The name used in configs and model files, e.g. {@code adam}. */
  String name();

  /** Allocates (zeroed) state for vectors of this layout and resets the iteration count. */
  void init(ParameterLayout layout);

  /**
   * One update in place: {@code params ← params - update(grads)}, with the learning rate the schedule
   * gives for the current iteration; then the iteration count advances. {@code grads} is not modified.
   */
  void step(float[] params, float[] grads);

  /** The number of steps taken (0 before the first). */
  long iterations();

  /** The learning rate the next step will use. */
  float learningRate();

  /** A deep copy of the state: iteration count and every state vector. */
  OptimizerState state();

  /** Restores a state taken from an optimizer of the same kind and layout; fails naming the mismatch. */
  void restore(OptimizerState state);
}
