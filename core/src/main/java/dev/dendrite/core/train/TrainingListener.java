package dev.dendrite.core.train;

/**
 * Callbacks from a trainer (Keras' callbacks): called on the training thread, in order. Default
 * methods do nothing, so a listener implements only what it needs.
 */
public interface TrainingListener {

  /** Before the first step of an epoch (1-based epoch number). */
  default void onEpochStart(int epoch, int epochs, int steps) {
  }

  /**
   * After each optimizer step: {@code step} of {@code steps} (1-based), the running mean loss of the
   * epoch so far, and the examples seen in the epoch so far.
   */
  default void onStep(int epoch, int epochs, int step, int steps, double loss, long examples) {
  }

  /** After an epoch and its validation. */
  default void onEpochEnd(int epoch, int epochs, EpochRecord record) {
  }
}
