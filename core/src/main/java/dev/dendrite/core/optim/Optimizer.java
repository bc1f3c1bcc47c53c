package dev.dendrite.core.optim;

import dev.dendrite.core.tensor.ParameterLayout;

/**
 * Updates a flat parameter vector from its gradient. Life cycle: {@link #init} once for a layout, then
 * {@link #step} once per iteration. It owns its hyper-parameters, its learning-rate schedule and its
 * state (moments, iteration count), which {@link #state()} / {@link #restore} save and restore bit-exactly.
 * The iteration count alone drives the schedule (and Adam's bias correction), so a restored optimizer
 * continues exactly where the saved one was. Implementations: {@link Sgd}, {@link Momentum},
 * {@link Nesterov}, {@link AdaGrad}, {@link RmsProp}, {@link Adam}, {@link AdamW}; configs build them
 * through {@link OptimizerConfig#create()}.
 */
public interface Optimizer {

  /** The name used in configs and model files, e.g. {@code adam}. */
  String name();

  /** Allocates (zeroed) state for vectors of this layout and resets the iteration count. */
  void init(ParameterLayout layout);

  /**
   * One update in place: {@code params ← params - update(grads)}, with the learning rate the schedule
   * gives for the current iteration; then the iteration count advances. {@code grads} is not modified.
   * Both arrays must have the layout's size. Allocation-free: it runs once per training step on the driver.
   */
  void step(float[] params, float[] grads);

  /** The number of steps taken (0 before the first). */
  long iterations();

  /** The learning rate the next step will use. */
  float learningRate();

  /** A deep copy of the state: iteration count and every state vector. */
  OptimizerState state();

  /**
   * Restores a state taken from an optimizer of the same kind and layout size (after {@link #init});
   * fails naming both optimizers or both sizes. Hyper-parameters are not part of the state.
   */
  void restore(OptimizerState state);
}
