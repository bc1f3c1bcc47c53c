package dev.dendrite.spark;

/**
 * Training stopped because the cluster had no executor for longer than {@code distributed.executor_timeout}:
 * every Worker is gone, or none was ever granted. Checkpoints already written are intact.
 */
public final class NoExecutorsException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public NoExecutorsException(String message) {
    super(message);
  }
}
