package dev.dendrite.core.layer;

import dev.dendrite.core.activation.Activation;

/**
 * A layer whose output is {@code y = g(z)} for a stored pre-activation z. As the output layer it lets
 * a loss supply {@code dZ} directly (the fused softmax + cross-entropy gradient).
 */
public interface ActivatedLayer extends Layer {

  Activation activation();

  /** The pre-activation z of the last forward, {@code [batch, outputShape.size()]}. */
  float[] preActivation();

  /** As {@link #backward}, but starting from {@code dZ = ∂L/∂z} (may be overwritten). */
  void backwardPreActivation(float[] x, int xOffset, float[] dZ, float[] dX, int batch);
}
