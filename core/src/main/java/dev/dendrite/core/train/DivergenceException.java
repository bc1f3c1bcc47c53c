package dev.dendrite.core.train;

/**
 * Training diverged: the loss or the gradient stopped being a finite number. The message names the
 * step and suggests the usual cure; the trainer keeps the last good parameters.
 */
public class DivergenceException extends RuntimeException {

  private final long step;

  public DivergenceException(long step, String what) {
    super("training diverged at step " + step + ": " + what
        + "; the parameters of the last good step were kept. Try a lower learning rate, "
        + "gradient clipping (clip_norm) or inputs scaled to a small range.");
    this.step = step;
  }

  /** The (0-based, global) step at which it happened. */
  public long step() {
    return step;
  }
}
